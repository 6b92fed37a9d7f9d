import { randomUUID } from 'node:crypto';
import { StateMachine, type StateChange, type TransitionTable } from '../../common';
import { DEFAULT_CLIXML_LIMITS, deserializeClixml, type ClixmlLimits } from '../clixml/deserialize';
import { serializeClixml, toPsValue, type PsInput } from '../clixml/serialize';
import type { PsValue } from '../clixml/values';
import { PsrpError, refuseTransition } from '../errors';
import { DEFAULT_FRAGMENT_LIMITS, ObjectIdSequence, fragmentMessage, type FragmentLimits } from '../fragment';
import { EMPTY_GUID, isGuid } from '../guid';
import { encodeMessage, type PsrpMessage } from '../message';
import { MessageReader } from '../message-stream';
import { MessageType, isPromptResponse, type MessageTypeName } from '../message-types';
import {
  CLIENT_VERSIONS,
  callIdOnly,
  connectRunspacePool,
  createPipeline,
  errorRecord,
  hostResponse,
  initRunspacePool,
  publicKey,
  sessionCapability,
  setRunspaceCount,
  type PipelineSpec,
  type PoolOptions,
  type Versions,
} from '../messages/client-bodies';
import { readErrorRecord, readInformationRecord, readInformationalRecord, readProgressRecord } from '../messages/records';
import { getCommandMetadata, type CommandMetadataQuery } from '../messages/command-metadata';
import {
  readApplicationPrivateData,
  readHostCall,
  readInitData,
  readPipelineState,
  readPoolState,
  readEncryptedSessionKey,
  readRunspaceAvailability,
  readSessionCapability,
} from '../messages/server-bodies';
import { PsScalar } from '../clixml/values';
import { SessionKeyExchange } from './session-key';
import type { PipelineEvent, PsrpEvent } from './events';
import { VOID_CALL_ID, refuseHostCalls, type HostResponder } from './host-responder';
import { OutboundQueue, type OutboundData } from './outbound-queue';
import { ClientPipeline } from './pipeline';

/**
 * The client role of a runspace pool (MS-PSRP 3.1), sans-IO. The transport calls `open()` / `connect()`,
 * sends what `takeOutbound()` yields, feeds every received payload to `receive()` and acts on the
 * returned events; it tells the pool when the transport closed, disconnected or reconnected the shell.
 */
export type PoolState =
  'BeforeOpen' | 'Opening' | 'Opened' | 'Closing' | 'Closed' | 'Broken' | 'Disconnecting' | 'Disconnected' | 'Connecting';

export const POOL_TRANSITIONS: TransitionTable<PoolState> = {
  BeforeOpen: ['Opening', 'Connecting', 'Closed'],
  Opening: ['Opened', 'Broken', 'Closing', 'Closed'],
  Opened: ['Closing', 'Closed', 'Broken', 'Disconnecting'],
  Closing: ['Closed', 'Broken'],
  Disconnecting: ['Disconnected', 'Broken', 'Opened'],
  Disconnected: ['Connecting', 'Closing', 'Closed', 'Broken'],
  Connecting: ['Opened', 'Broken', 'Disconnected', 'Closing', 'Closed'],
  Broken: ['Closing', 'Closed'],
  Closed: [],
};

export interface ClientPoolOptions extends PoolOptions {
  /** The pool id (RPID, and the WS-Man ShellId upper-cased); a new GUID when absent. */
  readonly id?: string;
  readonly versions?: Versions;
  /** Largest fragment the transport carries (header included). OutOfProc: 32 KiB. */
  readonly maxFragmentLength?: number;
  readonly fragmentLimits?: FragmentLimits;
  readonly clixmlLimits?: ClixmlLimits;
  readonly hostResponder?: HostResponder;
  /** Start message data with a UTF-8 BOM as .NET clients do. */
  readonly byteOrderMark?: boolean;
  /** Told of every pool and pipeline state change. */
  readonly observe?: (change: StateChange<string>) => void;
}

export class ClientRunspacePool {
  readonly id: string;
  readonly machine: StateMachine<PoolState>;
  /** What the server announced in its SESSION_CAPABILITY. */
  serverVersions: Versions | undefined;
  /** The server's PSVersionTable and other private data. */
  applicationPrivateData: PsValue | undefined;
  minRunspaces: number;
  maxRunspaces: number;

  private readonly options: ClientPoolOptions;
  private readonly reader: MessageReader;
  private readonly outbound = new OutboundQueue();
  private readonly objectIds = new ObjectIdSequence();
  private readonly pipelines = new Map<string, ClientPipeline>();
  private nextCallId = 1n;
  /** SET_MAX/MIN_RUNSPACES awaiting their RUNSPACE_AVAILABILITY, by call id: the count asked for. */
  private readonly pendingCounts = new Map<bigint, { which: 'minRunspaces' | 'maxRunspaces'; count: number }>();
  private keyExchange: SessionKeyExchange | undefined;

  constructor(options: ClientPoolOptions = {}) {
    const id = options.id ?? randomUUID();
    if (!isGuid(id)) throw new PsrpError('protocol', `runspace pool id ${JSON.stringify(id)} is not a GUID`);
    this.id = id.toLowerCase();
    this.options = options;
    this.minRunspaces = options.minRunspaces ?? 1;
    this.maxRunspaces = options.maxRunspaces ?? 1;
    this.reader = new MessageReader(options.fragmentLimits ?? DEFAULT_FRAGMENT_LIMITS);
    this.machine = new StateMachine<PoolState>({
      name: `runspace pool ${this.id}`,
      initial: 'BeforeOpen',
      transitions: POOL_TRANSITIONS,
      refuse: refuseTransition,
      observe: options.observe,
    });
  }

  get state(): PoolState {
    return this.machine.state;
  }

  /** Queues SESSION_CAPABILITY and INIT_RUNSPACEPOOL (MS-PSRP 3.1.4.1); the pool is Opening. */
  open(): void {
    this.machine.transition('Opening', 'open requested');
    this.send('SESSION_CAPABILITY', sessionCapability(this.options.versions ?? CLIENT_VERSIONS));
    this.send('INIT_RUNSPACEPOOL', initRunspacePool({ ...this.options, withHost: this.options.hostResponder !== undefined }));
  }

  /**
   * Queues SESSION_CAPABILITY and CONNECT_RUNSPACEPOOL (MS-PSRP 3.1.4.10), to attach to a pool another
   * client left disconnected. Each must be one fragment (PowerShell's ServerRemoteSession.ExecuteConnect).
   */
  connect(): void {
    this.machine.transition('Connecting', 'connect requested');
    this.send('SESSION_CAPABILITY', sessionCapability(this.options.versions ?? CLIENT_VERSIONS), undefined, Number.MAX_SAFE_INTEGER);
    this.send('CONNECT_RUNSPACEPOOL', connectRunspacePool(), undefined, Number.MAX_SAFE_INTEGER);
  }

  /** Creates a pipeline and queues its CREATE_PIPELINE (MS-PSRP 3.1.4.4). Its id is the WS-Man CommandId. */
  createPipeline(spec: PipelineSpec, id: string = randomUUID()): ClientPipeline {
    this.requireState('create a pipeline', 'Opened');
    if (!isGuid(id)) throw new PsrpError('protocol', `pipeline id ${JSON.stringify(id)} is not a GUID`);
    const pipeline = this.track(new ClientPipeline(id.toLowerCase(), spec, 'NotStarted', this.options.observe));
    pipeline.machine.transition('Running', 'CREATE_PIPELINE sent');
    this.send('CREATE_PIPELINE', createPipeline({ withHost: this.options.hostResponder !== undefined, ...spec }), pipeline.id);
    return pipeline;
  }

  /**
   * Starts a command-discovery pipeline (MS-PSRP 3.1.4.5, GET_COMMAND_METADATA in place of CREATE_PIPELINE):
   * its output is a CommandMetadataCount then one CommandMetadata per command, then its PIPELINE_STATE.
   */
  getCommandMetadata(query: CommandMetadataQuery = {}, id: string = randomUUID()): ClientPipeline {
    this.requireState('discover commands', 'Opened');
    if (!isGuid(id)) throw new PsrpError('protocol', `pipeline id ${JSON.stringify(id)} is not a GUID`);
    const pipeline = this.track(new ClientPipeline(id.toLowerCase(), undefined, 'NotStarted', this.options.observe));
    pipeline.machine.transition('Running', 'GET_COMMAND_METADATA sent');
    this.send('GET_COMMAND_METADATA', getCommandMetadata(query), pipeline.id);
    return pipeline;
  }

  /** A pipeline known by id only, left running by another client (connect to it after connecting the pool). */
  adoptPipeline(id: string): ClientPipeline {
    if (!isGuid(id)) throw new PsrpError('protocol', `pipeline id ${JSON.stringify(id)} is not a GUID`);
    return (
      this.pipelines.get(id.toLowerCase()) ??
      this.track(new ClientPipeline(id.toLowerCase(), undefined, 'Disconnected', this.options.observe))
    );
  }

  pipeline(id: string): ClientPipeline | undefined {
    return this.pipelines.get(id.toLowerCase());
  }

  /** Ids of every pipeline this pool has known. */
  pipelineIds(): string[] {
    return [...this.pipelines.keys()];
  }

  /** Queues one PIPELINE_INPUT per value (MS-PSRP 2.2.2.17). */
  sendInput(pipelineId: string, values: readonly PsInput[]): void {
    const p = this.requirePipeline(pipelineId);
    if (!p.inputOpen) throw new PsrpError('protocol', `pipeline ${p.id} takes no input (NoInput, or input already ended)`);
    for (const v of values) this.send('PIPELINE_INPUT', toPsValue(v), p.id);
  }

  /** Queues END_OF_PIPELINE_INPUT (MS-PSRP 2.2.2.18), which has no data. */
  endInput(pipelineId: string): void {
    const p = this.requirePipeline(pipelineId);
    if (!p.inputOpen) throw new PsrpError('protocol', `pipeline ${p.id} input is not open`);
    p.inputOpen = false;
    this.sendRaw('END_OF_PIPELINE_INPUT', '', p.id);
  }

  /** The pipeline is being stopped by the transport (WS-Man Signal crtl_c, OutOfProc Signal). */
  stopping(pipelineId: string): void {
    const p = this.requirePipeline(pipelineId);
    if (!p.done && !p.machine.is('Stopping')) p.machine.transition('Stopping', 'stop requested');
  }

  /** MS-PSRP 2.2.2.3 / 2.2.2.4; the answer is a runspaceAvailability event with the returned call id. */
  setMaxRunspaces(count: number): bigint {
    return this.setCount('maxRunspaces', count);
  }

  setMinRunspaces(count: number): bigint {
    return this.setCount('minRunspaces', count);
  }

  /** MS-PSRP 2.2.2.10 */
  getAvailableRunspaces(): bigint {
    return this.poolCall('GET_AVAILABLE_RUNSPACES', callIdOnly);
  }

  /** MS-PSRP 2.2.2.29 (protocol 2.3) */
  resetRunspaceState(): bigint {
    return this.poolCall('RESET_RUNSPACE_STATE', callIdOnly);
  }

  /**
   * Starts the session key exchange (MS-PSRP 3.2.5.4.2): queues PUBLIC_KEY. PowerShell asks for it when it
   * must send a SecureString; a client sending one first calls this and waits for the sessionKey event.
   */
  startKeyExchange(): void {
    if (this.keyExchange) return;
    this.keyExchange = new SessionKeyExchange();
    this.send('PUBLIC_KEY', publicKey(this.keyExchange.publicKeyBlob));
  }

  /** True once the session key is known (SecureStrings can be read and written). */
  get hasSessionKey(): boolean {
    return this.keyExchange?.ready === true;
  }

  /** The text of a received `<SS>`. */
  decryptSecureString(value: PsScalar): string {
    if (value.tag !== 'SS') throw new PsrpError('protocol', `a ${value.tag} is not a SecureString`);
    if (!this.keyExchange) throw new PsrpError('protocol', 'no session key has been exchanged yet');
    return this.keyExchange.decrypt(value.text);
  }

  /** A SecureString to send (needs the session key). */
  encryptSecureString(text: string): PsScalar {
    if (!this.keyExchange) throw new PsrpError('protocol', 'no session key has been exchanged yet');
    return new PsScalar('SS', this.keyExchange.encrypt(text));
  }

  /** The next payload to send: one target, one stream, whole fragments up to `maxBytes` (at least one). */
  takeOutbound(maxBytes: number, only?: string | null): OutboundData | undefined {
    return this.outbound.take(maxBytes, only);
  }

  hasOutbound(pipelineId?: string): boolean {
    return this.outbound.has(pipelineId);
  }

  /**
   * Feeds bytes received for the pool (`pipelineId` undefined) or for one pipeline (the WS-Man
   * CommandId or OutOfProc PSGuid they came with). Returns an event per complete message.
   * `wholeFragments`: the bytes end on a fragment boundary, as every WS-Man Stream element and OutOfProc
   * data packet does (PowerShell sends each fragment whole, MS-PSRP 3.1.5.3.6); a truncated fragment is
   * then refused at once instead of waiting for bytes that will never come.
   */
  receive(bytes: Uint8Array, pipelineId?: string, o: { wholeFragments?: boolean } = {}): PsrpEvent[] {
    const events: PsrpEvent[] = [];
    const messages = this.reader.push(bytes);
    if (o.wholeFragments) this.reader.finish();
    for (const message of messages) events.push(...this.process(message, pipelineId?.toLowerCase()));
    return events;
  }

  /** The transport closed the shell (WS-Man Delete, OutOfProc Close acknowledged). */
  closed(): void {
    if (this.machine.is('Closed')) return;
    if (!this.machine.is('Closing', 'Broken') && this.machine.canTransition('Closing'))
      this.machine.transition('Closing', 'close requested');
    this.machine.transition('Closed', 'transport closed the shell');
  }

  /** Marks the pool and its running pipelines Disconnected (after a WS-Man Disconnect). */
  disconnected(): void {
    if (this.machine.is('Opened')) this.machine.transition('Disconnecting', 'disconnect requested');
    this.machine.transition('Disconnected', 'transport disconnected the shell');
    for (const p of this.pipelines.values())
      if (!p.done && !p.machine.is('Disconnected')) p.machine.transition('Disconnected', 'pool disconnected');
  }

  /** The same client reattached (WS-Man Reconnect): the pool and its pipelines run again. */
  reconnected(): void {
    this.machine.transition('Connecting', 'reconnect');
    this.machine.transition('Opened', 'reconnected');
    for (const p of this.pipelines.values()) if (p.machine.is('Disconnected')) p.machine.transition('Running', 'pool reconnected');
  }

  /** A pipeline adopted after connect is attached again (WS-Man Connect with its CommandId). */
  pipelineConnected(pipelineId: string): void {
    const p = this.requirePipeline(pipelineId);
    if (p.machine.is('Disconnected')) p.machine.transition('Running', 'connected');
  }

  /** Ends the pool after a transport failure. */
  broken(reason: string): void {
    if (this.machine.canTransition('Broken')) this.machine.transition('Broken', reason);
    for (const p of this.pipelines.values()) if (!p.done) p.machine.transition('Failed', reason);
  }

  private process(message: PsrpMessage, target: string | undefined): PsrpEvent[] {
    if (message.destination !== 'client') throw new PsrpError('protocol', `${message.type} is addressed to the server`);
    const value = message.data === '' ? null : deserializeClixml(message.data, this.options.clixmlLimits ?? DEFAULT_CLIXML_LIMITS);
    // Windows echoes the ids it was sent, in whatever byte order (recordings before pypsrp e16ac49): trust
    // the transport's target first, then the message's PID.
    const pid = target ?? (message.pid !== EMPTY_GUID && this.pipelines.has(message.pid) ? message.pid : undefined);
    switch (message.type) {
      case 'SESSION_CAPABILITY':
        this.serverVersions = readSessionCapability(value);
        return [{ kind: 'sessionCapability', versions: this.serverVersions }];
      case 'APPLICATION_PRIVATE_DATA':
        this.applicationPrivateData = readApplicationPrivateData(value);
        return [{ kind: 'applicationPrivateData', data: this.applicationPrivateData }];
      case 'RUNSPACEPOOL_STATE':
        return [this.poolState(readPoolState(value))];
      case 'RUNSPACEPOOL_INIT_DATA': {
        const counts = readInitData(value);
        this.minRunspaces = counts.minRunspaces;
        this.maxRunspaces = counts.maxRunspaces;
        // MS-PSRP 3.1.4.10: the init data ends a connect; the pool is usable.
        if (this.machine.is('Connecting')) this.machine.transition('Opened', 'RUNSPACEPOOL_INIT_DATA');
        return [{ kind: 'initData', ...counts }];
      }
      case 'RUNSPACE_AVAILABILITY': {
        const answer = readRunspaceAvailability(value);
        const asked = this.pendingCounts.get(answer.callId);
        this.pendingCounts.delete(answer.callId);
        // MS-PSRP 3.1.4.6: the server accepted the new count (false: it kept the old one, e.g. max below min).
        if (asked && answer.response === true) this[asked.which] = asked.count;
        return [{ kind: 'runspaceAvailability', ...answer }];
      }
      case 'USER_EVENT':
        return [{ kind: 'userEvent', data: value }];
      case 'PUBLIC_KEY_REQUEST':
        // The server blocks the pipeline that needs a SecureString until the exchange completes.
        this.startKeyExchange();
        return [{ kind: 'publicKeyRequest' }];
      case 'ENCRYPTED_SESSION_KEY':
        if (!this.keyExchange) throw new PsrpError('protocol', 'ENCRYPTED_SESSION_KEY without a PUBLIC_KEY sent');
        this.keyExchange.acceptEncryptedKey(readEncryptedSessionKey(value));
        return [{ kind: 'sessionKey' }];
      case 'RUNSPACEPOOL_HOST_CALL':
      case 'PIPELINE_HOST_CALL':
        return [this.hostCall(value, message.type === 'PIPELINE_HOST_CALL' ? pid : undefined)];
      default:
        return this.pipelineMessage(message.type, value, pid);
    }
  }

  private pipelineMessage(type: MessageTypeName, value: PsValue, pid: string | undefined): PipelineEvent[] {
    const p = pid === undefined ? undefined : this.pipelines.get(pid);
    if (!p) throw new PsrpError('protocol', `${type} for unknown pipeline ${pid ?? '(none)'}`);
    switch (type) {
      case 'PIPELINE_OUTPUT':
        return [{ kind: 'output', pipelineId: p.id, value }];
      case 'ERROR_RECORD':
        return [{ kind: 'error', pipelineId: p.id, record: readErrorRecord(value) }];
      case 'DEBUG_RECORD':
        return [{ kind: 'debug', pipelineId: p.id, record: readInformationalRecord(value) }];
      case 'VERBOSE_RECORD':
        return [{ kind: 'verbose', pipelineId: p.id, record: readInformationalRecord(value) }];
      case 'WARNING_RECORD':
        return [{ kind: 'warning', pipelineId: p.id, record: readInformationalRecord(value) }];
      case 'PROGRESS_RECORD':
        return [{ kind: 'progress', pipelineId: p.id, record: readProgressRecord(value) }];
      case 'INFORMATION_RECORD':
        return [{ kind: 'information', pipelineId: p.id, record: readInformationRecord(value) }];
      case 'PIPELINE_STATE': {
        const report = readPipelineState(value);
        const to = report.state;
        if (p.state !== to) p.machine.transition(to, 'PIPELINE_STATE');
        if (p.done) {
          p.inputOpen = false;
          this.outbound.discard(p.id);
        }
        return [{ kind: 'pipelineState', pipelineId: p.id, ...report }];
      }
      default:
        throw new PsrpError('protocol', `a client does not accept ${type}`);
    }
  }

  private poolState(report: ReturnType<typeof readPoolState>): PsrpEvent {
    const to: PoolState | undefined =
      report.state === 'Opened' ? 'Opened' : report.state === 'Broken' ? 'Broken' : report.state === 'Closed' ? 'Closed' : undefined;
    if (to && to !== this.state) {
      if (to === 'Closed' && this.machine.canTransition('Closing')) this.machine.transition('Closing', 'server closed the pool');
      this.machine.transition(to, 'RUNSPACEPOOL_STATE');
      if (to === 'Broken' || to === 'Closed')
        for (const p of this.pipelines.values()) if (!p.done) p.machine.transition('Failed', `pool ${to}`);
    }
    return { kind: 'poolState', ...report };
  }

  private hostCall(value: PsValue, pipelineId: string | undefined): PsrpEvent {
    const call = readHostCall(value);
    if (call.callId === VOID_CALL_ID) return { kind: 'hostCall', pipelineId, call, answered: false };
    const answer = (this.options.hostResponder ?? refuseHostCalls)(call, pipelineId);
    const outcome =
      'result' in answer ? { result: answer.result } : { error: errorRecord(answer.error, 'HostMethodNotSupported', 11, 'NotImplemented') };
    const body = hostResponse(call.callId, call.methodId, call.method, outcome);
    this.send(pipelineId ? 'PIPELINE_HOST_RESPONSE' : 'RUNSPACEPOOL_HOST_RESPONSE', body, pipelineId);
    return { kind: 'hostCall', pipelineId, call, answered: true };
  }

  private setCount(which: 'minRunspaces' | 'maxRunspaces', count: number): bigint {
    if (!Number.isSafeInteger(count) || count < 1 || count > 0x7fffffff)
      throw new PsrpError('protocol', `a runspace count must be a positive Int32, not ${count}`);
    const type = which === 'maxRunspaces' ? 'SET_MAX_RUNSPACES' : 'SET_MIN_RUNSPACES';
    const ci = this.poolCall(type, (c) => setRunspaceCount(which === 'maxRunspaces' ? 'MaxRunspaces' : 'MinRunspaces', count, c));
    this.pendingCounts.set(ci, { which, count });
    return ci;
  }

  private poolCall(type: MessageTypeName, body: (callId: bigint) => PsValue): bigint {
    this.requireState(type, 'Opened');
    const ci = this.nextCallId;
    this.nextCallId += 1n;
    this.send(type, body(ci));
    return ci;
  }

  private send(type: MessageTypeName, body: PsValue, pipelineId?: string, fragmentLength?: number): void {
    this.sendRaw(type, serializeClixml(body), pipelineId, fragmentLength);
  }

  private sendRaw(type: MessageTypeName, data: string, pipelineId?: string, fragmentLength?: number): void {
    const message: PsrpMessage = { destination: 'server', type, rpid: this.id, pid: pipelineId ?? EMPTY_GUID, data };
    const bytes = encodeMessage(message, { byteOrderMark: this.options.byteOrderMark });
    const fragments = fragmentMessage(this.objectIds.next(), bytes, fragmentLength ?? this.options.maxFragmentLength ?? 32 * 1024);
    this.outbound.push(
      pipelineId,
      isPromptResponse(MessageType[type]) ? 'pr' : 'stdin',
      fragments,
      type === 'CREATE_PIPELINE' || type === 'GET_COMMAND_METADATA',
    );
  }

  private track(p: ClientPipeline): ClientPipeline {
    this.pipelines.set(p.id, p);
    return p;
  }

  private requirePipeline(id: string): ClientPipeline {
    const p = this.pipelines.get(id.toLowerCase());
    if (!p) throw new PsrpError('protocol', `unknown pipeline ${id}`);
    return p;
  }

  private requireState(what: string, ...states: PoolState[]): void {
    if (!this.machine.is(...states)) throw new PsrpError('state', `cannot ${what} while runspace pool ${this.id} is ${this.state}`);
  }
}
