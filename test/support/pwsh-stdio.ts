import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { encodePacket, decodePacket, type OutOfProcPacket } from '../../src/emulator/powershell/outofproc-packets';
import { PWSH_ENVIRONMENT, requirePwsh } from '../../src/emulator/powershell/pwsh-locator';
import { EMPTY_GUID, ClientRunspacePool, type PsrpEvent } from '../../src/psrp';
import { errorMessage } from '../../src/common';

/**
 * A test transport to real PowerShell's stdio PSRP server (`pwsh -s`, the OutOfProc packets of
 * PowerShell's fanin/OutOfProcTransportManager.cs) through the emulator's packet codec: one line per packet, an
 * ack per Data/Command/Signal/Close. Test-only: the emulator owns the product's OutOfProc bridge.
 */
type Waiter = { resolve: () => void; reject: (e: Error) => void };

export class PwshStdio {
  readonly process: ChildProcessWithoutNullStreams;
  readonly stderr: string[] = [];
  private readonly acks = new Map<string, Waiter[]>();
  private readonly dataListeners: Array<(guid: string, bytes: Buffer) => void> = [];
  private exited: Error | undefined;

  constructor(args: string[] = []) {
    const pwsh = requirePwsh();
    this.process = spawn(pwsh.file, [...pwsh.prefix, '-NoLogo', '-NoProfile', '-s', ...args], {
      stdio: 'pipe',
      env: { ...process.env, ...PWSH_ENVIRONMENT },
    });
    createInterface({ input: this.process.stdout }).on('line', (line) => this.onLine(line));
    this.process.stderr.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    this.process.on('exit', (code) => {
      this.exited = new Error(`pwsh exited with ${code}: ${this.stderr.join('').slice(0, 500)}`);
      for (const list of this.acks.values()) for (const w of list) w.reject(this.exited);
      this.acks.clear();
    });
  }

  onData(listener: (guid: string, bytes: Buffer) => void): void {
    this.dataListeners.push(listener);
  }

  private onLine(line: string): void {
    const packet = decodePacket(line);
    if (packet.kind === 'Data') {
      for (const l of this.dataListeners) l(packet.guid, packet.data);
      return;
    }
    const key = `${packet.kind}:${packet.guid}`;
    const waiters = this.acks.get(key);
    const w = waiters?.shift();
    if (!w) throw new Error(`unexpected ${packet.kind} for ${packet.guid}`);
    w.resolve();
  }

  private request(packet: OutOfProcPacket, ack: string): Promise<void> {
    const guid = packet.guid;
    if (this.exited) return Promise.reject(this.exited);
    const key = `${ack}:${guid.toLowerCase()}`;
    return new Promise((resolve, reject) => {
      const list = this.acks.get(key) ?? [];
      list.push({ resolve, reject });
      this.acks.set(key, list);
      this.process.stdin.write(`${encodePacket(packet)}\n`);
    });
  }

  data(guid: string, bytes: Buffer, stream: 'Default' | 'PromptResponse' = 'Default'): Promise<void> {
    return this.request({ kind: 'Data', stream, guid, data: bytes }, 'DataAck');
  }
  command(pid: string): Promise<void> {
    return this.request({ kind: 'Command', guid: pid }, 'CommandAck');
  }
  signal(pid: string): Promise<void> {
    return this.request({ kind: 'Signal', guid: pid }, 'SignalAck');
  }
  close(guid: string): Promise<void> {
    return this.request({ kind: 'Close', guid }, 'CloseAck');
  }

  kill(): void {
    if (this.process.exitCode === null) this.process.kill('SIGKILL');
  }
}

/**
 * Drives a client pool over `pwsh -s`: sends whatever the pool queues (a Command packet before a new
 * pipeline's first Data), feeds every Data packet back, and records the events.
 */
export class PoolOverStdio {
  readonly events: PsrpEvent[] = [];
  private readonly commanded = new Set<string>();
  private pumping: Promise<void> = Promise.resolve();
  private readonly waiters: Array<() => void> = [];
  failure: unknown;

  constructor(
    readonly pwsh: PwshStdio,
    readonly pool: ClientRunspacePool,
  ) {
    pwsh.onData((guid, bytes) => {
      try {
        this.events.push(...pool.receive(bytes, guid === EMPTY_GUID ? undefined : guid));
      } catch (e) {
        this.failure = e;
      }
      void this.pump();
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Sends everything queued, in order, waiting for each ack as .NET's client does. */
  pump(): Promise<void> {
    this.pumping = this.pumping.then(async () => {
      for (let out = this.pool.takeOutbound(32 * 1024); out; out = this.pool.takeOutbound(32 * 1024)) {
        const guid = out.pipelineId ?? EMPTY_GUID;
        if (out.pipelineId && !this.commanded.has(out.pipelineId)) {
          this.commanded.add(out.pipelineId);
          await this.pwsh.command(out.pipelineId);
        }
        await this.pwsh.data(guid, out.bytes, out.stream === 'pr' ? 'PromptResponse' : 'Default');
      }
    });
    return this.pumping;
  }

  /** Resolves when `predicate` holds over the events so far (checked after each packet). */
  async until(predicate: (events: PsrpEvent[]) => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      if (this.failure) throw this.failure instanceof Error ? this.failure : new Error(errorMessage(this.failure));
      if (this.pwsh.process.exitCode !== null) throw new Error(`pwsh exited: ${this.pwsh.stderr.join('')}`);
      if (Date.now() > deadline) throw new Error(`timed out; events: ${this.events.map((e) => e.kind).join(',')}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
}
