import { NS, attr, child, childText, childrenNamed, parseXml, XmlError, type XmlElement, parseUint } from '../xml';
import { WsmanBadResponseError } from '../faults/errors';
import { parseDuration } from './duration';
import { peerRecord } from './peer-record';

export interface OptionValue {
  readonly value: string;
  readonly mustComply?: boolean;
}

/** The header fields of any WS-Management envelope, request or response, plus its Body. */
export interface EnvelopeHeaders {
  readonly action?: string;
  readonly messageId?: string;
  readonly relatesTo?: string;
  readonly to?: string;
  readonly resourceUri?: string;
  /** ReplyTo/Address. */
  readonly replyTo?: string;
  readonly maxEnvelopeSize?: number;
  /** OperationTimeout as sent (xs:duration). */
  readonly operationTimeout?: string;
  /** OperationTimeout in ms; undefined when absent or not a valid duration (e.g. `PT-1S`). */
  readonly operationTimeoutMs?: number;
  /** xml:lang of w:Locale. */
  readonly locale?: string;
  /** xml:lang of p:DataLocale. */
  readonly dataLocale?: string;
  readonly sessionId?: string;
  readonly activityId?: string;
  readonly selectors: Readonly<Record<string, string>>;
  readonly options: Readonly<Record<string, OptionValue>>;
  /** True when the OptionSet itself carries s:mustUnderstand="true". */
  readonly optionSetMustUnderstand: boolean;
}

export interface Envelope extends EnvelopeHeaders {
  readonly root: XmlElement;
  readonly header: XmlElement | undefined;
  readonly body: XmlElement;
}

/**
 * Reads a SOAP 1.2 envelope. Throws WsmanBadResponseError (wrapping XmlError) when the text is not XML
 * or not a SOAP 1.2 envelope with a Body; header fields that are absent are left undefined.
 */
export function readEnvelope(xml: string | XmlElement): Envelope {
  let root: XmlElement;
  if (typeof xml === 'string') {
    try {
      root = parseXml(xml);
    } catch (e) {
      if (e instanceof XmlError) throw new WsmanBadResponseError(`not a well-formed SOAP envelope: ${e.message}`, { cause: e });
      throw e;
    }
  } else {
    root = xml;
  }
  if (root.ns !== NS.s || root.local !== 'Envelope') {
    throw new WsmanBadResponseError(
      `expected a SOAP 1.2 Envelope, got <${root.prefix ? `${root.prefix}:` : ''}${root.local}> in namespace '${root.ns}'`,
    );
  }
  const header = child(root, NS.s, 'Header');
  const body = child(root, NS.s, 'Body');
  if (!body) throw new WsmanBadResponseError('SOAP envelope has no Body');
  return { root, header, body, ...readHeaders(header) };
}

function readHeaders(header: XmlElement | undefined): EnvelopeHeaders {
  const operationTimeout = childText(header, NS.w, 'OperationTimeout');
  const optionSet = child(header, NS.w, 'OptionSet');
  return {
    action: childText(header, NS.a, 'Action'),
    messageId: childText(header, NS.a, 'MessageID'),
    relatesTo: childText(header, NS.a, 'RelatesTo'),
    to: childText(header, NS.a, 'To'),
    resourceUri: childText(header, NS.w, 'ResourceURI'),
    replyTo: childText(child(header, NS.a, 'ReplyTo'), NS.a, 'Address'),
    maxEnvelopeSize: parseUint(childText(header, NS.w, 'MaxEnvelopeSize')),
    operationTimeout,
    operationTimeoutMs: operationTimeout === undefined ? undefined : parseDuration(operationTimeout),
    locale: attr(child(header, NS.w, 'Locale'), 'lang', NS.xml),
    dataLocale: attr(child(header, NS.p, 'DataLocale'), 'lang', NS.xml),
    sessionId: childText(header, NS.p, 'SessionId'),
    activityId: childText(header, NS.p, 'ActivityId'),
    selectors: readSelectorSet(child(header, NS.w, 'SelectorSet')),
    options: readOptionSet(optionSet),
    optionSetMustUnderstand: isTrue(attr(optionSet, 'mustUnderstand', NS.s) ?? attr(optionSet, 'mustUnderstand')),
  };
}

/** Name -> value of a w:SelectorSet (headers, ResourceCreated reference parameters, SelectorFilter). */
export function readSelectorSet(set: XmlElement | undefined): Record<string, string> {
  const out = peerRecord<string>();
  for (const s of childrenNamed(set, NS.w, 'Selector')) {
    const name = attr(s, 'Name');
    if (name !== undefined) out[name] = s.text.trim();
  }
  return out;
}

function readOptionSet(set: XmlElement | undefined): Record<string, OptionValue> {
  const out = peerRecord<OptionValue>();
  for (const o of childrenNamed(set, NS.w, 'Option')) {
    const name = attr(o, 'Name');
    if (name === undefined) continue;
    const mustComply = attr(o, 'MustComply');
    out[name] = mustComply === undefined ? { value: o.text.trim() } : { value: o.text.trim(), mustComply: isTrue(mustComply) };
  }
  return out;
}

function isTrue(v: string | undefined): boolean {
  return v !== undefined && (v.toLowerCase() === 'true' || v === '1');
}
