/**
 * Response envelopes in the shape Windows writes them (captured: every response in pypsrp's recorded
 * Windows traffic, tests/responses; MS-WSMV 2.2.4.1 for the headers): xml:lang on the
 * Envelope, prefixes s/a/x/w/rsp/p (+ n for enumeration, cfg for configuration), Action = request Action
 * + "Response", a fresh MessageID, To = the anonymous role and RelatesTo = the request's MessageID.
 */
import { el, writeXml, type XmlNodeSpec } from '../../wsman/xml';
import { ANONYMOUS_ADDRESS } from '../../wsman/soap';
import { namespaceDeclarations, newMessageId } from '../../wsman/soap';

/** Namespace declarations in the order Windows writes them. */
const ENVELOPE_NS = namespaceDeclarations(['s', 'a', 'x', 'e', 'n', 'w', 'rsp', 'p', 'cfg']);

export function writeEnvelope(action: string, relatesTo: string | undefined, body: ReadonlyArray<XmlNodeSpec>): string {
  const header = el(
    's:Header',
    null,
    el('a:Action', null, action),
    el('a:MessageID', null, newMessageId()),
    el('a:To', null, ANONYMOUS_ADDRESS),
    relatesTo === undefined ? undefined : el('a:RelatesTo', null, relatesTo),
  );
  return writeXml(el('s:Envelope', [['xml:lang', 'en-US'], ...ENVELOPE_NS], header, el('s:Body', null, ...body)));
}
