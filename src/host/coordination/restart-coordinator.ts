import type { Activity } from './activity';
import { sleep } from './abortable-sleep';

/** How often `settled` looks again while a restart is pending but not started. */
const SETTLED_POLL_MS = 100;

export interface RestartFailure {
  readonly host: string;
  readonly error: Error;
}

export interface RestartCoordinatorOptions {
  readonly activity: Activity;
  /** How long terraform must have sent no new operation before pending restarts run. */
  readonly quietMs: number;
  /** How many hosts restart at once. */
  readonly parallelHosts: number;
  /** Restarts WinRM on one host out of band, waits until it answers again and verifies what it reports. */
  readonly restartHost: (host: string, signal: AbortSignal) => Promise<void>;
}

/**
 * Coalesces WinRM restarts: one per host per apply, however many endpoints of that host changed.
 *
 * Terraform applies at most `-parallelism` resources at once and never says when an apply ends, so a
 * write cannot simply wait for "its" restart: with four endpoints of a host spread over the walk, each
 * would restart WinRM (and drop every session on it) again. Instead the first writer to settle becomes
 * the anchor and is held; later writers return at once (their change is stored, its restart pending)
 * and free terraform's slots for the rest of the walk. When nothing but the anchor has been in flight
 * for `quietMs`, the walk is over or waiting on the anchor: every pending host restarts, in parallel,
 * and the anchor returns with any failures, so the apply fails loudly instead of ending with changes
 * that never took effect. Work that needs a host's new configuration (a command on that host) calls
 * `flush(host)` first, so ordering by `depends_on` keeps its meaning.
 */
export class RestartCoordinator {
  private readonly pending = new Set<string>();
  private readonly running = new Map<string, Promise<void>>();
  private anchorHeld = false;

  constructor(private readonly options: RestartCoordinatorOptions) {}

  markPending(host: string): void {
    this.pending.add(host);
  }

  isPending(host: string): boolean {
    return this.pending.has(host);
  }

  /** Waits for a restart of this host that is under way (its WinRM is down meanwhile). */
  async ready(host: string): Promise<void> {
    await this.running.get(host)?.catch(() => undefined);
  }

  /**
   * Waits, without running it, until this host has no restart pending or under way: for work that needs
   * the host's new configuration but must not break the coalescing (the anchor runs the restarts once
   * terraform goes quiet, so the caller must not count as activity meanwhile).
   */
  async settled(host: string, signal: AbortSignal): Promise<void> {
    while (this.pending.has(host) || this.running.has(host)) {
      await this.running.get(host)?.catch(() => undefined);
      if (this.pending.has(host)) await sleep(SETTLED_POLL_MS, signal);
    }
  }

  /** Runs this host's pending restart now, or joins the one under way. */
  flush(host: string, signal: AbortSignal): Promise<void> {
    const underWay = this.running.get(host);
    if (underWay) return underWay;
    if (!this.pending.delete(host)) return Promise.resolve();
    const restart = this.options.restartHost(host, signal).finally(() => this.running.delete(host));
    this.running.set(host, restart);
    return restart;
  }

  /**
   * Called by an operation after its write. Returns at once unless the caller becomes the anchor, which
   * returns after every pending restart ran, with the failures it must report.
   */
  async settle(signal: AbortSignal): Promise<RestartFailure[]> {
    if (this.anchorHeld || (this.pending.size === 0 && this.running.size === 0)) return [];
    this.anchorHeld = true;
    const failures: RestartFailure[] = [];
    try {
      while (this.pending.size > 0 || this.running.size > 0) {
        await this.options.activity.quiet(this.options.quietMs, 1, signal);
        const hosts = [...this.pending, ...this.running.keys()];
        failures.push(...(await this.flushAll(hosts, signal)));
      }
    } finally {
      this.anchorHeld = false;
    }
    return failures;
  }

  private async flushAll(hosts: readonly string[], signal: AbortSignal): Promise<RestartFailure[]> {
    const failures: RestartFailure[] = [];
    const queue = [...new Set(hosts)];
    const worker = async (): Promise<void> => {
      for (let host = queue.shift(); host !== undefined; host = queue.shift()) {
        try {
          await this.flush(host, signal);
        } catch (e) {
          if (signal.aborted) throw e;
          failures.push({ host, error: e instanceof Error ? e : new Error(String(e)) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.parallelHosts, queue.length) }, worker));
    return failures;
  }
}
