/**
 * Response envelopes in the shape Windows writes them (reference §1.3, captured): xml:lang on the
 * Envelope, prefixes s/a/x/w/rsp/p (+ n for enumeration, cfg for configuration), Action = request Action
 * + "Response", a fresh MessageID, To = the anonymous role and RelatesTo = the request's MessageID.
 */
import { randomUUID } from 'node:crypto';
import { NS, el, writeXml, type XmlNodeSpec } from '../../wsman/xml';
import { ANONYMOUS_ADDRESS } from '../../wsman/soap';

/** Namespace declarations in the order Windows writes them. */
const ENVELOPE_NS: ReadonlyArray<readonly [string, string]> = [
  ['xmlns:s', NS.s],
  ['xmlns:a', NS.a],
  ['xmlns:x', NS.x],
  ['xmlns:e', NS.e],
  ['xmlns:n', NS.n],
  ['xmlns:w', NS.w],
  ['xmlns:rsp', NS.rsp],
  ['xmlns:p', NS.p],
  ['xmlns:cfg', NS.cfg],
];

export function newWindowsMessageId(): string {
  return `uuid:${randomUUID().toUpperCase()}`;
}

export function writeEnvelope(action: string, relatesTo: string | undefined, body: ReadonlyArray<XmlNodeSpec>): string {
  const header = el(
    's:Header',
    null,
    el('a:Action', null, action),
    el('a:MessageID', null, newWindowsMessageId()),
    el('a:To', null, ANONYMOUS_ADDRESS),
    relatesTo === undefined ? undefined : el('a:RelatesTo', null, relatesTo),
  );
  return writeXml(el('s:Envelope', [['xml:lang', 'en-US'], ...ENVELOPE_NS], header, el('s:Body', null, ...body)));
}
