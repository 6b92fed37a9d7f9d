/**
 * One WinRS command: a real local process whose stdout/stderr are queued for Receive, whose stdin is fed
 * by Send, and which Signal interrupts or kills. The process runs in its own process group so a signal
 * reaches whatever the shell started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { diesWithEmulator } from './parent-death';
import { PWSH_ENVIRONMENT, type PwshCommand } from '../powershell/pwsh-locator';
import { NOT_RECOGNIZED_EXIT_CODE, notRecognizedMessage, type LaunchPlan } from './command-line';

export type StreamName = 'stdout' | 'stderr';

export interface OutputChunk {
  readonly stream: StreamName;
  readonly data: Buffer;
}

export interface ReceiveResult {
  readonly chunks: OutputChunk[];
  /** Set once the process has exited and every byte of the desired streams has been taken. */
  readonly exitCode?: number;
}

const BATCH_QUIET_MS = 20;
const INTERRUPT_RESENDS = 5;
const INTERRUPT_RESEND_MS = 250;
const BATCH_MAX_MS = 150;
/**
 * Output held for a client that does not Receive. Beyond it the process's pipes are paused, so it blocks
 * on write as it would against a full WinRS buffer, instead of the emulator's memory growing without end.
 */
const MAX_QUEUED_BYTES = 1024 * 1024;

/** STATUS_CONTROL_C_EXIT, the exit code Windows reports for a process ended by ctrl_c (inference). */
const CTRL_C_EXIT = 3221225786;

/** TERM=dumb: PowerShell 7 then writes errors without ANSI colour sequences, as Windows PowerShell does under WinRS. */
function spawnPowerShell(pwsh: PwshCommand, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  const launch = diesWithEmulator(pwsh.file, [...pwsh.prefix, ...args]);
  return spawn(launch.file, launch.args, {
    cwd,
    env: { ...env, ...PWSH_ENVIRONMENT, TERM: 'dumb' },
    detached: true,
    stdio: 'pipe',
  });
}

export class CommandProcess {
  private child: ChildProcess | undefined;
  private readonly queue: OutputChunk[] = [];
  private queuedBytes = 0;
  private exitCode: number | undefined;
  private readonly events = new EventEmitter();

  constructor(
    readonly id: string,
    readonly commandLine: string,
  ) {
    this.events.setMaxListeners(0);
  }

  /** Starts the process; rejects with the spawn error (e.g. ENOENT) for a direct launch that cannot start. */
  start(plan: LaunchPlan, cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
    if (plan.kind === 'notRecognized') {
      this.push('stderr', Buffer.from(notRecognizedMessage(plan.name)));
      this.finish(NOT_RECOGNIZED_EXIT_CODE);
      return Promise.resolve();
    }
    if (plan.kind === 'host') {
      this.finish(0);
      return Promise.resolve();
    }
    const child =
      plan.kind === 'shell'
        ? spawn('/bin/sh', ['-c', plan.line], { cwd, env, detached: true, stdio: 'pipe' })
        : plan.kind === 'powershell'
          ? spawnPowerShell(plan.pwsh, plan.args, cwd, env)
          : spawn(plan.file, [...plan.args], { cwd, env, detached: true, stdio: 'pipe' });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => this.push('stdout', d));
    child.stderr?.on('data', (d: Buffer) => this.push('stderr', d));
    // A client may write after the process closed its stdin; that is not the emulator's failure.
    child.stdin?.on('error', () => undefined);
    return new Promise((resolve, reject) => {
      child.once('spawn', () => {
        child.once('close', (code, signal) => this.finish(code ?? (signal === 'SIGINT' ? CTRL_C_EXIT : 1)));
        resolve();
      });
      child.once('error', (e) => {
        this.child = undefined;
        reject(e);
      });
    });
  }

  get done(): boolean {
    return this.exitCode !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Writes to stdin; `end` closes it. Data for a finished process is dropped, as Windows does. */
  send(data: Buffer, end: boolean): void {
    const stdin = this.child?.stdin;
    if (!stdin || this.done || stdin.destroyed) return;
    if (data.length > 0) stdin.write(data);
    if (end) stdin.end();
  }

  /**
   * ctrl_c. The local shell (dash) catches SIGINT for `sh -c`, and a SIGINT that lands in its forked child
   * between fork and exec is dropped by the exec, so a loaded machine can lose it: while the command keeps
   * running, the signal is sent again a few times.
   */
  interrupt(): void {
    this.signalGroup('SIGINT');
    let resends = INTERRUPT_RESENDS;
    const again = setInterval(() => {
      if (this.done || resends-- <= 0) clearInterval(again);
      else this.signalGroup('SIGINT');
    }, INTERRUPT_RESEND_MS);
    again.unref();
  }

  /**
   * Ends the command and whatever it started, as Windows ends a shell's job object: the group is killed
   * even after its leader exited, since a background child (`cmd &`) may still run in it.
   */
  kill(): void {
    this.signalGroup('SIGKILL', true);
  }

  /**
   * Takes queued output of the desired streams, waiting up to `timeoutMs` for some to arrive. Returns
   * undefined when nothing arrived in time (the caller answers w:TimedOut). `maxBytes` bounds one answer.
   */
  async receive(desired: ReadonlySet<StreamName>, timeoutMs: number, maxBytes: number): Promise<ReceiveResult | undefined> {
    if (!this.hasOutputFor(desired) && !this.done) {
      const arrived = await this.waitForChange(timeoutMs);
      if (!arrived) return undefined;
      // Let a burst of output, and the exit that often follows it, land in one answer as Windows batches
      // them: gather until the process ends or stays quiet for a moment, within a bound.
      const until = Date.now() + BATCH_MAX_MS;
      while (!this.done && Date.now() < until && (await this.waitForChange(BATCH_QUIET_MS)));
    }
    const chunks: OutputChunk[] = [];
    let bytes = 0;
    for (let i = 0; i < this.queue.length && bytes < maxBytes;) {
      const c = this.queue[i] as OutputChunk;
      if (!desired.has(c.stream)) {
        i += 1;
        continue;
      }
      const room = maxBytes - bytes;
      if (c.data.length > room) {
        chunks.push({ stream: c.stream, data: c.data.subarray(0, room) });
        this.queue[i] = { stream: c.stream, data: c.data.subarray(room) };
        bytes = maxBytes;
        break;
      }
      chunks.push(c);
      bytes += c.data.length;
      this.queue.splice(i, 1);
    }
    this.queuedBytes -= bytes;
    if (this.queuedBytes < MAX_QUEUED_BYTES) {
      this.child?.stdout?.resume();
      this.child?.stderr?.resume();
    }
    const exitCode = this.done && !this.hasOutputFor(desired) ? this.exitCode : undefined;
    return exitCode === undefined ? { chunks } : { chunks, exitCode };
  }

  private hasOutputFor(desired: ReadonlySet<StreamName>): boolean {
    return this.queue.some((c) => desired.has(c.stream));
  }

  private waitForChange(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const onChange = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.events.off('change', onChange);
        resolve(false);
      }, timeoutMs);
      this.events.once('change', onChange);
    });
  }

  private push(stream: StreamName, data: Buffer): void {
    this.queue.push({ stream, data });
    this.queuedBytes += data.length;
    if (this.queuedBytes >= MAX_QUEUED_BYTES) {
      this.child?.stdout?.pause();
      this.child?.stderr?.pause();
    }
    this.events.emit('change');
  }

  private finish(code: number): void {
    if (this.exitCode !== undefined) return;
    this.exitCode = code;
    this.child?.stdin?.destroy();
    this.events.emit('change');
  }

  private signalGroup(signal: NodeJS.Signals, evenAfterExit = false): void {
    const pid = this.child?.pid;
    if (pid === undefined || (this.done && !evenAfterExit)) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  }
}
