import { WsmanTransportError } from '../../faults/errors';

/**
 * A bounded set of reusable items (connections) handed out one request at a time, FIFO for waiters.
 * HTTP/1.1 runs one exchange per connection, so the bound is also the per-host concurrency.
 */
export class BoundedPool<T> {
  private readonly idle: T[] = [];
  private created = 0;
  private readonly waiters: Array<{ resolve: (item: T) => void; reject: (e: Error) => void; signal?: AbortSignal; onAbort?: () => void }> =
    [];
  private closed = false;

  constructor(
    private readonly max: number,
    private readonly create: () => T,
    private readonly dispose: (item: T) => void,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('pool size must be a positive integer');
  }

  acquire(signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(new WsmanTransportError('client is closed', 'aborted'));
    if (signal?.aborted) return Promise.reject(new WsmanTransportError('request aborted', 'aborted'));
    const item = this.idle.pop();
    if (item !== undefined) return Promise.resolve(item);
    if (this.created < this.max) {
      this.created += 1;
      return Promise.resolve(this.create());
    }
    return new Promise((resolve, reject) => {
      const waiter: (typeof this.waiters)[number] = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new WsmanTransportError('request aborted while waiting for a connection', 'aborted'));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
    });
  }

  release(item: T): void {
    if (this.closed) {
      this.dispose(item);
      return;
    }
    const next = this.waiters.shift();
    if (next) {
      if (next.onAbort) next.signal?.removeEventListener('abort', next.onAbort);
      next.resolve(item);
    } else {
      this.idle.push(item);
    }
  }

  close(): void {
    this.closed = true;
    for (const item of this.idle.splice(0)) this.dispose(item);
    for (const w of this.waiters.splice(0)) w.reject(new WsmanTransportError('client is closed', 'aborted'));
  }
}
