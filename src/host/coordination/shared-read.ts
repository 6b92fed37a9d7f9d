/**
 * One read serving every caller that asks while it is valid: the resources of one host that refresh
 * together share a single round trip. Invalidated by writes to what it read, or set to a value the
 * writer knows.
 */
export class SharedRead<T> {
  private current: Promise<T> | undefined;

  constructor(private readonly fetch: (signal: AbortSignal) => Promise<T>) {}

  get(signal: AbortSignal): Promise<T> {
    if (!this.current) {
      // The first caller's signal governs the shared read: in this provider every operation's signal is
      // aborted by the same StopProvider. Failures are not cached.
      const read = this.fetch(signal);
      this.current = read;
      read.catch(() => {
        if (this.current === read) this.current = undefined;
      });
    }
    return this.current;
  }

  invalidate(): void {
    this.current = undefined;
  }

  /** Replaces the value with one this process knows to be current (it just made it so). */
  set(value: T): void {
    this.current = Promise.resolve(value);
  }
}
