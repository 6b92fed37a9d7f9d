import { RecentlyUsed, Semaphore, SharedRead, withRetry, sleep } from '../../src/host/coordination';
import { errorMessage } from '../../src/common';

describe('Semaphore', () => {
  it('never lets more than the limit run, and serves waiters in order', async () => {
    const sem = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        sem.run(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await sleep(5);
          order.push(i);
          running -= 1;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('drops a waiter whose signal aborts', async () => {
    const sem = new Semaphore(1);
    const hold = sem.run(() => sleep(30));
    const stop = new AbortController();
    const waiting = sem.run(async () => 'ran', stop.signal);
    stop.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    await hold;
    await expect(sem.run(async () => 'free')).resolves.toBe('free');
    expect(sem.inUse).toBe(0);
  });
});

describe('withRetry', () => {
  const policy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 4, isTransient: (e: unknown) => errorMessage(e) === 'busy' };

  it('retries transient failures until success', async () => {
    let calls = 0;
    const result = await withRetry(async () => {
      calls += 1;
      if (calls < 3) throw new Error('busy');
      return 'done';
    }, policy);
    expect([result, calls]).toEqual(['done', 3]);
  });

  it('fails at once on a permanent error and after the last attempt on a transient one', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls += 1;
        throw new Error('denied');
      }, policy),
    ).rejects.toThrow('denied');
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      withRetry(async () => {
        calls += 1;
        throw new Error('busy');
      }, policy),
    ).rejects.toThrow('busy');
    expect(calls).toBe(4);
  });

  it('counts failures in a row: an attempt that made progress starts the count again', async () => {
    let calls = 0;
    const retried: number[] = [];
    await expect(
      withRetry(
        async (progress) => {
          calls += 1;
          if (calls === 3) progress();
          throw new Error('busy');
        },
        { ...policy, onRetry: (_e, attempt) => retried.push(attempt) },
      ),
    ).rejects.toThrow('busy');
    // Two failures, the third made progress (counted as the first again), then three more in a row.
    expect(retried).toEqual([1, 2, 1, 2, 3]);
    expect(calls).toBe(6);
  });
});

describe('SharedRead', () => {
  it('serves concurrent callers with one fetch until invalidated, and does not cache failures', async () => {
    let fetches = 0;
    let fail = true;
    const read = new SharedRead(async () => {
      fetches += 1;
      await sleep(5);
      if (fail) throw new Error('down');
      return fetches;
    });
    const signal = new AbortController().signal;
    await expect(read.get(signal)).rejects.toThrow('down');
    fail = false;
    const values = await Promise.all([read.get(signal), read.get(signal), read.get(signal)]);
    expect(values).toEqual([2, 2, 2]);
    read.invalidate();
    await expect(read.get(signal)).resolves.toBe(3);
  });

  it('keeps only the most recently used reads of a RecentlyUsed, and reads a dropped one afresh', async () => {
    const retention = new RecentlyUsed(2);
    const fetches = [0, 0, 0];
    const reads = fetches.map((_, i) => new SharedRead(async () => ++fetches[i]!, retention));
    const signal = new AbortController().signal;
    await reads[0]!.get(signal);
    await reads[1]!.get(signal);
    await reads[0]!.get(signal); // read 0 is now the most recent
    await reads[2]!.get(signal); // the third drops the least recently used: read 1
    await reads[0]!.get(signal);
    await reads[1]!.get(signal);
    expect(fetches).toEqual([1, 2, 1]);
  });
});
