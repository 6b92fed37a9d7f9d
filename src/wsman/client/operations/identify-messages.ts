import { NS, child, childText, el, writeXml, type XmlElement } from '../../xml';
import { IDENTIFY_NS } from '../../soap/actions';
import { WsmanBadResponseError } from '../../faults/errors';

/** WS-Man Identify (DSP0226 §11): no addressing headers, just `<wsmid:Identify/>` (spec-derived). */
export function identifyRequest(): string {
  return writeXml(
    el('s:Envelope', [['xmlns:s', NS.s], ['xmlns:wsmid', IDENTIFY_NS]], el('s:Header'), el('s:Body', null, el('wsmid:Identify'))),
  );
}

export interface IdentifyResult {
  readonly protocolVersion?: string;
  readonly productVendor?: string;
  /** Windows: `OS: 10.0.17763 SP: 0.0 Stack: 3.0`. */
  readonly productVersion?: string;
}

export function readIdentifyResponse(body: XmlElement): IdentifyResult {
  const r = child(body, IDENTIFY_NS, 'IdentifyResponse');
  if (!r) throw new WsmanBadResponseError('expected an IdentifyResponse');
  const text = (n: string): string | undefined => childText(r, IDENTIFY_NS, n);
  return { protocolVersion: text('ProtocolVersion'), productVendor: text('ProductVendor'), productVersion: text('ProductVersion') };
}
