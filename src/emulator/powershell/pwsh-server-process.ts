/**
 * One `pwsh -NoLogo -NoProfile -s` process: the OutOfProc PSRP server of one PowerShell session, as Windows
 * runs one wsmprovhost.exe per session. It runs in its own process group and exits when its stdin closes
 * (pwsh -s treats stdin EOF as fatal: OutOfProcServerMediator, exit code 4000), so even a SIGKILLed emulator
 * leaves none behind: the kernel closes the pipe and pwsh notices.
 *
 * Flow control (reference: PowerShell `fanin/OutOfProcTransportManager.cs`): every Data, Command, Signal
 * and Close the client writes is answered by an ack for the same PSGuid, and the client sends the next
 * packet for a target only after the previous one was acked. Each target (the pool, each pipeline) has its
 * own chain, so one pipeline waiting for its ack never holds another up.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { errorMessage } from '../../common';
import { EmulatorError } from '../emulator-error';
import { diesWithEmulator } from '../shells/parent-death';
import { PWSH_ENVIRONMENT, type PwshCommand } from './pwsh-locator';
import { decodePacket, encodePacket, type DataStream, type OutOfProcPacket, type SignalPacketKind } from './outofproc-packets';

export interface PwshServerOptions {
  readonly pwsh: PwshCommand;
  /** A session configuration file (.pssc) applied to the pool (`-ConfigurationFile`, PowerShell 7.3+). */
  readonly configurationFile?: string;
  readonly cwd: string;
  /** Variables added to the emulator's environment (the host's drive, PSModulePath, the sender's identity). */
  readonly env?: Readonly<Record<string, string>>;
  /** MaxMemoryPerShellMB: the .NET GC heap of the process is capped at this size. */
  readonly maxMemoryMB?: number;
  /** How long an ack may take before the process is considered broken. */
  readonly ackTimeoutMs?: number;
  readonly onData: (guid: string, stream: DataStream, fragments: Buffer) => void;
  readonly onExit: (code: number | null, stderr: string) => void;
}

/** The ack each client packet is answered with. */
const ACK_OF = { Data: 'DataAck', Command: 'CommandAck', Signal: 'SignalAck', Close: 'CloseAck' } as const;
type ClientPacketKind = keyof typeof ACK_OF;

interface AckWaiter {
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

const DEFAULT_ACK_TIMEOUT_MS = 120_000;
/** Enough stderr to explain an exit, no more. */
const STDERR_KEPT = 8192;

export class PwshServerProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  /** Per PSGuid, the tail of the chain of packets written for that target. */
  private readonly chains = new Map<string, Promise<void>>();
  /** Waiters for an ack, keyed `<AckKind> <guid>`, oldest first. */
  private readonly waiters = new Map<string, AckWaiter[]>();
  private readonly lines: Interface;
  private stderr = '';
  private exited: EmulatorError | undefined;
  readonly spawned: Promise<void>;

  constructor(private readonly options: PwshServerOptions) {
    const args = ['-NoLogo', '-NoProfile', '-s'];
    if (options.configurationFile !== undefined) args.push('-ConfigurationFile', options.configurationFile);
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, ...PWSH_ENVIRONMENT };
    // DOTNET_GCHeapHardLimit is read as hexadecimal bytes (https://learn.microsoft.com/dotnet/core/runtime-config/garbage-collector).
    if (options.maxMemoryMB !== undefined) env.DOTNET_GCHeapHardLimit = (options.maxMemoryMB * 1024 * 1024).toString(16);
    // pwsh -s ends at stdin EOF by itself; the parent-death signal also covers a pwsh stuck before it reads.
    const launch = diesWithEmulator(options.pwsh.file, [...options.pwsh.prefix, ...args]);
    this.child = spawn(launch.file, launch.args, { cwd: options.cwd, env, detached: true, stdio: 'pipe' });
    this.child.stdin.on('error', () => undefined);
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString('utf8')).slice(-STDERR_KEPT);
    });
    this.lines = createInterface({ input: this.child.stdout, crlfDelay: Infinity });
    this.lines.on('line', (line) => this.onLine(line));
    this.spawned = new Promise((resolve, reject) => {
      this.child.once('spawn', () => resolve());
      this.child.once('error', (e) => reject(new EmulatorError('pwsh-exited', `pwsh could not start: ${errorMessage(e)}`)));
    });
    this.spawned.catch(() => undefined);
    this.child.once('close', (code) => {
      this.exited = new EmulatorError(
        'pwsh-exited',
        `pwsh -s ended (exit code ${code ?? 'none'})${this.stderr.trim() === '' ? '' : `: ${this.stderr.trim()}`}`,
      );
      for (const list of this.waiters.values()) for (const w of list) w.reject(this.exited);
      this.waiters.clear();
      options.onExit(code, this.stderr);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exited === undefined;
  }

  /** Data(guid) with PSRP fragments, resolved once pwsh acked it. */
  sendData(guid: string, stream: DataStream, fragments: Buffer): Promise<void> {
    return this.exchange({ kind: 'Data', stream, guid, data: fragments });
  }

  /** Command, Signal or Close for `guid`, resolved once pwsh acked it. */
  send(kind: Exclude<ClientPacketKind, 'Data'>, guid: string): Promise<void> {
    return this.exchange({ kind, guid });
  }

  /**
   * Stops reading pwsh's stdout: once the pipe fills, pwsh blocks in its writer, which suspends every
   * pipeline that writes (OutputBufferingMode Block). Acks wait too: all targets share pwsh's one writer.
   */
  pauseOutput(): void {
    this.lines.pause();
  }

  resumeOutput(): void {
    this.lines.resume();
  }

  /** Closing stdin is how pwsh -s is told to end (it closes the session, then exits). */
  endInput(): void {
    this.child.stdin.end();
  }

  /** Ends the process group at once (a session that must not wait for pwsh's own shutdown). */
  kill(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  /** Resolves when the process has ended. */
  whenExited(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => this.child.once('close', () => resolve()));
  }

  private exchange(packet: OutOfProcPacket & { kind: ClientPacketKind }): Promise<void> {
    const guid = packet.guid.toLowerCase();
    const previous = this.chains.get(guid) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.writeAndAwaitAck(packet, guid));
    this.chains.set(guid, next);
    void next
      .finally(() => {
        if (this.chains.get(guid) === next) this.chains.delete(guid);
      })
      .catch(() => undefined);
    return next;
  }

  private writeAndAwaitAck(packet: OutOfProcPacket & { kind: ClientPacketKind }, guid: string): Promise<void> {
    if (this.exited) return Promise.reject(this.exited);
    const key = `${ACK_OF[packet.kind]} ${guid}`;
    return new Promise<void>((resolve, reject) => {
      const timeoutMs = this.options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
      const timer = setTimeout(() => {
        this.dropWaiter(key, waiter);
        reject(
          new EmulatorError(
            'pwsh-protocol',
            `pwsh did not answer ${packet.kind} for ${guid} with ${ACK_OF[packet.kind]} within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      timer.unref();
      const waiter: AckWaiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const list = this.waiters.get(key) ?? [];
      list.push(waiter);
      this.waiters.set(key, list);
      this.child.stdin.write(`${encodePacket(packet)}\n`);
    });
  }

  private dropWaiter(key: string, waiter: AckWaiter): void {
    const list = this.waiters.get(key);
    const i = list?.indexOf(waiter) ?? -1;
    if (list && i >= 0) list.splice(i, 1);
  }

  private onLine(line: string): void {
    if (line.trim() === '') return;
    let packet: OutOfProcPacket;
    try {
      packet = decodePacket(line);
    } catch (e: unknown) {
      // A server that breaks the grammar cannot be followed any further: end it (its session ends with it).
      this.stderr = `${errorMessage(e)}\n${this.stderr}`.slice(-STDERR_KEPT);
      this.kill();
      return;
    }
    if (packet.kind === 'Data') {
      this.options.onData(packet.guid, packet.stream, packet.data);
      return;
    }
    const waiter = this.waiters.get(`${packet.kind satisfies SignalPacketKind} ${packet.guid}`)?.shift();
    waiter?.resolve();
  }
}
