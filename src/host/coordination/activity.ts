import { sleep } from './abortable-sleep';

/**
 * Knows how many provider operations are in flight, when the last one started, and how slow terraform
 * is to send the next operation once one finishes. Terraform gives a provider no "end of apply" signal;
 * a quiet period with nothing in flight but the caller is the best evidence that no more work for this
 * walk is coming — and on a loaded machine terraform's own pauses between operations grow, so the quiet
 * period that counts as evidence grows with the slowest pause seen.
 */
export class Activity {
  private inFlight = 0;
  private lastStart = 0;
  private lastFinish: number | undefined;
  private slowestPause = 0;

  constructor(
    private readonly now: () => number = Date.now,
    /** The longest quiet period ever asked for, however slow terraform has been. */
    private readonly maxQuietMs = 10_000,
  ) {}

  async track<T>(fn: () => Promise<T>): Promise<T> {
    const start = this.now();
    if (this.lastFinish !== undefined) {
      const pause = start - this.lastFinish;
      if (pause < this.maxQuietMs) this.slowestPause = Math.max(this.slowestPause, pause);
    }
    this.inFlight += 1;
    this.lastStart = start;
    try {
      return await fn();
    } finally {
      this.inFlight -= 1;
      this.lastFinish = this.now();
    }
  }

  /**
   * Resolves once at most `own` operations (the caller's) are in flight and none started for the quiet
   * period: `minQuietMs`, or twice the slowest pause terraform took between operations, up to maxQuietMs.
   */
  async quiet(minQuietMs: number, own: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const quietMs = Math.min(this.maxQuietMs, Math.max(minQuietMs, 2 * this.slowestPause));
      const since = this.now() - this.lastStart;
      if (this.inFlight <= own && since >= quietMs) return;
      await sleep(Math.max(10, quietMs - since), signal);
    }
  }
}
