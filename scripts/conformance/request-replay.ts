import {
  SIGNAL_URI,
  WsmanClient,
  WsmanFault,
  WinrsShell,
  type MessageTransport,
  type ShellOptions,
  type SignalName,
} from '../../src/wsman';
import { ACTION, RESOURCE_URI, parseDuration, readEnvelope, readSelectorSet, type Envelope } from '../../src/wsman/soap';
import { NS, attr, child, childText, childrenNamed } from '../../src/wsman/xml';
import type { FixtureRecord } from './fixture-reader';
import { canonical, firstDifference } from './xml-structure';
import { errorMessage } from '../../src/common';

export type ReplayResult =
  | { readonly status: 'skipped'; readonly reason: string }
  | { readonly status: 'passed' }
  | { readonly status: 'failed'; readonly detail: string };

/**
 * Makes our client perform the operation a recorded request performed (same inputs, taken from the
 * recording), answers it with the recorded response, and compares our request with the recorded one.
 */
export async function replayRequest(record: FixtureRecord): Promise<ReplayResult> {
  if (!record.request) return { status: 'skipped', reason: 'no request recorded' };
  const recorded = readEnvelope(record.request);
  const ours: Envelope[] = [];
  const transport: MessageTransport = {
    post: async (xml) => {
      const env = readEnvelope(xml);
      ours.push(env);
      // Ids are normalised: the recorded answer is made to relate to our MessageID.
      const body = record.response.replace(/(<(?:[\w-]+:)?RelatesTo>)[^<]*(<)/, `$1${env.messageId ?? ''}$2`);
      return { status: record.httpStatus === 500 ? 500 : 200, body };
    },
    close: () => undefined,
  };
  const client = new WsmanClient({
    endpoint: recorded.to ?? 'http://localhost:5985/wsman',
    auth: { kind: 'basic', username: 'replay', password: 'replay', allowUnencrypted: true },
    transport,
    maxEnvelopeSize: recorded.maxEnvelopeSize,
    locale: recorded.locale,
  });
  const run = operationFor(client, recorded);
  if (typeof run === 'string') return { status: 'skipped', reason: run };
  try {
    await run();
  } catch (e) {
    if (!(e instanceof WsmanFault)) return { status: 'failed', detail: `our client failed on the recorded response: ${errorMessage(e)}` };
  }
  const mine = ours[0];
  if (!mine) return { status: 'failed', detail: 'our client sent nothing' };
  const header = firstDifference(canonical(recorded.header!, true), canonical(mine.header!, true));
  if (header) return { status: 'failed', detail: `header ${header}` };
  const body = firstDifference(canonical(recorded.body), canonical(mine.body));
  return body ? { status: 'failed', detail: `body ${body}` } : { status: 'passed' };
}

function operationFor(client: WsmanClient, rec: Envelope): (() => Promise<unknown>) | string {
  const uri = rec.resourceUri;
  const shellId = rec.selectors.ShellId;
  if (uri === RESOURCE_URI.shellCmd) {
    const shell = shellId ? WinrsShell.attach(client, shellId) : undefined;
    switch (rec.action) {
      case ACTION.Create:
        return () => WinrsShell.open(client, shellOptionsOf(rec));
      case ACTION.Command: {
        const line = child(rec.body, NS.rsp, 'CommandLine');
        const args = childrenNamed(line, NS.rsp, 'Arguments').map((a) => a.text);
        const skip = rec.options.WINRS_SKIP_CMD_SHELL?.value.toLowerCase() === 'true';
        const consoleMode = rec.options.WINRS_CONSOLEMODE_STDIN?.value;
        return () =>
          shell!.command(childText(line, NS.rsp, 'Command') ?? '', args, {
            skipCmdShell: skip,
            consoleModeStdin: consoleMode === undefined ? undefined : consoleMode.toLowerCase() === 'true',
          });
      }
      case ACTION.Receive:
        return () => shell!.receive(attr(child(child(rec.body, NS.rsp, 'Receive'), NS.rsp, 'DesiredStream'), 'CommandId'));
      case ACTION.Send: {
        const stream = child(child(rec.body, NS.rsp, 'Send'), NS.rsp, 'Stream');
        return () =>
          shell!.send(
            attr(stream, 'CommandId') ?? '',
            Buffer.from(stream?.text ?? '', 'base64'),
            (attr(stream, 'End') ?? '').toLowerCase() === 'true',
          );
      }
      case ACTION.Signal: {
        const signal = child(rec.body, NS.rsp, 'Signal');
        const code = (childText(signal, NS.rsp, 'Code') ?? '').toLowerCase();
        // Windows reads signal codes case-insensitively (recordings hold both `Terminate` and `terminate`).
        const name = (Object.keys(SIGNAL_URI) as SignalName[]).find((n) => SIGNAL_URI[n].toLowerCase() === code);
        if (!name) return `signal ${code} not offered by the client`;
        return () => shell!.signal(attr(signal, 'CommandId') ?? '', name);
      }
      case ACTION.Delete:
        return () => shell!.close();
      default:
        return `${rec.action} on the cmd shell is not a client operation`;
    }
  }
  if (uri === RESOURCE_URI.config && rec.action === ACTION.Get) return () => client.get(RESOURCE_URI.config);
  if (uri === RESOURCE_URI.shell && rec.action === ACTION.Get) return () => client.get(RESOURCE_URI.shell, rec.selectors);
  if ((uri === RESOURCE_URI.shell || uri === RESOURCE_URI.shellCommand) && rec.action === ACTION.Enumerate) {
    const filter = child(child(rec.body, NS.n, 'Enumerate'), NS.w, 'Filter');
    const selectorFilter = filter ? readSelectorSet(child(filter, NS.w, 'SelectorSet')) : undefined;
    return () => client.enumerate(uri, { selectorFilter });
  }
  return `${rec.action?.split('/').pop()} on ${uri} is PSRP or not a client operation`;
}

function shellOptionsOf(rec: Envelope): ShellOptions {
  const shell = child(rec.body, NS.rsp, 'Shell');
  const text = (n: string): string | undefined => childText(shell, NS.rsp, n);
  const duration = (n: string): number | undefined => {
    const t = text(n);
    return t === undefined ? undefined : parseDuration(t);
  };
  const env = childrenNamed(child(shell, NS.rsp, 'Environment'), NS.rsp, 'Variable');
  const noProfile = rec.options.WINRS_NOPROFILE?.value;
  const codepage = rec.options.WINRS_CODEPAGE?.value;
  return {
    noProfile: noProfile === undefined ? undefined : noProfile.toLowerCase() === 'true',
    codepage: codepage === undefined ? undefined : Number(codepage),
    inputStreams: text('InputStreams')?.split(/\s+/),
    outputStreams: text('OutputStreams')?.split(/\s+/),
    environment: env.length > 0 ? env.map((v) => [attr(v, 'Name') ?? '', v.text] as const) : undefined,
    idleTimeoutMs: duration('IdleTimeOut'),
    lifetimeMs: duration('Lifetime'),
    name: text('Name'),
    workingDirectory: text('WorkingDirectory'),
  };
}
