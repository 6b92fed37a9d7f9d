/**
 * A shell on the emulated host. `cmd` shells (WinRS, `windows/shell/cmd`) run commands as local processes;
 * `powershell` shells (`http://schemas.microsoft.com/powershell/<plugin>`) are bridged to their own
 * `pwsh -s` (src/emulator/powershell/powershell-session.ts).
 *
 * Its life is an explicit state machine (src/common/state-machine.ts):
 *   Opening      the Create is being served (a PowerShell shell waits for pwsh to take the creationXml)
 *   Connected    a client is attached; the idle clock runs while no operation is in flight
 *   Disconnected Disconnect (MS-WSMV 3.1.4.15): commands run on, the idle clock runs from the disconnect
 *                whatever the commands do (about_Remote_Disconnected_Sessions), Reconnect/Connect attach again
 *   Closed       Delete, idle expiry, a WinRM restart or the engine's end; final
 */
import { StateMachine, describeIllegalTransition, type TransitionTable } from '../../common';
import { EmulatorError } from '../emulator-error';
import type { PowerShellSession, BufferMode } from '../powershell/powershell-session';
import type { CommandProcess } from './command-process';

export type ShellKind = 'cmd' | 'powershell';

export type ShellState = 'Opening' | 'Connected' | 'Disconnected' | 'Closed';

export const SHELL_TRANSITIONS: TransitionTable<ShellState> = {
  Opening: ['Connected', 'Closed'],
  Connected: ['Disconnected', 'Closed'],
  Disconnected: ['Connected', 'Closed'],
  Closed: [],
};

export interface ShellSettings {
  readonly id: string;
  readonly kind: ShellKind;
  readonly resourceUri: string;
  /** rsp:Name of the Create (New-PSSession -Name), by which a later client finds the session. */
  readonly name?: string;
  readonly owner: string;
  readonly clientIp: string;
  /** Plugin name for PowerShell shells. */
  readonly plugin?: string;
  readonly idleTimeoutMs: number;
  readonly maxIdleTimeoutMs?: number;
  readonly bufferMode?: BufferMode;
  readonly inputStreams: string;
  readonly outputStreams: string;
  readonly environment: ReadonlyArray<readonly [string, string]>;
  readonly workingDirectory?: string;
  /** The local directory commands run in. */
  readonly localCwd: string;
  readonly codepage?: string;
  readonly noProfile: boolean;
  readonly sessionId?: string;
  readonly locale: string;
  readonly dataLocale: string;
}

export class Shell {
  readonly commands = new Map<string, CommandProcess>();
  readonly createdAt = Date.now();
  lastActivity = Date.now();
  /** The PSRP engine of a PowerShell shell. */
  session: PowerShellSession | undefined;
  /** Disconnect may change them (rsp:IdleTimeOut, rsp:BufferMode). */
  idleTimeoutMs: number;
  bufferMode: BufferMode | undefined;
  /** The wsmv:SessionId of the attached client (Reconnect must come from it). */
  clientSessionId: string | undefined;
  private readonly machine: StateMachine<ShellState>;
  private inFlight = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private detach: (() => void) | undefined;
  private detached: Promise<void> = new Promise(() => undefined);

  constructor(
    readonly settings: ShellSettings,
    private readonly onIdleExpired: (shell: Shell) => void,
    log: (msg: string) => void = () => undefined,
  ) {
    this.idleTimeoutMs = settings.idleTimeoutMs;
    this.bufferMode = settings.bufferMode;
    this.clientSessionId = settings.sessionId;
    this.machine = new StateMachine<ShellState>({
      name: `shell ${settings.id}`,
      initial: 'Opening',
      transitions: SHELL_TRANSITIONS,
      refuse: (refusal) => new EmulatorError('illegal-transition', describeIllegalTransition(refusal)),
      observe: (change) =>
        log(`${change.machine}: ${change.from} -> ${change.to}${change.reason === undefined ? '' : ` (${change.reason})`}`),
    });
    this.attach();
  }

  get state(): ShellState {
    return this.machine.state;
  }

  get isClosed(): boolean {
    return this.machine.is('Closed');
  }

  /** Whether `user` owns the shell; WinRM compares user names case-insensitively. */
  ownedBy(user: string): boolean {
    return this.settings.owner.toLowerCase() === user.toLowerCase();
  }

  /** Settles when the attached client is detached (Disconnect, close): pending long-polls stop waiting. */
  get whenDetached(): Promise<void> {
    return this.detached;
  }

  /** The Create was served. */
  opened(): void {
    this.machine.transition('Connected', 'created');
  }

  /** Marks an operation on the shell as started; the returned function marks it finished. */
  beginOperation(): () => void {
    this.inFlight += 1;
    this.lastActivity = Date.now();
    if (!this.machine.is('Disconnected')) this.clearIdleTimer();
    return () => {
      this.inFlight -= 1;
      this.lastActivity = Date.now();
      if (this.inFlight === 0 && !this.machine.is('Disconnected')) this.armIdleTimer();
    };
  }

  /** Disconnect: the client leaves; the idle clock starts now, whatever runs. */
  disconnect(idleTimeoutMs: number | undefined, bufferMode: BufferMode | undefined, reason = 'client disconnected'): void {
    this.machine.transition('Disconnected', reason);
    if (idleTimeoutMs !== undefined) this.idleTimeoutMs = idleTimeoutMs;
    if (bufferMode !== undefined) this.bufferMode = bufferMode;
    this.detach?.();
    this.session?.disconnect(this.bufferMode ?? 'Block');
    this.lastActivity = Date.now();
    this.armIdleTimer();
  }

  /** Reconnect (same client) or Connect (any client of the same user). */
  reconnect(clientSessionId: string | undefined, how: 'reconnect' | 'connect'): void {
    this.machine.transition('Connected', how);
    this.clientSessionId = clientSessionId;
    this.attach();
    if (how === 'reconnect') this.session?.reconnect();
    this.lastActivity = Date.now();
    if (this.inFlight === 0) this.armIdleTimer();
    else this.clearIdleTimer();
  }

  /** Kills every command and the PowerShell engine, and stops the idle timer. */
  close(reason: string): Promise<void> {
    if (this.machine.is('Closed')) return this.session?.whenExited() ?? Promise.resolve();
    this.machine.transition('Closed', reason);
    this.clearIdleTimer();
    this.detach?.();
    for (const c of this.commands.values()) c.kill();
    this.commands.clear();
    return this.session?.close() ?? Promise.resolve();
  }

  private attach(): void {
    this.detached = new Promise((resolve) => (this.detach = resolve));
    this.armIdleTimer();
  }

  private armIdleTimer(): void {
    if (this.machine.is('Closed')) return;
    this.clearIdleTimer();
    this.idleTimer = setTimeout(() => this.onIdleExpired(this), this.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
