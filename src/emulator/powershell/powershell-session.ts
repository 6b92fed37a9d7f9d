/**
 * The engine behind one emulated PowerShell shell: a `pwsh -s` process driven through the OutOfProc packets,
 * with the WS-Man operations mapped onto them (reference: MS-PSRP 3.1.5.3 for the WS-Man side, PowerShell
 * `fanin/OutOfProcTransportManager.cs` for the packets):
 *   Create  -> Data(pool) with the creationXml fragments, after its DataAck
 *   Command -> Command(pid) -> CommandAck -> Data(pid) with the Arguments fragments -> DataAck
 *   Send    -> Data(pool or pid, Default for `stdin`, PromptResponse for `pr`) -> DataAck
 *   Receive <- pwsh's Data for that target, queued until taken (one rsp:Stream element per message)
 *   Signal  -> Signal(pid) for the stop code, Close(pid) for any other (PerformWSManPluginSignal)
 *   Delete  -> Close(pid) for each pipeline, Close(pool), then stdin closed
 * Disconnect, Reconnect and Connect are the bridge's own (pwsh -s has none, MS-PSRP 3.1.4.9-10): the process
 * and its output reader live on; a Connect is answered from what the creationXml and pwsh's answers said.
 *
 * The pipeline's OutOfProc PSGuid is the PID inside its CREATE_PIPELINE, not the WS-Man CommandId: older
 * clients (most pypsrp recordings) wrote GUID bytes in RFC order, so the two differ, and pwsh addresses its
 * answers by the PID it decoded.
 */
import {
  EMPTY_GUID,
  MessageReader,
  MessageWriter,
  ObjectIdSequence,
  PsScalar,
  deserializeClixml,
  numberProperty,
  psPropertyBag,
  readSessionCapability,
  serializeClixml,
  sessionCapability,
  type PsrpMessage,
} from '../../psrp';
import { EmulatorError } from '../emulator-error';
import { POOL_GUID } from './outofproc-packets';
import { PwshServerProcess } from './pwsh-server-process';
import type { PwshCommand } from './pwsh-locator';
import { TargetOutput, type QueuedMessage } from './target-output';

export type BufferMode = 'Block' | 'Drop';

export interface PowerShellSessionOptions {
  readonly pwsh: PwshCommand;
  readonly cwd: string;
  readonly configurationFile?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly maxMemoryMB?: number;
  /** Bytes of unreceived output held before Block suspends pwsh or Drop discards the oldest. */
  readonly outputBufferBytes: number;
  /** Told when the process ended by itself (crash, exit): the shell is then gone. */
  readonly onExit: (reason: string) => void;
}

export interface ReceivedOutput {
  readonly messages: readonly QueuedMessage[];
  /** The pipeline's terminal state has been taken: the command is Done. */
  readonly done: boolean;
}

/** What the client said when it opened the pool, kept to answer a later Connect. */
interface PoolOpening {
  readonly rpid: string;
  readonly protocolVersion: string;
  readonly minRunspaces: number;
  readonly maxRunspaces: number;
}

/** The bridge's own messages get ObjectIds far from pwsh's (which count 1, 2, 3… per process). */
const BRIDGE_OBJECT_IDS_FROM = 1n << 40n;
/** Fragments the bridge writes fit well inside any MaxEnvelopeSize after base64. */
const BRIDGE_FRAGMENT_BYTES = 32 * 1024;
/** How long Delete waits for pwsh to close the pool and exit before killing it. */
const CLOSE_GRACE_MS = 5000;

export class PowerShellSession {
  private readonly process: PwshServerProcess;
  private readonly pool = new TargetOutput('pool');
  /** Pipelines by OutOfProc PSGuid (lower-case PID). */
  private readonly pipelines = new Map<string, TargetOutput>();
  /** WS-Man CommandId (upper-case) -> OutOfProc PSGuid. */
  private readonly commandGuids = new Map<string, string>();
  private readonly writer = new MessageWriter(new ObjectIdSequence(BRIDGE_OBJECT_IDS_FROM), { byteOrderMark: true });
  private opening: PoolOpening | undefined;
  private applicationPrivateData: PsrpMessage | undefined;
  private bufferMode: BufferMode = 'Block';
  private disconnected = false;
  private paused = false;
  private closing = false;

  constructor(private readonly options: PowerShellSessionOptions) {
    this.process = new PwshServerProcess({
      pwsh: options.pwsh,
      cwd: options.cwd,
      configurationFile: options.configurationFile,
      env: options.env,
      maxMemoryMB: options.maxMemoryMB,
      onData: (guid, _stream, fragments) => this.onData(guid, fragments),
      onExit: (code, stderr) => {
        this.pool.end();
        for (const p of this.pipelines.values()) p.end();
        if (!this.closing) options.onExit(`pwsh -s ended (exit code ${code ?? 'none'})${stderr.trim() === '' ? '' : `: ${stderr.trim()}`}`);
      },
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get running(): boolean {
    return this.process.running;
  }

  /** Starts pwsh and hands it the creationXml (SESSION_CAPABILITY + INIT_RUNSPACEPOOL). */
  async open(creation: Buffer): Promise<void> {
    await this.process.spawned;
    this.opening = readOpening(creation);
    await this.process.sendData(POOL_GUID, 'Default', creation);
  }

  /** Command: a new pipeline (CREATE_PIPELINE or GET_COMMAND_METADATA in `args`). */
  async startPipeline(commandId: string, args: Buffer): Promise<void> {
    const first = new MessageReader().push(args)[0];
    const guid = (first?.pid ?? commandId).toLowerCase();
    this.commandGuids.set(commandId.toUpperCase(), guid);
    this.pipelines.set(guid, new TargetOutput('pipeline'));
    await this.process.send('Command', guid);
    if (args.length > 0) await this.process.sendData(guid, 'Default', args);
  }

  hasCommand(commandId: string): boolean {
    return this.commandGuids.has(commandId.toUpperCase());
  }

  commandIds(): string[] {
    return [...this.commandGuids.keys()];
  }

  /** Send: `stdin` data or `pr` host responses, to the pool (no CommandId) or a pipeline. */
  async send(commandId: string | undefined, stream: 'stdin' | 'pr', fragments: Buffer): Promise<void> {
    const guid = commandId === undefined ? POOL_GUID : this.guidOf(commandId);
    await this.process.sendData(guid, stream === 'pr' ? 'PromptResponse' : 'Default', fragments);
  }

  /** Receive: waits up to `timeoutMs` for output of the target; undefined when none came (w:TimedOut). */
  async receive(
    commandId: string | undefined,
    timeoutMs: number,
    maxBytes: number,
    cancel: Promise<unknown>,
  ): Promise<ReceivedOutput | undefined> {
    const target = commandId === undefined ? this.pool : this.pipelines.get(this.guidOf(commandId));
    if (!target) throw new EmulatorError('pwsh-protocol', `no pipeline ${commandId ?? ''}`);
    if (!(await target.wait(timeoutMs, cancel))) return undefined;
    const messages = target.take(maxBytes);
    this.relieve();
    if (messages.length === 0 && !(target.kind === 'pipeline' && target.finished)) return undefined;
    return { messages, done: target.kind === 'pipeline' && target.finished && target.empty };
  }

  /** Signal with PowerShell's stop code: the pipeline stops (its final PIPELINE_STATE follows). */
  async stop(commandId: string): Promise<void> {
    await this.process.send('Signal', this.guidOf(commandId));
  }

  /** Signal with any other code: the pipeline is closed and forgotten. */
  async closePipeline(commandId: string): Promise<void> {
    const guid = this.guidOf(commandId);
    this.commandGuids.delete(commandId.toUpperCase());
    const target = this.pipelines.get(guid);
    this.pipelines.delete(guid);
    if (target) this.relieve();
    await this.process.send('Close', guid);
  }

  /** Disconnect: the client goes away; output is held under `mode` until someone Receives again. */
  disconnect(mode: BufferMode): void {
    this.disconnected = true;
    this.bufferMode = mode;
  }

  reconnect(): void {
    this.disconnected = false;
    this.relieve();
  }

  /**
   * Connect from a new client: answers connectXml (SESSION_CAPABILITY + CONNECT_RUNSPACEPOOL) with
   * connectResponseXml (SESSION_CAPABILITY + RUNSPACEPOOL_INIT_DATA), and queues the cached
   * APPLICATION_PRIVATE_DATA for the next pool Receive, as Windows did (test_psrp_disconnect_runspaces).
   * PowerShell's ServerRemoteSession.ExecuteConnect echoes a 2.2/2.3 client version and refuses older ones.
   */
  connect(connectXml: Buffer): Buffer {
    const opening = this.opening;
    if (!opening) throw new EmulatorError('pwsh-protocol', 'the pool was never opened');
    const messages = new MessageReader().push(connectXml);
    const capability = messages.find((m) => m.type === 'SESSION_CAPABILITY');
    if (!capability || !messages.some((m) => m.type === 'CONNECT_RUNSPACEPOOL')) {
      throw new EmulatorError('pwsh-protocol', 'connectXml must hold SESSION_CAPABILITY and CONNECT_RUNSPACEPOOL');
    }
    const version = readSessionCapability(deserializeClixml(capability.data)).protocolVersion;
    const server = (type: PsrpMessage['type'], data: string): PsrpMessage => ({
      destination: 'client',
      type,
      rpid: opening.rpid,
      pid: EMPTY_GUID,
      data,
    });
    const answer = Buffer.concat([
      this.writer.encode(server('SESSION_CAPABILITY', sessionCapabilityXml(version)), BRIDGE_FRAGMENT_BYTES),
      this.writer.encode(server('RUNSPACEPOOL_INIT_DATA', initDataXml(opening.minRunspaces, opening.maxRunspaces)), BRIDGE_FRAGMENT_BYTES),
    ]);
    if (this.applicationPrivateData) {
      const apd = this.applicationPrivateData;
      this.pool.enqueue({ bytes: this.writer.encode(apd, BRIDGE_FRAGMENT_BYTES), messages: [apd] });
    }
    this.disconnected = false;
    this.relieve();
    return answer;
  }

  /** Delete: closes every pipeline and the pool, then ends the process (killed if it lingers). */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.process.resumeOutput();
    const grace = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
    const orderly = (async () => {
      await Promise.all([...this.pipelines.keys()].map((guid) => this.process.send('Close', guid).catch(() => undefined)));
      await this.process.send('Close', POOL_GUID).catch(() => undefined);
      this.process.endInput();
      await this.process.whenExited();
    })();
    await Promise.race([orderly, grace]);
    if (this.process.running) this.process.kill();
    this.process.endInput();
  }

  /** Ends the process at once (WinRM restart, emulator shutdown, idle expiry). */
  kill(): void {
    this.closing = true;
    this.process.endInput();
    this.process.kill();
  }

  whenExited(): Promise<void> {
    return this.process.whenExited();
  }

  private guidOf(commandId: string): string {
    const guid = this.commandGuids.get(commandId.toUpperCase());
    if (guid === undefined) throw new EmulatorError('pwsh-protocol', `no pipeline ${commandId}`);
    return guid;
  }

  private onData(guid: string, fragments: Buffer): void {
    const target = guid === POOL_GUID ? this.pool : this.pipelines.get(guid);
    // Output of a pipeline already closed by the client has no reader left.
    if (!target) return;
    const messages = target.push(fragments);
    const apd = messages.find((m) => m.type === 'APPLICATION_PRIVATE_DATA');
    if (apd) this.applicationPrivateData = apd;
    this.limit(target);
  }

  private held(): number {
    let total = this.pool.bytes;
    for (const p of this.pipelines.values()) total += p.bytes;
    return total;
  }

  /**
   * Keeps unreceived output within the buffer. Drop (only while disconnected, where Windows documents it:
   * about_Remote_Disconnected_Sessions) discards the target's oldest messages; Block, and any session a
   * client is attached to, stops reading pwsh until a Receive drains the buffer.
   */
  private limit(target: TargetOutput): void {
    if (this.held() <= this.options.outputBufferBytes) return;
    if (this.disconnected && this.bufferMode === 'Drop') {
      target.dropOldest(Math.max(0, this.options.outputBufferBytes - (this.held() - target.bytes)));
      return;
    }
    if (!this.paused) {
      this.paused = true;
      this.process.pauseOutput();
    }
  }

  private relieve(): void {
    if (this.paused && this.held() <= this.options.outputBufferBytes) {
      this.paused = false;
      this.process.resumeOutput();
    }
  }
}

function readOpening(creation: Buffer): PoolOpening {
  const messages = new MessageReader().push(creation);
  const capability = messages.find((m) => m.type === 'SESSION_CAPABILITY');
  const init = messages.find((m) => m.type === 'INIT_RUNSPACEPOOL');
  const initBody = init === undefined ? undefined : deserializeClixml(init.data);
  return {
    rpid: (init ?? capability)?.rpid ?? EMPTY_GUID,
    protocolVersion: capability === undefined ? '2.3' : readSessionCapability(deserializeClixml(capability.data)).protocolVersion,
    minRunspaces: numberProperty(initBody ?? undefined, 'MinRunspaces') ?? 1,
    maxRunspaces: numberProperty(initBody ?? undefined, 'MaxRunspaces') ?? 1,
  };
}

/** The server's SESSION_CAPABILITY (MS-PSRP 2.2.2.1): the client's protocol version echoed, as PowerShell answers 2.2/2.3. */
function sessionCapabilityXml(protocolVersion: string): string {
  return serializeClixml(sessionCapability({ protocolVersion, psVersion: '2.0', serializationVersion: '1.1.0.1' }));
}

/** MS-PSRP 2.2.2.30 RUNSPACEPOOL_INIT_DATA. */
function initDataXml(min: number, max: number): string {
  return serializeClixml(psPropertyBag({ MinRunspaces: new PsScalar('I32', String(min)), MaxRunspaces: new PsScalar('I32', String(max)) }));
}
