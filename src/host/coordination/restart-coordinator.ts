import { StateMachine, describeIllegalTransition, errorMessage, type TransitionTable } from '../../common';
import { HostError } from '../host-error';
import type { HostLog } from '../host-log';
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
  /** Told of every state change (debug level). */
  readonly log?: HostLog;
}

/** Where one host stands in the restart cycle. */
export type RestartState =
  /** Nothing written since the last restart (or the last restart failed and was reported). */
  | 'idle'
  /** Written; its restart has not started. */
  | 'pending'
  /** The restart is under way: WinRM is down meanwhile. */
  | 'restarting'
  /** Under way, and another write arrived: one more restart is needed after this one. */
  | 'restarting-pending';

const RESTART_TRANSITIONS: TransitionTable<RestartState> = {
  idle: ['pending'],
  pending: ['restarting'],
  restarting: ['idle', 'restarting-pending'],
  'restarting-pending': ['pending'],
};

/** Whether a settle call holds the anchor (the one operation kept until the pending restarts ran). */
export type AnchorState = 'free' | 'held';

const ANCHOR_TRANSITIONS: TransitionTable<AnchorState> = { free: ['held'], held: ['free'] };

/** The restart state of one host, logged, refusing an undeclared change with a HostError. */
export function restartStateMachine(host: string, log?: HostLog): StateMachine<RestartState> {
  return coordinationMachine(`restart of ${host}`, 'idle', RESTART_TRANSITIONS, log);
}

function coordinationMachine<S extends string>(name: string, initial: S, transitions: TransitionTable<S>, log?: HostLog): StateMachine<S> {
  return new StateMachine<S>({
    name,
    initial,
    transitions,
    refuse: (refusal) => new HostError('illegal-transition', describeIllegalTransition(refusal)),
    observe: (change) => log?.debug('state change', { machine: change.machine, from: change.from, to: change.to, reason: change.reason }),
  });
}

interface HostRestart {
  readonly state: StateMachine<RestartState>;
  /** The restart under way, while the state is restarting or restarting-pending. */
  running?: Promise<void>;
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
  private readonly hosts = new Map<string, HostRestart>();
  private readonly anchor: StateMachine<AnchorState>;

  constructor(private readonly options: RestartCoordinatorOptions) {
    this.anchor = coordinationMachine('restart anchor', 'free', ANCHOR_TRANSITIONS, options.log);
  }

  markPending(host: string): void {
    const { state } = this.entry(host);
    if (state.is('idle')) state.transition('pending', 'written');
    else if (state.is('restarting')) state.transition('restarting-pending', 'written during the restart');
  }

  isPending(host: string): boolean {
    return this.hosts.get(host)?.state.is('pending', 'restarting-pending') ?? false;
  }

  /** Waits for a restart of this host that is under way (its WinRM is down meanwhile). */
  async ready(host: string): Promise<void> {
    await this.hosts.get(host)?.running?.catch(() => undefined);
  }

  /**
   * Waits, without running it, until this host has no restart pending or under way: for work that needs
   * the host's new configuration but must not break the coalescing (the anchor runs the restarts once
   * terraform goes quiet, so the caller must not count as activity meanwhile).
   */
  async settled(host: string, signal: AbortSignal): Promise<void> {
    for (let entry = this.hosts.get(host); entry !== undefined && !entry.state.is('idle');) {
      await entry.running?.catch(() => undefined);
      if (entry.state.is('pending')) await sleep(SETTLED_POLL_MS, signal);
    }
  }

  /** Runs this host's pending restart now, or joins the one under way. */
  flush(host: string, signal: AbortSignal): Promise<void> {
    const entry = this.hosts.get(host);
    if (entry?.running) return entry.running;
    if (!entry?.state.is('pending')) return Promise.resolve();
    entry.state.transition('restarting');
    const running = this.options.restartHost(host, signal).finally(() => {
      entry.running = undefined;
      entry.state.transition(entry.state.is('restarting-pending') ? 'pending' : 'idle', 'restart ended');
    });
    entry.running = running;
    return running;
  }

  /**
   * Called by an operation after its write. Returns at once unless the caller becomes the anchor, which
   * returns after every pending restart ran, with the failures it must report.
   */
  async settle(signal: AbortSignal): Promise<RestartFailure[]> {
    if (this.anchor.is('held') || this.waiting().length === 0) return [];
    this.anchor.transition('held');
    const failures: RestartFailure[] = [];
    try {
      while (this.waiting().length > 0) {
        await this.options.activity.quiet(this.options.quietMs, 1, signal);
        failures.push(...(await this.flushAll(this.waiting(), signal)));
      }
    } finally {
      this.anchor.transition('free');
    }
    return failures;
  }

  /** Hosts with a restart pending or under way. */
  private waiting(): string[] {
    return [...this.hosts].filter(([, entry]) => !entry.state.is('idle')).map(([host]) => host);
  }

  private entry(host: string): HostRestart {
    let entry = this.hosts.get(host);
    if (!entry) {
      entry = { state: restartStateMachine(host, this.options.log) };
      this.hosts.set(host, entry);
    }
    return entry;
  }

  private async flushAll(hosts: readonly string[], signal: AbortSignal): Promise<RestartFailure[]> {
    const failures: RestartFailure[] = [];
    const queue = [...hosts];
    const worker = async (): Promise<void> => {
      for (let host = queue.shift(); host !== undefined; host = queue.shift()) {
        try {
          await this.flush(host, signal);
        } catch (e) {
          if (signal.aborted) throw e;
          failures.push({ host, error: e instanceof Error ? e : new HostError('restart-unverified', errorMessage(e)) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.parallelHosts, queue.length) }, worker));
    return failures;
  }
}
