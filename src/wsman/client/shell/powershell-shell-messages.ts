import { NS, attr, child, childrenNamed, el, type XmlElement, type XmlNodeSpec } from '../../xml';
import type { OptionInput } from '../../soap/envelope-build';
import { formatDurationSeconds } from '../../soap/duration';
import { COMMAND_STATE } from '../../soap/actions';
import { WsmanBadResponseError } from '../../faults/errors';

/**
 * Bodies of the WinRS operations as PowerShell remoting uses them (MS-PSRP 3.1.5.3; shapes as recorded
 * from Windows in the pypsrp captures test_psrp_*). The PSRP bytes are opaque here: this layer does not
 * import src/psrp (DESIGN.md), the host layer joins the two.
 */

/** The option every PowerShell shell Create and Connect carries (MS-PSRP 3.1.5.3.1; MustComply as recorded). */
export function protocolVersionOption(protocolVersion: string): Record<string, OptionInput> {
  return { protocolversion: { value: protocolVersion, mustComply: true } };
}

export interface PowerShellShellOptions {
  /** The RunspacePool id, upper-case (PowerShell's own ShellId rule: WS-Man compares ShellIds case-sensitively). */
  readonly shellId: string;
  /** First PSRP payload: SESSION_CAPABILITY and INIT_RUNSPACEPOOL fragments. */
  readonly creationXml: Buffer;
  readonly protocolVersion: string;
  /** rsp:IdleTimeOut of the shell. */
  readonly idleTimeoutMs?: number;
  /** rsp:Name, which Get-PSSession shows. */
  readonly name?: string;
  /** WINRS_NOPROFILE */
  readonly noProfile?: boolean;
}

export function createPowerShellShellBody(o: PowerShellShellOptions): XmlNodeSpec {
  return el(
    'rsp:Shell',
    [['ShellId', o.shellId]],
    o.name !== undefined && el('rsp:Name', null, o.name),
    el('rsp:InputStreams', null, 'stdin pr'),
    el('rsp:OutputStreams', null, 'stdout'),
    o.idleTimeoutMs !== undefined && el('rsp:IdleTimeOut', null, formatDurationSeconds(o.idleTimeoutMs)),
    el('creationXml', [['xmlns', NS.ps]], o.creationXml.toString('base64')),
  );
}

export function createPowerShellShellOptions(o: PowerShellShellOptions): Record<string, OptionInput> {
  const out: Record<string, OptionInput> = protocolVersionOption(o.protocolVersion);
  if (o.noProfile !== undefined) out.WINRS_NOPROFILE = { value: o.noProfile ? 'TRUE' : 'FALSE', mustComply: true };
  return out;
}

/** Command: empty rsp:Command, the first CREATE_PIPELINE payload as Arguments, the pipeline id as CommandId. */
export function powerShellCommandBody(commandId: string, firstPayload: Buffer): XmlNodeSpec {
  return el('rsp:CommandLine', [['CommandId', commandId]], el('rsp:Command'), el('rsp:Arguments', null, firstPayload.toString('base64')));
}

export function powerShellReceiveBody(commandId: string | undefined): XmlNodeSpec {
  return el('rsp:Receive', null, el('rsp:DesiredStream', [['CommandId', commandId]], 'stdout'));
}

export interface PsrpReceived {
  /** Each rsp:Stream element in order, with the CommandId it names (undefined for the pool). */
  readonly chunks: ReadonlyArray<{ readonly commandId: string | undefined; readonly bytes: Buffer }>;
  /** The command reported Done (its PIPELINE_STATE has come). */
  readonly done: boolean;
  readonly state?: string;
}

export function readPsrpReceive(body: XmlElement): PsrpReceived {
  const r = child(body, NS.rsp, 'ReceiveResponse');
  if (!r) throw new WsmanBadResponseError('expected a ReceiveResponse');
  const chunks = childrenNamed(r, NS.rsp, 'Stream').map((s) => {
    const text = s.text.trim();
    if (text !== '' && !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new WsmanBadResponseError('PowerShell stream data is not base64');
    return { commandId: attr(s, 'CommandId'), bytes: Buffer.from(text, 'base64') };
  });
  const stateUri = attr(child(r, NS.rsp, 'CommandState'), 'State');
  return { chunks, done: stateUri === COMMAND_STATE.done, state: stateUri?.slice(stateUri.lastIndexOf('/') + 1) };
}

/** Output buffering of a disconnected shell (MS-WSMV 2.2.4.37 BufferMode). */
export type BufferMode = 'Block' | 'Drop';

/** Disconnect (MS-WSMV 3.1.4.15): optional idle timeout and buffer mode for the time away. */
export function disconnectBody(o: { idleTimeoutMs?: number; bufferMode?: BufferMode } = {}): XmlNodeSpec {
  return el(
    'rsp:Disconnect',
    null,
    o.bufferMode !== undefined && el('rsp:BufferMode', null, o.bufferMode),
    o.idleTimeoutMs !== undefined && el('rsp:IdleTimeOut', null, formatDurationSeconds(o.idleTimeoutMs)),
  );
}

/** Reconnect (MS-WSMV 3.1.4.16): an empty body, as Windows accepted from pypsrp; a command is named by CommandId. */
export function reconnectBody(commandId?: string): XmlNodeSpec | undefined {
  return commandId === undefined ? undefined : el('rsp:Reconnect', [['CommandId', commandId]]);
}

/** Connect of a pool (MS-PSRP 3.1.5.3.17): SESSION_CAPABILITY and CONNECT_RUNSPACEPOOL as connectXml. */
export function connectPoolBody(connectXml: Buffer): XmlNodeSpec {
  return el('rsp:Connect', null, el('connectXml', [['xmlns', NS.ps]], connectXml.toString('base64')));
}

/** Connect of a command left running (MS-PSRP 3.1.5.3.19). */
export function connectCommandBody(commandId: string): XmlNodeSpec {
  return el('rsp:Connect', [['CommandId', commandId]]);
}

/** The connectResponseXml bytes (SESSION_CAPABILITY and RUNSPACEPOOL_INIT_DATA), empty for a command connect. */
export function readConnectResponse(body: XmlElement): Buffer {
  const r = child(body, NS.rsp, 'ConnectResponse');
  if (!r) throw new WsmanBadResponseError('expected a ConnectResponse');
  const xml = child(r, NS.ps, 'connectResponseXml');
  const text = (xml?.text ?? '').trim();
  if (text !== '' && !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new WsmanBadResponseError('connectResponseXml is not base64');
  return Buffer.from(text, 'base64');
}

/**
 * Bytes of PSRP payload one request may carry: the envelope size less the request's own XML, and base64
 * growth (4/3). `overhead` is the size of the request without its payload (pypsrp measures an empty Send
 * the same way and keeps 256 bytes spare).
 */
export function payloadBudget(maxEnvelopeSize: number, overhead: number): number {
  const room = Math.floor(((maxEnvelopeSize - overhead - 256) * 3) / 4);
  if (room < 64) throw new WsmanBadResponseError(`MaxEnvelopeSize ${maxEnvelopeSize} leaves no room for PowerShell data`);
  return room;
}
