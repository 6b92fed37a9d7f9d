/**
 * One read serving every caller that asks while it is valid: the resources of one host that refresh
 * together share a single round trip. Invalidated by writes to what it read, or set to a value the
 * writer knows.
 */
export class SharedRead<T> {
  private current: Promise<T> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  /**
   * `idleDropMs`: the value is let go once nobody asked for it that long, so a provider that read a
   * thousand hosts does not keep every host's answer for the rest of its run (bench/fleet.ts: each
   * host's plugin list is tens of KB); a later caller reads afresh.
   */
  constructor(
    private readonly fetch: (signal: AbortSignal) => Promise<T>,
    private readonly opts: { idleDropMs?: number } = {},
  ) {}

  get(signal: AbortSignal): Promise<T> {
    this.touch();
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
    this.touch();
    this.current = Promise.resolve(value);
  }

  private touch(): void {
    if (this.opts.idleDropMs === undefined) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.invalidate(), this.opts.idleDropMs).unref();
  }
}
