/**
 * Commands in disconnected sessions (what `Invoke-Command -InDisconnectedSession` and
 * `Receive-PSSession` do, about_Remote_Disconnected_Sessions): the command starts in a new named session
 * that is disconnected at once, so it runs on without a client; any later process of the same user finds
 * the session by its name, connects (MS-PSRP 3.1.4.10: pool, then the command) and receives what the
 * host buffered, then disconnects again or, once the command ended, closes the session.
 */
import {
  enumerateShellCommands,
  enumerateShells,
  getShell,
  PowerShellShell,
  type BufferMode,
  type ShellInfo,
  WsmanTransportError,
  type WsmanClient,
} from '../../wsman';
import { describeIllegalTransition, errorMessage, StateMachine, type TransitionTable } from '../../common';
import { withRetry } from '../coordination';
import { HostError } from '../host-error';
import { silentLog, type HostLog } from '../host-log';
import { isNotFound, isTransient } from '../transient-errors';
import { PowerShellSession, PowerShellSessionError, type OperationGate } from '../powershell';
import { prepare, PsrpResultCollector, scriptPipeline, type PsrpCommand, type PsrpCommandResult } from './psrp-command';

export interface DisconnectSettings {
  /** How long the host keeps the session without a client; unset: the endpoint's IdleTimeout. */
  readonly idleTimeoutMs?: number;
  /** Unset: the endpoint's OutputBufferingMode. */
  readonly bufferMode?: BufferMode;
}

export interface DisconnectedCommand extends PsrpCommand, DisconnectSettings {
  /** rsp:Name of the session, by which a later run finds it. */
  readonly sessionName: string;
}

/** Where a disconnected command runs. */
export interface SessionRef {
  readonly shellId: string;
  readonly commandId: string;
}

/** The caller's session called `name` on the endpoint, if the host still has it. */
export async function findSession(
  client: WsmanClient,
  configurationName: string,
  name: string,
  signal: AbortSignal,
): Promise<ShellInfo | undefined> {
  const uri = PowerShellShell.resourceUriOf(configurationName).toLowerCase();
  const shells = await enumerateShells(client, { signal });
  return shells.find((s) => s.fields.Name === name && s.resourceUri?.toLowerCase() === uri);
}

/** Starts the command in a new session named `sessionName` and disconnects from it at once. */
export async function startDisconnected(
  client: WsmanClient,
  gate: OperationGate,
  c: DisconnectedCommand,
  signal: AbortSignal,
): Promise<SessionRef> {
  // Two runspaces: a later collection runs its own small pipelines beside the command, and a probe
  // (probeCommand) tells the command running (one runspace busy) from ended (both free).
  const session = await PowerShellSession.open(client, {
    configurationName: c.configurationName,
    name: c.sessionName,
    idleTimeoutMs: c.idleTimeoutMs,
    maxRunspaces: 2,
    noProfile: true,
    gate,
    signal,
  });
  try {
    await prepare(session, c, signal);
    const running = await session.start(scriptPipeline(c.script), { signal });
    await session.disconnect({ idleTimeoutMs: c.idleTimeoutMs, bufferMode: c.bufferMode });
    return { shellId: session.shellId, commandId: running.commandId };
  } catch (e) {
    await session.close().catch(() => undefined);
    throw e;
  }
}

export class SessionGoneError extends HostError {
  override readonly name = 'SessionGoneError';
  constructor(message: string) {
    super('session-gone', message);
  }
}

/**
 * Connects to the session's pool. A session still marked Connected (the process that held it was
 * killed) is disconnected first: the host would refuse a Connect to it (MS-WSMV 3.1.4.17). Whether
 * Windows lets another client of the same user disconnect it is not documented; the emulator does.
 */
async function attachPool(
  client: WsmanClient,
  gate: OperationGate,
  c: DisconnectedCommand,
  ref: SessionRef,
  signal: AbortSignal,
): Promise<PowerShellSession> {
  let shell: ShellInfo;
  try {
    shell = await gate(() => getShell(client, ref.shellId, { signal }), signal);
  } catch (e) {
    if (isNotFound(e)) throw new SessionGoneError(`session ${ref.shellId} no longer exists on the host`);
    throw e;
  }
  if (shell.state !== 'Disconnected') {
    await gate(
      () =>
        PowerShellShell.attach(client, c.configurationName, ref.shellId).disconnect(
          { idleTimeoutMs: c.idleTimeoutMs, bufferMode: c.bufferMode },
          { signal },
        ),
      signal,
    );
  }
  return PowerShellSession.connect(client, { configurationName: c.configurationName, shellId: ref.shellId, gate, signal });
}

/** Connects to the session and its command (MS-PSRP 3.1.4.10: pool, then the command). */
async function attach(
  client: WsmanClient,
  gate: OperationGate,
  c: DisconnectedCommand,
  ref: SessionRef,
  signal: AbortSignal,
): Promise<PowerShellSession> {
  const session = await attachPool(client, gate, c, ref, signal);
  try {
    const pipeline = session.pool.adoptPipeline(ref.commandId);
    await gate(() => session.shell.connectCommand(ref.commandId.toUpperCase(), { signal }), signal);
    session.pool.pipelineConnected(pipeline.id);
  } catch (e) {
    await session.disconnect({ idleTimeoutMs: c.idleTimeoutMs, bufferMode: c.bufferMode }).catch(() => undefined);
    throw e;
  }
  return session;
}

/** How long a probe waits for the pool's answer. */
const PROBE_WAIT_MS = 5000;

/**
 * Where a disconnected command stands, learnt without taking any of its output: `running`, or
 * `collectable` (it ended, or its output waits for a client). Connects to the session's pool only and
 * asks how many runspaces are free (the command holds one while it runs); the command's output stays
 * buffered on the host, so a refresh whose result terraform discards (a plan) loses nothing. A pool that
 * does not answer within PROBE_WAIT_MS is taken as holding back output (Block mode with a full buffer
 * holds back the pool's answers too): collecting it is what lets the command go on.
 */
export async function probeCommand(
  client: WsmanClient,
  gate: OperationGate,
  c: DisconnectedCommand,
  ref: SessionRef,
  signal: AbortSignal,
): Promise<'running' | 'collectable'> {
  const session = await attachPool(client, gate, c, ref, signal);
  try {
    const free = await session.availableRunspacesWithin(PROBE_WAIT_MS, signal);
    return free !== undefined && free < session.pool.maxRunspaces ? 'running' : 'collectable';
  } finally {
    await session.disconnect({ idleTimeoutMs: c.idleTimeoutMs, bufferMode: c.bufferMode }).catch(() => undefined);
  }
}

/** The command of a session (a disconnected command's session runs exactly one). */
export async function commandOf(client: WsmanClient, shellId: string, signal: AbortSignal): Promise<string | undefined> {
  return (await enumerateShellCommands(client, shellId, { signal }))[0]?.commandId;
}

/** Receives within one Receive long-poll at a time; `quietMs` ends the window after a poll that brought nothing. */
async function receive(
  session: PowerShellSession,
  commandId: string,
  collector: PsrpResultCollector,
  o: { quietMs?: number; signal: AbortSignal; onAnswer: () => void },
): Promise<void> {
  const pipelineId = commandId.toLowerCase();
  while (!collector.done) {
    const received = await session.shell.receive(commandId.toUpperCase(), { signal: o.signal, operationTimeoutMs: o.quietMs });
    o.onAnswer();
    for (const chunk of received.chunks)
      for (const e of session.pool.receive(chunk.bytes, pipelineId, { wholeFragments: true })) collector.onEvent(e);
    await session.flush(pipelineId);
    if (received.done && !collector.done)
      throw new PowerShellSessionError(`the host ended command ${commandId} without a final pipeline state`);
    if (o.quietMs !== undefined && received.chunks.length === 0) return;
  }
}

/**
 * Failed attempts in a row after which a collection gives up on a lost connection. An attempt that got
 * any answer from the host starts the count again, so a long wait survives many separate drops; the
 * whole wait stays bounded by the caller's signal (timeout_sec).
 */
export const MAX_REATTACH_ATTEMPTS = 4;
/** The pause before attaching again grows from this, doubling (with jitter), up to REATTACH_MAX_DELAY_MS. */
const REATTACH_FIRST_DELAY_MS = 500;
const REATTACH_MAX_DELAY_MS = 4000;

/**
 * A failure that lost the connection, not the session: reset, no answer in time, the host briefly
 * unreachable or busy. The host keeps a session whose client vanished (it only marks it Connected), so
 * attaching again finds the command where it was; a session that did not survive (WinRM restarted)
 * shows as SessionGoneError on that attach.
 */
function connectionLost(e: unknown): boolean {
  return isTransient(e) || (e instanceof WsmanTransportError && e.kind === 'timeout');
}

/** A collection: attach, receive, and on a lost connection attach again; `finished` holds the result or the failure. */
type CollectionState = 'attaching' | 'receiving' | 'connectionLost' | 'finished';
const COLLECTION_TRANSITIONS: TransitionTable<CollectionState> = {
  attaching: ['receiving', 'connectionLost', 'finished'],
  receiving: ['connectionLost', 'finished'],
  connectionLost: ['attaching', 'finished'],
  finished: [],
};

/**
 * Connects, takes what the command wrote since the last collection and disconnects again, or closes the
 * session once the command ended. Only an apply calls it (terraform saves what an apply returns; Receive
 * consumes the output). `quietMs` unset: waits for the end (`wait = true`).
 *
 * A connection lost on the way (a dropped socket, a host too slow to answer) does not end the
 * collection while the session lives: it attaches again, up to MAX_REATTACH_ATTEMPTS failures in a row,
 * and goes on filling the same collector, so what earlier attempts received stays in the result. A
 * Receive is answered only once the host has taken the output off its buffer, so an answer lost in
 * flight after that is lost output; a request dropped before the host acted on it loses nothing.
 */
export async function collect(
  client: WsmanClient,
  gate: OperationGate,
  c: DisconnectedCommand,
  ref: SessionRef,
  o: { quietMs?: number; signal: AbortSignal; log?: HostLog },
): Promise<PsrpCommandResult> {
  const log = o.log ?? silentLog;
  const machine = new StateMachine<CollectionState>({
    name: `collection of ${ref.shellId}`,
    initial: 'attaching',
    transitions: COLLECTION_TRANSITIONS,
    refuse: (refusal) => new HostError('illegal-transition', describeIllegalTransition(refusal)),
  });
  const collector = new PsrpResultCollector(c.maxOutputBytes);
  try {
    const result = await withRetry(
      (progress) => {
        if (machine.is('connectionLost')) machine.transition('attaching');
        return collectOnce(client, gate, c, ref, collector, {
          ...o,
          onAttached: () => machine.transition('receiving'),
          onAnswer: progress,
        });
      },
      {
        attempts: MAX_REATTACH_ATTEMPTS,
        baseDelayMs: REATTACH_FIRST_DELAY_MS,
        maxDelayMs: REATTACH_MAX_DELAY_MS,
        isTransient: connectionLost,
        onRetry: (e, attempt, delayMs) => {
          machine.transition('connectionLost', errorMessage(e));
          log.info('lost the connection to the disconnected session; attaching again', {
            session: ref.shellId,
            attempt,
            of: MAX_REATTACH_ATTEMPTS - 1,
            delay_ms: delayMs,
            error: errorMessage(e),
          });
        },
      },
      o.signal,
    );
    machine.transition('finished');
    return result;
  } catch (e) {
    machine.transition('finished', errorMessage(e));
    throw e;
  }
}

/** One attach and the receiving that follows it, into `collector`. */
async function collectOnce(
  client: WsmanClient,
  gate: OperationGate,
  c: DisconnectedCommand,
  ref: SessionRef,
  collector: PsrpResultCollector,
  o: { quietMs?: number; signal: AbortSignal; onAttached: () => void; onAnswer: () => void },
): Promise<PsrpCommandResult> {
  const session = await attach(client, gate, c, ref, o.signal);
  o.onAttached();
  let ended = false;
  try {
    await receive(session, ref.commandId, collector, o);
    const result = await collector.result(session, o.signal);
    ended = collector.done;
    return result;
  } finally {
    if (ended) await session.close().catch(() => undefined);
    else await session.disconnect({ idleTimeoutMs: c.idleTimeoutMs, bufferMode: c.bufferMode }).catch(() => undefined);
  }
}

/** Deletes a session (its command ends with it); one already gone is not an error. */
export async function closeSession(
  client: WsmanClient,
  gate: OperationGate,
  configurationName: string,
  shellId: string,
  signal: AbortSignal,
): Promise<void> {
  try {
    await gate(() => PowerShellShell.attach(client, configurationName, shellId).delete({ signal }), signal);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}
