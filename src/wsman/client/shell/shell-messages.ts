import { NS, attr, child, childText, childrenNamed, el, type XmlElement, type XmlNodeSpec, parseUint } from '../../xml';
import type { OptionInput } from '../../soap/envelope-build';
import { formatDurationSeconds, parseDuration } from '../../soap/duration';
import { COMMAND_STATE } from '../../soap/actions';
import { peerRecord } from '../../soap/peer-record';
import { readResourceCreated } from '../operations/transfer-messages';
import { WsmanBadResponseError } from '../../faults/errors';

/** WinRS message bodies and option sets (shapes as recorded from Windows in the pypsrp captures). */

export interface ShellOptions {
  /** WINRS_NOPROFILE: do not load the user profile. */
  readonly noProfile?: boolean;
  /** WINRS_CODEPAGE, e.g. 65001 (UTF-8) or 437. */
  readonly codepage?: number;
  /** rsp:IdleTimeOut: the shell is deleted after this much inactivity. */
  readonly idleTimeoutMs?: number;
  /** rsp:Lifetime. */
  readonly lifetimeMs?: number;
  /** Variables in the order given (a list keeps order; a record orders numeric-looking names first). */
  readonly environment?: Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>;
  readonly workingDirectory?: string;
  readonly name?: string;
  readonly inputStreams?: readonly string[];
  readonly outputStreams?: readonly string[];
}

export function createShellOptions(o: ShellOptions): Record<string, OptionInput> {
  const out: Record<string, OptionInput> = {};
  if (o.noProfile !== undefined) out.WINRS_NOPROFILE = { value: o.noProfile ? 'TRUE' : 'FALSE', mustComply: true };
  if (o.codepage !== undefined) out.WINRS_CODEPAGE = String(o.codepage);
  return out;
}

function isPairs(environment: ShellOptions['environment']): environment is ReadonlyArray<readonly [string, string]> {
  return Array.isArray(environment);
}

export function createShellBody(o: ShellOptions): XmlNodeSpec {
  const env: ReadonlyArray<readonly [string, string]> = isPairs(o.environment) ? o.environment : Object.entries(o.environment ?? {});
  return el(
    'rsp:Shell',
    null,
    el('rsp:InputStreams', null, (o.inputStreams ?? ['stdin']).join(' ')),
    el('rsp:OutputStreams', null, (o.outputStreams ?? ['stdout', 'stderr']).join(' ')),
    env.length > 0 && el('rsp:Environment', null, ...env.map(([k, v]) => el('rsp:Variable', [['Name', k]], v))),
    o.idleTimeoutMs !== undefined && el('rsp:IdleTimeOut', null, formatDurationSeconds(o.idleTimeoutMs)),
    o.lifetimeMs !== undefined && el('rsp:Lifetime', null, formatDurationSeconds(o.lifetimeMs)),
    o.name !== undefined && el('rsp:Name', null, o.name),
    o.workingDirectory !== undefined && el('rsp:WorkingDirectory', null, o.workingDirectory),
  );
}

export interface ShellInfo {
  readonly shellId: string;
  readonly resourceUri?: string;
  readonly owner?: string;
  readonly clientIp?: string;
  readonly idleTimeoutMs?: number;
  readonly state?: string;
  readonly bufferMode?: string;
  readonly processId?: number;
  readonly workingDirectory?: string;
  /** Every rsp:Shell child by local name, as text (MemoryUsed, ShellRunTime, ...). */
  readonly fields: Readonly<Record<string, string>>;
}

/** A shell from an rsp:Shell element (Create echo, Get, or an Enumerate item). */
export function readShell(shell: XmlElement, fallbackId?: string): ShellInfo {
  const fields = peerRecord<string>();
  for (const c of shell.children) if (c.children.length === 0) fields[c.local] = c.text.trim();
  const shellId = fields.ShellId ?? attr(shell, 'ShellId') ?? fallbackId;
  if (!shellId) throw new WsmanBadResponseError('shell without a ShellId');
  const idle = fields.IdleTimeOut === undefined ? undefined : parseDuration(fields.IdleTimeOut);
  return {
    shellId,
    resourceUri: fields.ResourceUri,
    owner: fields.Owner,
    clientIp: fields.ClientIP,
    idleTimeoutMs: idle,
    state: fields.State,
    bufferMode: fields.BufferMode,
    processId: parseUint(fields.ProcessId),
    workingDirectory: fields.WorkingDirectory,
    fields,
  };
}

/** The shell of a CreateResponse: ResourceCreated selectors, plus the rsp:Shell echo newer Windows adds. */
export function readCreateShellResponse(body: XmlElement): ShellInfo {
  const created = readResourceCreated(body);
  const echo = child(body, NS.rsp, 'Shell');
  const id = created?.selectors.ShellId;
  if (echo) return readShell(echo, id);
  if (!id) throw new WsmanBadResponseError('CreateResponse carries no ShellId');
  return { shellId: id, resourceUri: created?.resourceUri, fields: {} };
}

export interface CommandOptions {
  /** WINRS_SKIP_CMD_SHELL: run the executable directly instead of through cmd.exe. */
  readonly skipCmdShell?: boolean;
  /** WINRS_CONSOLEMODE_STDIN: stdin is a console rather than a pipe. */
  readonly consoleModeStdin?: boolean;
}

export function commandOptions(o: CommandOptions): Record<string, OptionInput> {
  const out: Record<string, OptionInput> = {};
  if (o.consoleModeStdin !== undefined) out.WINRS_CONSOLEMODE_STDIN = o.consoleModeStdin ? 'TRUE' : 'FALSE';
  out.WINRS_SKIP_CMD_SHELL = o.skipCmdShell ? 'True' : 'False';
  return out;
}

export function commandBody(command: string, args: readonly string[], commandId?: string): XmlNodeSpec {
  return el(
    'rsp:CommandLine',
    [['CommandId', commandId]],
    el('rsp:Command', null, command),
    ...args.map((a) => el('rsp:Arguments', null, a)),
  );
}

export function readCommandResponse(body: XmlElement): string {
  const id = childText(child(body, NS.rsp, 'CommandResponse'), NS.rsp, 'CommandId');
  if (!id) throw new WsmanBadResponseError('CommandResponse carries no CommandId');
  return id;
}

/** Keeps the command alive between long-polls, as every recorded client sends it. */
export const RECEIVE_OPTIONS: Readonly<Record<string, OptionInput>> = { WSMAN_CMDSHELL_OPTION_KEEPALIVE: 'True' };

export function receiveBody(commandId: string | undefined, streams: readonly string[] = ['stdout', 'stderr']): XmlNodeSpec {
  return el('rsp:Receive', null, el('rsp:DesiredStream', [['CommandId', commandId]], streams.join(' ')));
}

export interface ReceiveResult {
  /** Decoded bytes per stream name, in arrival order. */
  readonly streams: Readonly<Record<string, Buffer>>;
  /** Streams that reported End="true". */
  readonly ended: readonly string[];
  /** Local name of the state (`Running`, `Done`, `Pending`), when reported. */
  readonly state?: string;
  readonly done: boolean;
  readonly exitCode?: number;
}

export function readReceiveResponse(body: XmlElement): ReceiveResult {
  const r = child(body, NS.rsp, 'ReceiveResponse');
  if (!r) throw new WsmanBadResponseError('expected a ReceiveResponse');
  const chunks = peerRecord<Buffer[]>();
  const ended: string[] = [];
  for (const s of childrenNamed(r, NS.rsp, 'Stream')) {
    const name = attr(s, 'Name') ?? 'stdout';
    const text = s.text.trim();
    if (text !== '' && !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new WsmanBadResponseError(`stream ${name} is not base64`);
    (chunks[name] ??= []).push(Buffer.from(text, 'base64'));
    if ((attr(s, 'End') ?? '').toLowerCase() === 'true' && !ended.includes(name)) ended.push(name);
  }
  const stateEl = child(r, NS.rsp, 'CommandState');
  const stateUri = attr(stateEl, 'State');
  const exit = childText(stateEl, NS.rsp, 'ExitCode');
  const streams = peerRecord<Buffer>();
  for (const [k, v] of Object.entries(chunks)) streams[k] = Buffer.concat(v);
  return {
    streams,
    ended,
    state: stateUri === undefined ? undefined : stateUri.slice(stateUri.lastIndexOf('/') + 1),
    done: stateUri === COMMAND_STATE.done,
    exitCode: exit !== undefined && /^-?\d+$/.test(exit) ? Number(exit) : undefined,
  };
}

/**
 * Send: one stream element. WinRS says whether the stream ends (`end`); PowerShell clients send `stdin`
 * or `pr` (host responses) without End, as Windows' own do (`end` undefined).
 */
export function sendBody(commandId: string | undefined, data: Buffer, end: boolean | undefined, stream = 'stdin'): XmlNodeSpec {
  return el(
    'rsp:Send',
    null,
    el(
      'rsp:Stream',
      [
        ['Name', stream],
        ['CommandId', commandId],
        ['End', end === undefined ? undefined : end ? 'True' : 'False'],
      ],
      data.toString('base64'),
    ),
  );
}

export function signalBody(commandId: string | undefined, code: string): XmlNodeSpec {
  return el('rsp:Signal', [['CommandId', commandId]], el('rsp:Code', null, code));
}
