import { randomUUID } from 'node:crypto';
import { NS, el, parseXml, writeXml, type NsPrefix, type XmlNodeSpec } from '../xml';
import { ANONYMOUS_ADDRESS } from './resource-uris';
import { formatDurationSeconds } from './duration';

/** Windows' default MaxEnvelopeSizekb is 150: 153600 bytes (as pypsrp sends). */
export const DEFAULT_MAX_ENVELOPE_SIZE = 153_600;
export const DEFAULT_LOCALE = 'en-US';

export type OptionInput = string | { readonly value: string; readonly mustComply?: boolean };

export interface RequestHeaders {
  /** The endpoint URL, e.g. `http://host:5985/wsman`. */
  readonly to: string;
  readonly resourceUri: string;
  readonly action: string;
  /** Defaults to a fresh `uuid:` id. */
  readonly messageId?: string;
  readonly maxEnvelopeSize?: number;
  readonly locale?: string;
  readonly dataLocale?: string;
  /** Omitted when undefined (Identify-like requests); otherwise written as `PTnS`. */
  readonly operationTimeoutMs?: number;
  readonly selectors?: Readonly<Record<string, string>>;
  readonly options?: Readonly<Record<string, OptionInput>>;
  /** The client session id (`uuid:...`), constant per client; MS-PSRP needs it for Disconnect/Reconnect. */
  readonly sessionId?: string;
}

/**
 * A request body: an element spec written with the envelope's prefixes (s, a, w, p, rsp, n, x), or a
 * complete, self-contained XML element as text (e.g. a PlugInConfiguration document), checked to be
 * well formed and inserted without its XML declaration.
 */
export type RequestBody = XmlNodeSpec | { readonly xml: string };

export function newMessageId(): string {
  return `uuid:${randomUUID().toUpperCase()}`;
}

/** `xmlns:<prefix>` declarations of the given prefixes, in the order given. */
export function namespaceDeclarations(prefixes: readonly NsPrefix[]): Array<readonly [string, string]> {
  return prefixes.map((prefix) => [`xmlns:${prefix}`, NS[prefix]]);
}

/** Writes a complete request envelope with every header Windows expects. */
export function buildRequest(h: RequestHeaders, body?: RequestBody): string {
  const mu = (v: 'true' | 'false'): readonly [string, string] => ['s:mustUnderstand', v];
  const locale = h.locale ?? DEFAULT_LOCALE;
  const selectors = Object.entries(h.selectors ?? {});
  const options = Object.entries(h.options ?? {});
  const header = el(
    's:Header',
    null,
    el('a:To', null, h.to),
    el('w:ResourceURI', [mu('true')], h.resourceUri),
    el('a:ReplyTo', null, el('a:Address', [mu('true')], ANONYMOUS_ADDRESS)),
    el('a:Action', [mu('true')], h.action),
    el('w:MaxEnvelopeSize', [mu('true')], String(h.maxEnvelopeSize ?? DEFAULT_MAX_ENVELOPE_SIZE)),
    el('a:MessageID', null, h.messageId ?? newMessageId()),
    el('w:Locale', [mu('false'), ['xml:lang', locale]]),
    el('p:DataLocale', [mu('false'), ['xml:lang', h.dataLocale ?? locale]]),
    h.sessionId !== undefined && el('p:SessionId', [mu('false')], h.sessionId),
    h.operationTimeoutMs !== undefined && el('w:OperationTimeout', null, formatDurationSeconds(h.operationTimeoutMs)),
    selectors.length > 0 && el('w:SelectorSet', null, ...selectors.map(([name, value]) => el('w:Selector', [['Name', name]], value))),
    options.length > 0 && el('w:OptionSet', [mu('true')], ...options.map(([name, o]) => optionSpec(name, o))),
  );
  const envelope = el('s:Envelope', namespaceDeclarations(['s', 'a', 'w', 'p', 'rsp', 'n', 'x']), header, el('s:Body'));
  const text = writeXml(envelope);
  if (body === undefined) return text;
  // The body is spliced in as text so a self-contained document keeps its own namespace declarations.
  const emptyBodyTail = '<s:Body/></s:Envelope>';
  const bodyText = 'xml' in body ? standaloneElement(body.xml) : writeXml(body);
  return `${text.slice(0, -emptyBodyTail.length)}<s:Body>${bodyText}</s:Body></s:Envelope>`;
}

function optionSpec(name: string, o: OptionInput): XmlNodeSpec {
  const { value, mustComply } = typeof o === 'string' ? { value: o, mustComply: undefined } : o;
  return el(
    'w:Option',
    [
      ['Name', name],
      ['MustComply', mustComply === undefined ? undefined : String(mustComply)],
    ],
    value,
  );
}

function standaloneElement(xml: string): string {
  parseXml(xml); // throws XmlError on anything malformed, DTDs or entities
  return xml.replace(/^\s*<\?xml[^?]*\?>\s*/, '').trim();
}
