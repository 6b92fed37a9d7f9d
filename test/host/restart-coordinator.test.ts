import { Activity, RestartCoordinator, restartStateMachine, sleep } from '../../src/host/coordination';
import { HostError } from '../../src/host';

function setup(restartMs = 20, fail: ReadonlySet<string> = new Set()) {
  const activity = new Activity();
  const restarts: string[] = [];
  const coordinator = new RestartCoordinator({
    activity,
    quietMs: 50,
    parallelHosts: 4,
    restartHost: async (host) => {
      restarts.push(host);
      await sleep(restartMs);
      if (fail.has(host)) throw new Error(`${host} did not come back`);
    },
  });
  /** One resource apply: a write to `host` that takes `writeMs`, then settle. */
  const apply = (host: string, writeMs: number) =>
    activity.track(async () => {
      await sleep(writeMs);
      coordinator.markPending(host);
      return coordinator.settle(new AbortController().signal);
    });
  return { activity, coordinator, restarts, apply };
}

/**
 * Runs jobs with at most `parallelism` at once, in order, like terraform's walk; `pauseMs(i)` is how
 * long terraform takes to send job i once a slot is free (it grows on a loaded machine).
 */
async function walk<T>(jobs: Array<() => Promise<T>>, parallelism: number, pauseMs: (i: number) => number = () => 0): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallelism }, async () => {
      while (next < jobs.length) {
        const i = next++;
        if (i >= parallelism) await sleep(pauseMs(i));
        results[i] = await jobs[i]!();
      }
    }),
  );
  return results;
}

describe('RestartCoordinator', () => {
  it('restarts each host once per apply even when its endpoints are spread over a parallelism-limited walk', async () => {
    const { restarts, apply } = setup();
    const hosts = ['h1', 'h2', 'h3', 'h4', 'h5'];
    // 5 hosts x 4 endpoints, interleaved so every host's writes are far apart, 3 at a time.
    const jobs = [0, 1, 2, 3].flatMap(() => hosts.map((h) => () => apply(h, 5)));
    const results = await walk(jobs, 3);
    expect(restarts.sort()).toEqual(hosts);
    expect(results.flat()).toEqual([]);
  });

  it('keeps coalescing when terraform grows slower to send the next operation than the quiet period', async () => {
    const { restarts, apply } = setup();
    const hosts = ['h1', 'h2', 'h3'];
    const jobs = [0, 1, 2, 3].flatMap(() => hosts.map((h) => () => apply(h, 5)));
    // Pauses climb by 40% a job, from 30 ms to over 300 ms, well past the 50 ms quiet period.
    await walk(jobs, 2, (i) => Math.round(30 * 1.4 ** (i - 2)));
    expect(restarts.sort()).toEqual(hosts);
  });

  it('holds one anchor until every restart ran and reports failures there', async () => {
    const { restarts, apply } = setup(10, new Set(['bad']));
    const results = await walk([() => apply('good', 5), () => apply('bad', 5), () => apply('good', 5)], 3);
    expect(restarts.sort()).toEqual(['bad', 'good']);
    const failures = results.flat();
    expect(failures).toHaveLength(1);
    expect(failures[0]?.host).toBe('bad');
    expect(failures[0]?.error.message).toContain('did not come back');
  });

  it('restarts again for a write that follows a restart (a dependency chain)', async () => {
    const { restarts, apply } = setup();
    await apply('h1', 1);
    await apply('h1', 1);
    expect(restarts).toEqual(['h1', 'h1']);
  });

  it('lets dependent work flush its host early and join a restart under way', async () => {
    const { coordinator, restarts } = setup(30);
    coordinator.markPending('h1');
    const signal = new AbortController().signal;
    await Promise.all([coordinator.flush('h1', signal), coordinator.flush('h1', signal), coordinator.ready('h1')]);
    expect(restarts).toEqual(['h1']);
    expect(coordinator.isPending('h1')).toBe(false);
  });

  it('stops waiting when the operation is cancelled, leaving the restart pending', async () => {
    const { activity, coordinator, restarts } = setup();
    const stop = new AbortController();
    const other = activity.track(() => sleep(200)); // keeps the walk busy
    coordinator.markPending('h1');
    const anchored = activity.track(() => coordinator.settle(stop.signal));
    setTimeout(() => stop.abort(new Error('stopped by terraform')), 20);
    await expect(anchored).rejects.toThrow('stopped by terraform');
    await other;
    expect(restarts).toEqual([]);
    expect(coordinator.isPending('h1')).toBe(true);
  });

  it('returns at once when nothing is pending', async () => {
    const { coordinator } = setup();
    await expect(coordinator.settle(new AbortController().signal)).resolves.toEqual([]);
  });

  it('restarts once more when a write arrives during the restart, and logs every state change', async () => {
    const changes: unknown[] = [];
    const log = { debug: (_m: string, fields?: Record<string, unknown>) => changes.push(fields), info() {}, warn() {} };
    const restarts: string[] = [];
    const coordinator = new RestartCoordinator({
      activity: new Activity(),
      quietMs: 10,
      parallelHosts: 1,
      log,
      restartHost: async (host) => {
        restarts.push(host);
        if (restarts.length === 1) coordinator.markPending(host); // written while WinRM restarts
        await sleep(5);
      },
    });
    coordinator.markPending('h1');
    await expect(coordinator.settle(new AbortController().signal)).resolves.toEqual([]);
    expect(restarts).toEqual(['h1', 'h1']);
    expect(coordinator.isPending('h1')).toBe(false);
    expect(changes.filter((c) => (c as { machine: string }).machine === 'restart of h1').map((c) => (c as { to: string }).to)).toEqual([
      'pending',
      'restarting',
      'restarting-pending',
      'pending',
      'restarting',
      'idle',
    ]);
  });
});

describe('restart state machine', () => {
  it('refuses a restart of a host with nothing written, with a HostError', () => {
    const machine = restartStateMachine('h1');
    expect(() => machine.transition('restarting')).toThrow(
      new HostError('illegal-transition', 'restart of h1: illegal transition idle -> restarting'),
    );
    expect(() => machine.transition('restarting')).toThrow(expect.objectContaining({ kind: 'illegal-transition' }));
    expect(machine.state).toBe('idle');
  });
});
