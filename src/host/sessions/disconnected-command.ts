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
  type WsmanClient,
} from '../../wsman';
import { isNotFound } from '../transient-errors';
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
  // A second runspace lets a later collection run its own small pipelines beside the command.
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

export class SessionGoneError extends Error {
  override readonly name = 'SessionGoneError';
}

/**
 * Connects to the session and its command. A session still marked Connected (the process that held it
 * was killed) is disconnected first: the host would refuse a Connect to it (MS-WSMV 3.1.4.17). Whether
 * Windows lets another client of the same user disconnect it is not documented; the emulator does.
 */
async function attach(
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
  const session = await PowerShellSession.connect(client, { configurationName: c.configurationName, shellId: ref.shellId, gate, signal });
  const pipeline = session.pool.adoptPipeline(ref.commandId);
  await gate(() => session.shell.connectCommand(ref.commandId.toUpperCase(), { signal }), signal);
  session.pool.pipelineConnected(pipeline.id);
  return session;
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
  o: { quietMs?: number; signal: AbortSignal },
): Promise<number> {
  const pipelineId = commandId.toLowerCase();
  let chunks = 0;
  while (!collector.done) {
    const received = await session.shell.receive(commandId.toUpperCase(), { signal: o.signal, operationTimeoutMs: o.quietMs });
    chunks += received.chunks.length;
    for (const chunk of received.chunks)
      for (const e of session.pool.receive(chunk.bytes, pipelineId, { wholeFragments: true })) collector.onEvent(e);
    await session.flush(pipelineId);
    if (received.done && !collector.done)
      throw new PowerShellSessionError(`the host ended command ${commandId} without a final pipeline state`);
    if (o.quietMs !== undefined && received.chunks.length === 0) return chunks;
  }
  return chunks;
}

/**
 * A global variable in the session that holds a finished command's result once a refresh took it: Receive
 * consumes output, and terraform discards what the refresh of a plan learns, so the next refresh reads the
 * result from here instead of losing it.
 */
const RESULT_VARIABLE = 'psremoting_result';

async function stashedResult(session: PowerShellSession, signal: AbortSignal): Promise<PsrpCommandResult | undefined> {
  const r = await session.invoke(
    {
      statements: [
        [
          {
            command: 'Get-Variable',
            parameters: [
              { name: 'Name', value: RESULT_VARIABLE },
              { name: 'Scope', value: 'Global' },
              { name: 'ValueOnly', value: true },
              { name: 'ErrorAction', value: 'SilentlyContinue' },
            ],
          },
        ],
      ],
    },
    { signal },
  );
  const text = r.output[0];
  return typeof text === 'string' ? (JSON.parse(text) as PsrpCommandResult) : undefined;
}

async function stash(session: PowerShellSession, result: PsrpCommandResult, signal: AbortSignal): Promise<void> {
  const value = JSON.stringify(result);
  await session.invoke(
    {
      statements: [
        [
          {
            command: 'Set-Variable',
            parameters: [
              { name: 'Name', value: RESULT_VARIABLE },
              { name: 'Scope', value: 'Global' },
              { name: 'Value', value },
            ],
          },
        ],
      ],
    },
    { signal },
  );
}

/**
 * Connects, takes what the command wrote since the last collection and disconnects again. Once the
 * command ended: with `keep` (a refresh, whose result terraform may discard) the result is kept in the
 * session for the next collection and the session stays; without it (an apply, whose state terraform
 * saves) the session is closed. `quietMs` unset: waits for the end (`wait = true`).
 */
export async function collect(
  client: WsmanClient,
  gate: OperationGate,
  c: DisconnectedCommand,
  ref: SessionRef,
  o: { quietMs?: number; keep?: boolean; signal: AbortSignal },
): Promise<PsrpCommandResult> {
  const session = await attach(client, gate, c, ref, o.signal);
  let ended = false;
  try {
    const collector = new PsrpResultCollector(c.maxOutputBytes);
    const chunks = await receive(session, ref.commandId, collector, o);
    // Nothing at all from a command that has not ended: an earlier refresh may have taken its end.
    const stashed = o.keep && chunks === 0 && !collector.done ? await stashedResult(session, o.signal) : undefined;
    if (stashed) {
      ended = true;
      return stashed;
    }
    const result = await collector.result(session, o.signal);
    ended = collector.done;
    if (ended && o.keep) await stash(session, result, o.signal);
    return result;
  } finally {
    if (ended && !o.keep) await session.close().catch(() => undefined);
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
