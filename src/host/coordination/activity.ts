import { sleep } from './abortable-sleep';

/**
 * Knows how many provider operations are in flight and when the last one started. Terraform gives a
 * provider no "end of apply" signal; a quiet period with nothing in flight but the caller is the best
 * evidence that no more work for this walk is coming.
 */
export class Activity {
  private inFlight = 0;
  private lastStart = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async track<T>(fn: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    this.lastStart = this.now();
    try {
      return await fn();
    } finally {
      this.inFlight -= 1;
    }
  }

  /** Resolves once at most `own` operations (the caller's) are in flight and none started for `quietMs`. */
  async quiet(quietMs: number, own: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const since = this.now() - this.lastStart;
      if (this.inFlight <= own && since >= quietMs) return;
      await sleep(Math.max(10, quietMs - since), signal);
    }
  }
}
