import { randomUUID } from 'node:crypto';
import {
  ClientRunspacePool,
  CLIENT_VERSIONS,
  readCommandMetadata,
  readCommandMetadataCount,
  type ClientPipeline,
  type ClientPoolOptions,
  type CommandMetadata,
  type CommandMetadataQuery,
  type CommandTypeName,
  type ErrorRecordView,
  type HostResponder,
  type InformationRecordView,
  type InformationalRecordView,
  type PipelineSpec,
  type ProgressRecordView,
  type PsInput,
  type PsValue,
  type PsrpEvent,
} from '../../psrp';
import { PowerShellShell, payloadBudget, type BufferMode, type WsmanClient } from '../../wsman';
import { HostError } from '../host-error';

/**
 * A PowerShell session on a host (what New-PSSession gives): a runspace pool in a WS-Man shell of a
 * session configuration, running pipelines and streaming their output and records. Joins the sans-IO
 * PSRP client (src/psrp) with the WS-Man PowerShell shell operations (src/wsman).
 */

/** Runs each WS-Man operation but the Receive long-polls within the host's concurrency cap. */
export type OperationGate = <T>(fn: () => Promise<T>, signal?: AbortSignal) => Promise<T>;

const ungated: OperationGate = (fn) => fn();

/** MaxEnvelopeSize header once the server speaks protocol 2.2 (what pypsrp sends; Windows accepted it in every recording). */
const NEGOTIATED_ENVELOPE_HEADER = 512_000;

function protocolAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const [a, b] = (version ?? '').split('.').map(Number);
  return a !== undefined && b !== undefined && (a > major || (a === major && b >= minor));
}

/** Each WS-Man Stream element (and connectResponseXml) carries whole fragments: a truncated one is refused. */
const WHOLE = { wholeFragments: true } as const;

/** The request size without its PSRP payload, an upper bound for our envelopes (headers, selectors, options, wrappers). */
const REQUEST_OVERHEAD = 3072;

export interface PowerShellSessionOptions {
  /** The session configuration (endpoint). Default Microsoft.PowerShell. */
  readonly configurationName?: string;
  /** rsp:Name, shown by Get-PSSession. */
  readonly name?: string;
  readonly idleTimeoutMs?: number;
  readonly noProfile?: boolean;
  readonly minRunspaces?: number;
  readonly maxRunspaces?: number;
  readonly applicationArguments?: ClientPoolOptions['applicationArguments'];
  /** Answers the remote host's prompts; without one every prompt fails at once on the host. */
  readonly hostResponder?: HostResponder;
  /** The largest request the host accepts. Default: the client's maxRequestEnvelopeSize (the host's MaxEnvelopeSizekb once read, else Windows' 153600). */
  readonly maxEnvelopeSize?: number;
  readonly gate?: OperationGate;
  readonly signal?: AbortSignal;
  /**
   * Signal terminate to a finished command, as PowerShell's own client does (closing it on the host).
   * Default true; recordings of older clients lack it.
   */
  readonly terminateFinishedCommands?: boolean;
}

export interface PipelineResult {
  readonly pipelineId: string;
  readonly state: 'Completed' | 'Failed' | 'Stopped';
  readonly output: PsValue[];
  readonly errors: ErrorRecordView[];
  readonly warnings: InformationalRecordView[];
  readonly verbose: InformationalRecordView[];
  readonly debug: InformationalRecordView[];
  readonly information: InformationRecordView[];
  readonly progress: ProgressRecordView[];
  /** The terminating error of a Failed pipeline. */
  readonly reason?: ErrorRecordView;
}

export interface RunOptions {
  /** Pipeline input values (PIPELINE_INPUT each, then END_OF_PIPELINE_INPUT). */
  readonly input?: readonly PsInput[];
  /** Told of every event as it arrives (for streaming). */
  readonly onEvent?: (event: PsrpEvent) => void;
  readonly signal?: AbortSignal;
  /**
   * Start without receiving (Invoke-Command -InDisconnectedSession): the caller disconnects next and
   * collects the output later, from this or another client.
   */
  readonly detached?: boolean;
}

export class PowerShellSessionError extends HostError {
  override readonly name = 'PowerShellSessionError';
  constructor(
    message: string,
    readonly record?: ErrorRecordView,
  ) {
    super('powershell-session', message);
  }
}

/** A pipeline running in a session: its result when it ends, and a stop. */
export class RunningPipeline {
  readonly result: Promise<PipelineResult>;
  private readonly collected = {
    output: [] as PsValue[],
    errors: [] as ErrorRecordView[],
    warnings: [] as InformationalRecordView[],
    verbose: [] as InformationalRecordView[],
    debug: [] as InformationalRecordView[],
    information: [] as InformationRecordView[],
    progress: [] as ProgressRecordView[],
  };
  private stopRequested = false;
  private readonly abort = new AbortController();
  /** The terminating error of a Failed pipeline. */
  private reason: ErrorRecordView | undefined;

  constructor(
    private readonly session: PowerShellSession,
    readonly pipeline: ClientPipeline,
    private readonly onEvent: ((event: PsrpEvent) => void) | undefined,
    receive = true,
  ) {
    this.result = receive
      ? this.receiveUntilDone()
      : Promise.reject(new PowerShellSessionError(`pipeline ${pipeline.id} was started detached`));
    // The caller may never await a pipeline it stopped or disconnected from; its failure is reported there.
    this.result.catch(() => undefined);
  }

  get id(): string {
    return this.pipeline.id;
  }

  /** The WS-Man CommandId (upper-case, as PowerShell writes it). */
  get commandId(): string {
    return this.pipeline.id.toUpperCase();
  }

  /** Stops the pipeline (Signal crtl_c); `result` then ends Stopped. */
  async stop(): Promise<void> {
    if (this.pipeline.done || this.stopRequested) return;
    this.stopRequested = true;
    this.session.pool.stopping(this.pipeline.id);
    await this.session.gated(() => this.session.shell.stop(this.commandId));
  }

  /** Ends the Receive loop without touching the remote pipeline (disconnect). */
  detach(): void {
    this.abort.abort(new PowerShellSessionError('detached'));
  }

  private async receiveUntilDone(): Promise<PipelineResult> {
    const signal = this.abort.signal;
    while (!this.pipeline.done) {
      if (this.pipeline.machine.is('Disconnected')) throw new PowerShellSessionError(`pipeline ${this.id} is disconnected`);
      const received = await this.session.shell.receive(this.commandId, { signal });
      for (const chunk of received.chunks) {
        // The Receive named this command: whatever ids the host echoes inside, the data is this pipeline's.
        const events = this.session.pool.receive(chunk.bytes, this.pipeline.id, WHOLE);
        for (const e of events) this.take(e);
      }
      await this.session.flush(this.pipeline.id);
      if (received.done && !this.pipeline.done)
        throw new PowerShellSessionError(`the host ended command ${this.commandId} without a final pipeline state`);
    }
    // PowerShell's client closes a finished command on the host (WSManClientCommandTransportManager).
    if (this.session.terminateFinishedCommands)
      await this.session.gated(() => this.session.shell.terminate(this.commandId)).catch(() => undefined);
    const last = this.pipeline.state as PipelineResult['state'];
    return { pipelineId: this.id, state: last, ...this.collected, reason: this.reason };
  }

  private take(e: PsrpEvent): void {
    this.onEvent?.(e);
    const c = this.collected;
    switch (e.kind) {
      case 'output':
        c.output.push(e.value);
        break;
      case 'error':
        c.errors.push(e.record);
        break;
      case 'warning':
        c.warnings.push(e.record);
        break;
      case 'verbose':
        c.verbose.push(e.record);
        break;
      case 'debug':
        c.debug.push(e.record);
        break;
      case 'information':
        c.information.push(e.record);
        break;
      case 'progress':
        c.progress.push(e.record);
        break;
      case 'pipelineState':
        if (e.error) this.reason = e.error;
        break;
      default:
        break;
    }
  }
}

export class PowerShellSession {
  private readonly running = new Set<RunningPipeline>();
  private readonly budget: number;
  private readonly gate: OperationGate;
  readonly terminateFinishedCommands: boolean;
  /** The error record of a pool that broke. */
  poolError: ErrorRecordView | undefined;
  /** RUNSPACE_AVAILABILITY answers heard on the pool, by call id, until their caller takes them. */
  private readonly availability = new Map<bigint, boolean | bigint>();

  private constructor(
    readonly client: WsmanClient,
    readonly shell: PowerShellShell,
    readonly pool: ClientRunspacePool,
    readonly configurationName: string,
    o: Pick<PowerShellSessionOptions, 'gate' | 'maxEnvelopeSize' | 'terminateFinishedCommands'>,
  ) {
    this.gate = o.gate ?? ungated;
    this.budget = payloadBudget(o.maxEnvelopeSize ?? client.maxRequestEnvelopeSize, REQUEST_OVERHEAD);
    this.terminateFinishedCommands = o.terminateFinishedCommands ?? true;
  }

  get shellId(): string {
    return this.shell.shellId;
  }

  /** The most PSRP bytes one request carries (one fragment at most): what fits the host's MaxEnvelopeSize. */
  get fragmentBudget(): number {
    return this.budget;
  }

  /** Creates the shell and opens the runspace pool (MS-PSRP 3.1.4.1 over 3.1.5.3.1). */
  static async open(client: WsmanClient, o: PowerShellSessionOptions = {}): Promise<PowerShellSession> {
    const maxEnvelopeSize = o.maxEnvelopeSize ?? client.maxRequestEnvelopeSize;
    const budget = payloadBudget(maxEnvelopeSize, REQUEST_OVERHEAD);
    const pool = new ClientRunspacePool({
      id: randomUUID(),
      minRunspaces: o.minRunspaces,
      maxRunspaces: o.maxRunspaces,
      applicationArguments: o.applicationArguments,
      hostResponder: o.hostResponder,
      maxFragmentLength: budget,
    });
    pool.open();
    const first = pool.takeOutbound(budget, null);
    if (!first) throw new PowerShellSessionError('the runspace pool produced no creation data');
    const gate = o.gate ?? ungated;
    const configurationName = o.configurationName ?? 'Microsoft.PowerShell';
    const shell = await gate(
      () =>
        PowerShellShell.create(
          client,
          configurationName,
          {
            shellId: pool.id.toUpperCase(),
            creationXml: first.bytes,
            protocolVersion: CLIENT_VERSIONS.protocolVersion,
            idleTimeoutMs: o.idleTimeoutMs,
            name: o.name,
            noProfile: o.noProfile,
          },
          { signal: o.signal },
        ),
      o.signal,
    );
    const session = new PowerShellSession(client, shell, pool, configurationName, o);
    try {
      await session.flush(undefined);
      await session.receivePoolUntil(() => !pool.machine.is('Opening'), o.signal);
      if (!pool.machine.is('Opened')) throw new PowerShellSessionError(`the runspace pool did not open (${pool.state})`, session.poolError);
    } catch (e) {
      await shell.delete().catch(() => undefined);
      throw e;
    }
    return session;
  }

  /**
   * Connects to a session another client (or an earlier process) left disconnected (MS-PSRP 3.1.4.10,
   * what Receive-PSSession does): the pool first, then each pipeline with `connectPipeline`.
   */
  static async connect(
    client: WsmanClient,
    o: Pick<
      PowerShellSessionOptions,
      'configurationName' | 'hostResponder' | 'maxEnvelopeSize' | 'gate' | 'signal' | 'terminateFinishedCommands'
    > & { shellId: string },
  ): Promise<PowerShellSession> {
    const maxEnvelopeSize = o.maxEnvelopeSize ?? client.maxRequestEnvelopeSize;
    const pool = new ClientRunspacePool({
      id: o.shellId,
      hostResponder: o.hostResponder,
      maxFragmentLength: payloadBudget(maxEnvelopeSize, REQUEST_OVERHEAD),
    });
    pool.connect();
    const connectXml = pool.takeOutbound(Number.MAX_SAFE_INTEGER, null);
    if (!connectXml) throw new PowerShellSessionError('the runspace pool produced no connect data');
    const gate = o.gate ?? ungated;
    const configurationName = o.configurationName ?? 'Microsoft.PowerShell';
    const shell = PowerShellShell.attach(client, configurationName, o.shellId.toUpperCase());
    const answer = await gate(() => shell.connect(connectXml.bytes, CLIENT_VERSIONS.protocolVersion, { signal: o.signal }), o.signal);
    const session = new PowerShellSession(client, shell, pool, configurationName, o);
    session.notePoolEvents(pool.receive(answer, undefined, WHOLE));
    if (!pool.machine.is('Opened')) throw new PowerShellSessionError(`connecting to session ${o.shellId} left its pool ${pool.state}`);
    // After a connect the host sends the pool's APPLICATION_PRIVATE_DATA again (test_psrp_disconnected_commands)
    // or its state (test_psrp_disconnect_runspaces): one Receive that brings something.
    let heard = false;
    await session.receivePoolUntil(
      () => heard,
      o.signal,
      () => (heard = true),
    );
    return session;
  }

  /** Starts a pipeline; its `result` resolves when it ends. */
  async start(spec: PipelineSpec, o: RunOptions = {}): Promise<RunningPipeline> {
    const hasInput = o.input !== undefined;
    const pipeline = this.pool.createPipeline({ ...spec, noInput: !hasInput });
    return this.launch(pipeline, o);
  }

  /**
   * The commands the session's endpoint lets its user see, with their metadata (MS-PSRP 3.1.4.5: what
   * Get-Command asks over PSRP, and what Import-PSSession builds its proxies from). A JEA endpoint reports
   * only its visible cmdlets, functions and external commands.
   */
  async commandMetadata(query: CommandMetadataQuery = {}, o: Pick<RunOptions, 'signal'> = {}): Promise<CommandMetadata[]> {
    const running = await this.launch(this.pool.getCommandMetadata(query), o);
    const result = await running.result;
    if (result.state !== 'Completed')
      throw new PowerShellSessionError(
        `command discovery ended ${result.state}${result.reason ? `: ${result.reason.message}` : ''}`,
        result.reason,
      );
    const [count, ...commands] = result.output;
    if (count === undefined) throw new PowerShellSessionError('command discovery returned no CommandMetadataCount');
    const expected = readCommandMetadataCount(count);
    if (expected !== commands.length)
      throw new PowerShellSessionError(`command discovery announced ${expected} commands and returned ${commands.length}`);
    return commands.map(readCommandMetadata);
  }

  /** Names and types of every command visible in the session (`Get-Command` with PowerShell's default types, and applications and scripts). */
  async visibleCommands(o: Pick<RunOptions, 'signal'> = {}): Promise<Array<{ name: string; commandType: CommandTypeName | undefined }>> {
    const all: CommandTypeName[] = ['Alias', 'Function', 'Filter', 'Cmdlet', 'ExternalScript', 'Application', 'Script', 'Configuration'];
    const found = await this.commandMetadata({ commandTypes: all }, o);
    return found.map((c) => ({ name: c.name, commandType: c.commandType }));
  }

  /** Sets the pool's largest runspace count (MS-PSRP 3.1.4.6); false when the host kept the old one. */
  async setMaxRunspaces(count: number, signal?: AbortSignal): Promise<boolean> {
    return (await this.poolCall(this.pool.setMaxRunspaces(count), signal)) === true;
  }

  /** Sets the pool's smallest runspace count (MS-PSRP 3.1.4.6); false when the host kept the old one. */
  async setMinRunspaces(count: number, signal?: AbortSignal): Promise<boolean> {
    return (await this.poolCall(this.pool.setMinRunspaces(count), signal)) === true;
  }

  /**
   * How many of the pool's runspaces no pipeline holds (MS-PSRP 2.2.2.10 GET_AVAILABLE_RUNSPACES, answered by
   * RUNSPACE_AVAILABILITY 2.2.2.8): a question to the pool, so the pipelines' buffered output stays where it is.
   */
  async availableRunspaces(signal?: AbortSignal): Promise<number> {
    return this.countAvailable(signal, undefined);
  }

  /**
   * The same question bounded by `waitMs`: undefined when it or its answer did not get through in time (a
   * host whose output buffer is full in Block mode may hold back the pool's traffic too). Each Receive asks
   * the host to answer within `waitMs` (OperationTimeout), so no request is left pending when it gives up.
   */
  async availableRunspacesWithin(waitMs: number, signal?: AbortSignal): Promise<number | undefined> {
    const giveUp = AbortSignal.timeout(waitMs);
    try {
      return await this.countAvailable(signal ? AbortSignal.any([signal, giveUp]) : giveUp, waitMs);
    } catch (e) {
      if (!giveUp.aborted || signal?.aborted) throw e;
      return undefined;
    }
  }

  private async countAvailable(signal: AbortSignal | undefined, operationTimeoutMs: number | undefined): Promise<number> {
    const answer = await this.poolCall(this.pool.getAvailableRunspaces(), signal, operationTimeoutMs);
    if (typeof answer !== 'bigint') throw new PowerShellSessionError('GET_AVAILABLE_RUNSPACES was answered without a count');
    return Number(answer);
  }

  private async poolCall(callId: bigint, signal: AbortSignal | undefined, operationTimeoutMs?: number): Promise<boolean | bigint> {
    try {
      await this.flush(undefined, signal);
      await this.receivePoolUntil(() => this.availability.has(callId), signal, undefined, operationTimeoutMs);
      return this.availability.get(callId)!;
    } finally {
      this.availability.delete(callId);
    }
  }

  /** Sends a pipeline's first message with the Command, then the rest, and receives until it ends (unless detached). */
  private async launch(pipeline: ClientPipeline, o: RunOptions): Promise<RunningPipeline> {
    const first = this.pool.takeOutbound(this.budget, pipeline.id);
    if (!first) throw new PowerShellSessionError('the pipeline produced no creation data');
    const commandId = pipeline.id.toUpperCase();
    await this.gated(() => this.shell.command(commandId, first.bytes, { signal: o.signal }), o.signal);
    if (o.input !== undefined) {
      this.pool.sendInput(pipeline.id, o.input);
      this.pool.endInput(pipeline.id);
    }
    await this.flush(pipeline.id);
    return this.track(new RunningPipeline(this, pipeline, o.onEvent, !o.detached));
  }

  /** Runs a pipeline to its end. */
  async invoke(spec: PipelineSpec, o: RunOptions = {}): Promise<PipelineResult> {
    return (await this.start(spec, o)).result;
  }

  /** Runs a script (as Invoke-Command -ScriptBlock), with optional arguments bound to its param() block. */
  async runScript(script: string, o: RunOptions & { parameters?: Record<string, PsInput> } = {}): Promise<PipelineResult> {
    const parameters = Object.entries(o.parameters ?? {}).map(([name, value]) => ({ name, value }));
    return this.invoke({ statements: [[{ command: script, isScript: true, parameters }]] }, o);
  }

  /**
   * Exchanges the session key (MS-PSRP 3.2.5.4.2) so SecureStrings can be read (`pool.decryptSecureString`)
   * and sent (`pool.encryptSecureString`). Needed below protocol 2.4, which every Windows PowerShell speaks.
   */
  async exchangeKey(signal?: AbortSignal): Promise<void> {
    this.pool.startKeyExchange();
    await this.flush(undefined);
    await this.receivePoolUntil(() => this.pool.hasSessionKey, signal);
  }

  /** Attaches to a pipeline left running in a connected session (WS-Man Connect with its CommandId). */
  async connectPipeline(commandId: string, o: Omit<RunOptions, 'input'> = {}): Promise<RunningPipeline> {
    const pipeline = this.pool.adoptPipeline(commandId);
    await this.gated(() => this.shell.connectCommand(commandId.toUpperCase(), { signal: o.signal }), o.signal);
    this.pool.pipelineConnected(pipeline.id);
    return this.track(new RunningPipeline(this, pipeline, o.onEvent));
  }

  /**
   * Disconnects (MS-PSRP 3.1.4.9): the host keeps the session and its pipelines running, buffering their
   * output in `bufferMode`, and deletes it after `idleTimeoutMs` without a client.
   */
  async disconnect(o: { idleTimeoutMs?: number; bufferMode?: BufferMode } = {}): Promise<void> {
    for (const r of this.running) r.detach();
    this.running.clear();
    await this.gated(() => this.shell.disconnect(o));
    this.pool.disconnected();
  }

  /** Reconnects this client to its disconnected session (MS-PSRP 3.1.4.9.2); the pipelines' Receive loops start again. */
  async reconnect(): Promise<RunningPipeline[]> {
    await this.gated(() => this.shell.reconnect());
    const before = new Set(this.pool.pipelineIds());
    this.pool.reconnected();
    return [...before]
      .map((id) => this.pool.pipeline(id)!)
      .filter((p) => !p.done)
      .map((p) => this.track(new RunningPipeline(this, p, undefined)));
  }

  /**
   * Whether the session's shell is still there for this client (a Get of it; see PowerShellShell.isAlive):
   * false once the host reports it Disconnected or gone, or cannot be reached; other failures are thrown.
   */
  async isAlive(o: { operationTimeoutMs?: number; signal?: AbortSignal } = {}): Promise<boolean> {
    return this.gated(() => this.shell.isAlive(o), o.signal);
  }

  /** Deletes the shell: the pool and every pipeline end on the host. */
  async close(): Promise<void> {
    for (const r of this.running) r.detach();
    this.running.clear();
    if (this.pool.machine.is('Closed')) return;
    await this.gated(() => this.shell.delete());
    this.pool.closed();
  }

  /** @internal Sends everything queued for a target (pool or pipeline), each request within the envelope budget. */
  async flush(pipelineId: string | undefined, signal?: AbortSignal): Promise<void> {
    for (
      let out = this.pool.takeOutbound(this.budget, pipelineId ?? null);
      out;
      out = this.pool.takeOutbound(this.budget, pipelineId ?? null)
    ) {
      const data = out;
      await this.gated(() => this.shell.send(data.pipelineId?.toUpperCase(), data.stream, data.bytes, { signal }), signal);
    }
  }

  /** @internal */
  gated<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.gate(fn, signal);
  }

  private async receivePoolUntil(
    done: () => boolean,
    signal: AbortSignal | undefined,
    onEvent?: () => void,
    operationTimeoutMs?: number,
  ): Promise<void> {
    while (!done()) {
      const received = await this.shell.receive(undefined, { signal, operationTimeoutMs });
      for (const chunk of received.chunks) {
        const events = this.pool.receive(chunk.bytes, chunk.commandId, WHOLE);
        if (events.length > 0) onEvent?.();
        this.notePoolEvents(events);
      }
      await this.flush(undefined, signal);
    }
  }

  /** What the session itself keeps from pool events: a broken pool's error, the negotiated envelope size. */
  private notePoolEvents(events: readonly PsrpEvent[]): void {
    for (const e of events) {
      if (e.kind === 'poolState' && e.error) this.poolError = e.error;
      if (e.kind === 'runspaceAvailability') this.availability.set(e.callId, e.response);
      if (e.kind === 'sessionCapability' && protocolAtLeast(e.versions.protocolVersion, 2, 2))
        this.client.raiseMaxEnvelopeSize(NEGOTIATED_ENVELOPE_HEADER);
    }
  }

  private track(r: RunningPipeline): RunningPipeline {
    this.running.add(r);
    r.result.then(
      () => this.running.delete(r),
      () => this.running.delete(r),
    );
    return r;
  }
}
