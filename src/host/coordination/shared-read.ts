/**
 * One read serving every caller that asks while it is valid: the resources of one host that refresh
 * together share a single round trip. Invalidated by writes to what it read, or set to a value the
 * writer knows.
 */
export class SharedRead<T> {
  private current: Promise<T> | undefined;

  /** `retention`: told of every use, it may let the value go (RecentlyUsed); a later caller reads afresh. */
  constructor(
    private readonly fetch: (signal: AbortSignal) => Promise<T>,
    private readonly retention?: RecentlyUsed,
  ) {}

  get(signal: AbortSignal): Promise<T> {
    this.retention?.use(this);
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
    this.retention?.use(this);
    this.current = Promise.resolve(value);
  }
}

/**
 * Keeps the values of the `capacity` most recently used shared reads and lets older ones go, so a
 * provider that read a thousand hosts does not hold every host's answer for the rest of its run
 * (bench/fleet.ts: a host's plugin list is about 25 KB). Below capacity nothing is ever dropped.
 */
export class RecentlyUsed {
  private readonly order = new Set<{ invalidate(): void }>();

  constructor(private readonly capacity: number) {}

  use(read: { invalidate(): void }): void {
    this.order.delete(read);
    this.order.add(read);
    if (this.order.size <= this.capacity) return;
    const oldest = this.order.values().next().value!;
    this.order.delete(oldest);
    oldest.invalidate();
  }
}
