/**
 * A shell on the emulated host. `cmd` shells (WinRS, `windows/shell/cmd`) run commands as local processes;
 * `powershell` shells (`http://schemas.microsoft.com/powershell/<plugin>`) are accepted without a PSRP
 * engine so their Create echo, quotas, idle expiry, Get and Enumerate can be observed. The state field,
 * the client SessionId and per-shell BufferMode are kept so Disconnect/Reconnect and a PSRP engine can
 * be added without reshaping the model.
 */
import type { CommandProcess } from './command-process';

export type ShellKind = 'cmd' | 'powershell';

/** PowerShell shells are addressed by this prefix followed by their plugin's name. */
export type ShellState = 'Connected' | 'Disconnected';

export interface ShellSettings {
  readonly id: string;
  readonly kind: ShellKind;
  readonly resourceUri: string;
  readonly owner: string;
  readonly clientIp: string;
  /** Plugin name for PowerShell shells. */
  readonly plugin?: string;
  readonly idleTimeoutMs: number;
  readonly maxIdleTimeoutMs?: number;
  readonly bufferMode?: 'Block' | 'Drop';
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
  state: ShellState = 'Connected';
  private inFlight = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly settings: ShellSettings,
    private readonly onIdleExpired: (shell: Shell) => void,
  ) {
    this.armIdleTimer();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Whether `user` owns the shell; WinRM compares user names case-insensitively. */
  ownedBy(user: string): boolean {
    return this.settings.owner.toLowerCase() === user.toLowerCase();
  }

  /** Marks an operation on the shell as started; the returned function marks it finished. */
  beginOperation(): () => void {
    this.inFlight += 1;
    this.lastActivity = Date.now();
    this.clearIdleTimer();
    return () => {
      this.inFlight -= 1;
      this.lastActivity = Date.now();
      if (this.inFlight === 0) this.armIdleTimer();
    };
  }

  /** Kills every command and stops the idle timer. */
  close(): void {
    this.closed = true;
    this.clearIdleTimer();
    for (const c of this.commands.values()) c.kill();
    this.commands.clear();
  }

  private armIdleTimer(): void {
    if (this.closed) return;
    this.clearIdleTimer();
    this.idleTimer = setTimeout(() => this.onIdleExpired(this), this.settings.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
