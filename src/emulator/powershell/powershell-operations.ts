/**
 * WS-Man operations on PowerShell shells (MS-PSRP 3.1.5.3), served by the shell's PowerShellSession:
 * Create (creationXml), Command (Arguments), Send (stdin/pr), Receive (long-poll, CommandState Done after
 * the final PIPELINE_STATE), Signal (`powershell/signal/crtl_c` stops, any other code closes), Disconnect,
 * Reconnect and Connect (connectXml -> connectResponseXml, or a command's buffered output), and the
 * Enumerate of a shell's commands. Shapes follow the test_psrp_* recordings.
 */
import { NS, attr, child, childText, childrenNamed, el, type XmlElement, type XmlNodeSpec } from '../../wsman/xml';
import { COMMAND_STATE, DEFAULT_MAX_ENVELOPE_SIZE, parseDuration } from '../../wsman/soap';
import { errorMessage } from '../../common';
import { faults } from '../dispatch/emulator-fault';
import type { OperationResult, RequestContext } from '../dispatch/request-context';
import type { Shell } from '../shells/shell';
import { EmulatorError } from '../emulator-error';
import { PowerShellSession, type BufferMode } from './powershell-session';
import { requirePwsh, type PwshCommand } from './pwsh-locator';

/** The PowerShell plugin's stop code (MS-PSRP 3.1.5.3.8, spelled `crtl_c` as PowerShell compares it). */
export const PS_STOP_SIGNAL = 'powershell/signal/crtl_c';

export interface PowerShellEngineOptions {
  readonly cwd: string;
  readonly configurationFile?: string;
  /** Variables added to pwsh's environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly maxMemoryMB?: number;
  readonly outputBufferBytes: number;
  readonly onExit: (reason: string) => void;
}

/** Create: starts the shell's pwsh -s and hands it the creationXml. */
export async function openPowerShellEngine(body: XmlElement, options: PowerShellEngineOptions): Promise<PowerShellSession> {
  const creation = childText(body, NS.ps, 'creationXml');
  if (creation === undefined || creation.trim() === '') throw faults.schemaValidation('A PowerShell shell Create needs creationXml.');
  const session = new PowerShellSession({ pwsh: requirePwshFault(), ...options });
  try {
    await session.open(Buffer.from(creation.trim(), 'base64'));
  } catch (e: unknown) {
    session.kill();
    throw engineFault(e);
  }
  return session;
}

export async function powershellCommand(
  ctx: RequestContext,
  shell: Shell,
  session: PowerShellSession,
  maxCommands: number,
): Promise<OperationResult> {
  const line = child(ctx.env.body, NS.rsp, 'CommandLine');
  const id = attr(line, 'CommandId')?.toUpperCase();
  if (!line || id === undefined) throw faults.invalidParameter();
  if (!session.hasCommand(id) && session.commandIds().length >= maxCommands) throw faults.commandsPerShell(maxCommands);
  const args = childrenNamed(line, NS.rsp, 'Arguments')
    .map((a) => a.text.trim())
    .join('');
  await guard(session.startPipeline(id, Buffer.from(args, 'base64')));
  if (shell.isClosed) throw faults.shellNotFound();
  return { body: [el('rsp:CommandResponse', null, el('rsp:CommandId', null, id))] };
}

export async function powershellSend(ctx: RequestContext, session: PowerShellSession): Promise<OperationResult> {
  for (const stream of childrenNamed(child(ctx.env.body, NS.rsp, 'Send'), NS.rsp, 'Stream')) {
    const id = attr(stream, 'CommandId');
    if (id !== undefined && !session.hasCommand(id)) throw faults.commandNotFound();
    const name = (attr(stream, 'Name') ?? 'stdin').toLowerCase() === 'pr' ? 'pr' : 'stdin';
    const data = Buffer.from(stream.text.trim(), 'base64');
    if (data.length > 0) await guard(session.send(id, name, data));
  }
  return { body: [el('rsp:SendResponse')] };
}

export async function powershellReceive(
  ctx: RequestContext,
  shell: Shell,
  session: PowerShellSession,
  timeoutMs: number,
): Promise<OperationResult> {
  const desired = child(child(ctx.env.body, NS.rsp, 'Receive'), NS.rsp, 'DesiredStream');
  const commandId = attr(desired, 'CommandId')?.toUpperCase();
  if (commandId !== undefined && !session.hasCommand(commandId)) throw faults.commandNotFound();
  // base64 grows by 4/3; leave room for the envelope around the streams.
  const budget = Math.max(4096, Math.floor((((ctx.env.maxEnvelopeSize ?? DEFAULT_MAX_ENVELOPE_SIZE) - 4096) * 3) / 4));
  const cancel = Promise.race([ctx.aborted, shell.whenDetached]);
  const result = await guard(session.receive(commandId, timeoutMs, budget, cancel));
  if (!result) throw faults.timedOut();
  const streamAttrs = (): Array<readonly [string, string]> =>
    commandId === undefined
      ? [['Name', 'stdout']]
      : [
          ['Name', 'stdout'],
          ['CommandId', commandId],
        ];
  const items: XmlNodeSpec[] = result.messages.map((m) => el('rsp:Stream', streamAttrs(), m.bytes.toString('base64')));
  if (commandId !== undefined && result.done) {
    items.push(
      el(
        'rsp:CommandState',
        [
          ['CommandId', commandId],
          ['State', COMMAND_STATE.done],
        ],
        el('rsp:ExitCode', null, '0'),
      ),
    );
  }
  return { body: [el('rsp:ReceiveResponse', null, ...items)] };
}

export async function powershellSignal(ctx: RequestContext, session: PowerShellSession): Promise<OperationResult> {
  const sig = child(ctx.env.body, NS.rsp, 'Signal');
  const code = (childText(sig, NS.rsp, 'Code') ?? '').trim();
  const id = attr(sig, 'CommandId');
  if (id === undefined) return { body: [el('rsp:SignalResponse')] };
  if (!session.hasCommand(id)) throw faults.commandNotFound();
  // PowerShell's plugin compares ordinally with its own spelling; any other code closes (PerformWSManPluginSignal).
  // PowerShell's client sends the code exactly as `powershell/signal/crtl_c` (WSManClientCommandTransportManager.StopSignal).
  if (code === PS_STOP_SIGNAL || code === `http://schemas.microsoft.com/${PS_STOP_SIGNAL}`) await guard(session.stop(id));
  else await guard(session.closePipeline(id));
  return { body: [el('rsp:SignalResponse')] };
}

/** Disconnect (MS-WSMV 3.1.4.15): optional IdleTimeOut (bounded by MaxIdleTimeOut) and BufferMode. */
export function powershellDisconnect(ctx: RequestContext, shell: Shell): OperationResult {
  if (shell.state !== 'Connected') throw faults.shellNotConnected();
  const body = child(ctx.env.body, NS.rsp, 'Disconnect');
  const idleText = childText(body, NS.rsp, 'IdleTimeOut');
  const idleMs = idleText === undefined ? undefined : parseDuration(idleText);
  if (idleText !== undefined && idleMs === undefined) throw faults.schemaValidation(`IdleTimeOut ${idleText} is not a valid duration.`);
  if (idleMs !== undefined && shell.settings.maxIdleTimeoutMs !== undefined && idleMs > shell.settings.maxIdleTimeoutMs) {
    // Windows' answer to an over-limit IdleTimeOut at Disconnect is not recorded; the Create check's fault is the most plausible.
    throw faults.schemaValidation(
      `The IdleTimeOut ${idleText} exceeds the MaxIdleTimeoutms ${shell.settings.maxIdleTimeoutMs} of the ${shell.settings.plugin ?? ''} plugin.`,
    );
  }
  shell.disconnect(idleMs, bufferModeOf(childText(body, NS.rsp, 'BufferMode')));
  // Windows answers with an empty Body (test_psrp_disconnect_runspaces).
  return { body: [] };
}

/** Reconnect (same client): a connected shell's Reconnect is ignored (MS-WSMV 3.1.4.16; recorded after a Connect). */
export function powershellReconnect(ctx: RequestContext, shell: Shell): OperationResult {
  if (shell.state === 'Disconnected') shell.reconnect(ctx.env.sessionId, 'reconnect');
  // Windows answers with an empty Body (test_psrp_disconnected_commands).
  return { body: [] };
}

/**
 * Connect (another client of the same user): the pool form answers connectXml with connectResponseXml; the
 * command form (`CommandId` attribute) attaches to a command whose output then comes by Receive.
 */
export function powershellConnect(ctx: RequestContext, shell: Shell, session: PowerShellSession): OperationResult {
  const body = child(ctx.env.body, NS.rsp, 'Connect');
  const commandId = attr(body, 'CommandId');
  if (commandId !== undefined) {
    if (!session.hasCommand(commandId)) throw faults.commandNotFound();
    return { body: [el('rsp:ConnectResponse')] };
  }
  const connectXml = childText(body, NS.ps, 'connectXml');
  if (connectXml === undefined) throw faults.schemaValidation('A shell Connect needs connectXml or a CommandId.');
  // MS-WSMV 3.1.4.17: Connect to a shell a client is attached to fails.
  if (shell.state !== 'Disconnected') throw faults.shellNotDisconnected();
  let answer: Buffer;
  try {
    answer = session.connect(Buffer.from(connectXml.trim(), 'base64'));
  } catch (e: unknown) {
    throw engineFault(e);
  }
  shell.reconnect(ctx.env.sessionId, 'connect');
  return {
    body: [
      el(
        'rsp:ConnectResponse',
        null,
        el('rsp:InputStreams', null, shell.settings.inputStreams),
        el('rsp:OutputStreams', null, shell.settings.outputStreams),
        el('connectResponseXml', [['xmlns', NS.ps]], answer.toString('base64')),
      ),
    ],
  };
}

/** The rsp:Command items of a shell's Enumerate (test_psrp_disconnected_commands). */
export function commandElements(session: PowerShellSession): XmlNodeSpec[] {
  return session
    .commandIds()
    .map((id) =>
      el('rsp:Command', null, el('rsp:CommandId', null, id), el('rsp:CommandLine', null, ''), el('rsp:CommandState', null, 'Running')),
    );
}

function bufferModeOf(text: string | undefined): BufferMode | undefined {
  const t = text?.trim().toLowerCase();
  return t === 'drop' ? 'Drop' : t === 'block' ? 'Block' : undefined;
}

function requirePwshFault(): PwshCommand {
  try {
    return requirePwsh();
  } catch (e: unknown) {
    throw engineFault(e);
  }
}

async function guard<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e: unknown) {
    throw engineFault(e);
  }
}

/** The engine's failures reach the client as the plugin's InternalError with the emulator's explanation. */
function engineFault(e: unknown): Error {
  if (!(e instanceof EmulatorError)) return e instanceof Error ? e : new Error(errorMessage(e));
  return faults.powershellEngine(e.message);
}
