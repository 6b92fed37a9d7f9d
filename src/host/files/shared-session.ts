/**
 * One session per host on the administrative endpoint, shared by every file operation on that host
 * while they keep coming (terraform applies a host's files side by side), closed once none has used it
 * for a moment. It runs over the host's persistent client within its concurrency cap. A session that
 * broke (WinRM restarted under it, the connection dropped) is dropped and the operation runs once more
 * in a fresh one: every file operation can run again from its start.
 */
import { StateMachine, type TransitionTable } from '../../common';
import { describeIllegalTransition } from '../../common/state-machine';
import type { Host } from '../host';
import { HostError, type HostErrorKind } from '../host-error';
import type { PowerShellSession } from '../powershell';
import { untilAborted } from '../sessions/psrp-command';
import { chunkBytes } from './file-operations';

/** The endpoint Copy-Item -ToSession users open by default: full language, administrators only. */
export const ADMIN_ENDPOINT = 'Microsoft.PowerShell';
/** How long an unused session stays open for the next operation (terraform starts a host's files within moments). */
const IDLE_CLOSE_MS = 2000;
/**
 * The host deletes the shell after this long without a request, should this process end before it
 * closes the session (Windows' minimum shell idle timeout, New-PSSessionOption -IdleTimeout).
 */
const SHELL_IDLE_TIMEOUT_MS = 60_000;
/** Pipelines at once in the session: files written side by side. */
const RUNSPACES = 4;

/**
 * HostErrors that do not say the host refused: the session's own PSRP failing (it broke) and a local
 * file that changed while it was read. Like any other failure they drop the session and run once more.
 */
const NOT_REFUSALS: ReadonlySet<HostErrorKind> = new Set<HostErrorKind>(['powershell-session', 'source-changed']);

export type FileSessionState = 'opening' | 'open' | 'closed';
const TRANSITIONS: TransitionTable<FileSessionState> = { opening: ['open', 'closed'], open: ['closed'], closed: [] };

export interface SessionUse {
  readonly session: PowerShellSession;
  /** Raw bytes per chunk in this session. */
  readonly chunkBytes: number;
}

/** One opened (or opening) session and its users. */
class Lease {
  readonly state = new StateMachine<FileSessionState>({
    name: 'file session',
    initial: 'opening',
    transitions: TRANSITIONS,
    refuse: (refusal) => new HostError('illegal-transition', describeIllegalTransition(refusal)),
  });
  readonly ready: Promise<SessionUse>;
  users = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly life = new AbortController();

  constructor(host: Host) {
    this.ready = open(host, this.life.signal);
    this.ready.then(
      () => {
        if (this.state.is('opening')) this.state.transition('open');
        else void this.closeSession();
      },
      () => {
        if (!this.state.is('closed')) this.state.transition('closed', 'open failed');
      },
    );
  }

  enter(): void {
    this.users += 1;
    clearTimeout(this.idleTimer);
  }

  /** The last user gone: closes after a quiet moment, unless another comes. */
  leave(onClose: () => void): void {
    this.users -= 1;
    if (this.users > 0 || this.state.is('closed')) return;
    this.idleTimer = setTimeout(() => {
      onClose();
      this.close('idle');
    }, IDLE_CLOSE_MS);
    this.idleTimer.unref();
  }

  close(reason: string): void {
    clearTimeout(this.idleTimer);
    if (this.state.is('closed')) return;
    const wasOpen = this.state.is('open');
    this.state.transition('closed', reason);
    this.life.abort(new HostError('invalid-request', 'the file session was closed'));
    if (wasOpen) void this.closeSession();
  }

  private async closeSession(): Promise<void> {
    const use = await this.ready.catch(() => undefined);
    await use?.session.close().catch(() => undefined);
  }
}

async function open(host: Host, signal: AbortSignal): Promise<SessionUse> {
  const session = await host.openPowerShell(
    { configurationName: ADMIN_ENDPOINT, noProfile: true, idleTimeoutMs: SHELL_IDLE_TIMEOUT_MS, maxRunspaces: RUNSPACES },
    signal,
  );
  return { session, chunkBytes: chunkBytes(session.fragmentBudget) };
}

/** The shared file session of one host. */
export class FileSessions {
  private current: Lease | undefined;

  constructor(private readonly host: Host) {}

  /** Runs `work` in the host's shared session; a session that broke is replaced once. */
  async use<T>(work: (use: SessionUse) => Promise<T>, signal: AbortSignal): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const lease = this.lease();
      lease.enter();
      try {
        return await work(await untilAborted(lease.ready, signal));
      } catch (e) {
        // A HostError refusal is the host's answer: the session is fine. Anything else broke it.
        if ((e instanceof HostError && !NOT_REFUSALS.has(e.kind)) || signal.aborted) throw e;
        this.drop(lease, 'broken');
        if (attempt >= 2) throw e;
      } finally {
        lease.leave(() => this.forget(lease));
      }
    }
  }

  private lease(): Lease {
    if (!this.current || this.current.state.is('closed')) this.current = new Lease(this.host);
    return this.current;
  }

  private drop(lease: Lease, reason: string): void {
    this.forget(lease);
    lease.close(reason);
  }

  private forget(lease: Lease): void {
    if (this.current === lease) this.current = undefined;
  }
}

const perHost = new WeakMap<Host, FileSessions>();

export function fileSessions(host: Host): FileSessions {
  let s = perHost.get(host);
  if (!s) perHost.set(host, (s = new FileSessions(host)));
  return s;
}
