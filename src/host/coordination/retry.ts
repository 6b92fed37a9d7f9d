import { sleep } from './abortable-sleep';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Only errors this accepts are retried; everything else fails at once. */
  readonly isTransient: (error: unknown) => boolean;
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Runs `fn`, retrying transient failures with capped exponential backoff and full jitter. An attempt that
 * calls `progress` (it got somewhere, e.g. an answer from the host) starts the count again: `attempts`
 * bounds failures in a row, so long work that is interrupted now and then goes on.
 */
export async function withRetry<T>(fn: (progress: () => void) => Promise<T>, policy: RetryPolicy, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    let progressed = false;
    try {
      return await fn(() => (progressed = true));
    } catch (e) {
      if (progressed) attempt = 1;
      if (attempt >= policy.attempts || signal?.aborted || !policy.isTransient(e)) throw e;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
      policy.onRetry?.(e, attempt, delay);
      await sleep(delay, signal);
    }
  }
}
