import { NS, attr, child, childText, type XmlElement, parseUint } from '../xml';
import { WsmanFault, type ProviderFault } from './wsman-fault';

const WMI_ERROR_NS = 'http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/MSFT_WmiError';

/** The s:Fault of a SOAP Body, or undefined when the body is not a fault. */
export function findFault(body: XmlElement): XmlElement | undefined {
  return child(body, NS.s, 'Fault');
}

/**
 * Turns a SOAP 1.2 s:Fault into a WsmanFault. Tolerant of every shape recorded from Windows: nested
 * ProviderFault with an inner WSManFault or with plain text, MSFT_WmiError details, missing parts.
 */
export function parseFault(fault: XmlElement, action?: string): WsmanFault {
  const code = child(fault, NS.s, 'Code');
  const subcode = childText(child(code, NS.s, 'Subcode'), NS.s, 'Value');
  const reason = childText(child(fault, NS.s, 'Reason'), NS.s, 'Text');
  const detail = child(fault, NS.s, 'Detail');
  const wsmanFault = child(detail, NS.f, 'WSManFault');
  const message = child(wsmanFault, NS.f, 'Message');
  const provider = child(message, NS.f, 'ProviderFault');
  const providerFault = provider ? readProviderFault(provider) : undefined;
  const wmiError = child(detail, WMI_ERROR_NS, 'MSFT_WmiError');
  const ownText = message?.text.trim();
  return new WsmanFault({
    soapCode: childText(code, NS.s, 'Value'),
    subcode,
    subcodeName: subcode === undefined ? undefined : subcode.slice(subcode.indexOf(':') + 1),
    reason,
    code: parseUint(attr(wsmanFault, 'Code')) ?? parseUint(childText(wmiError, WMI_ERROR_NS, 'error_Code')),
    machine: attr(wsmanFault, 'Machine') || undefined,
    faultMessage: ownText || providerFault?.message || childText(wmiError, WMI_ERROR_NS, 'Message') || reason,
    faultDetail: childText(detail, NS.w, 'FaultDetail'),
    providerFault,
    action,
  });
}

function readProviderFault(pf: XmlElement): ProviderFault {
  const inner = child(pf, NS.f, 'WSManFault');
  const innerMessage = childText(inner, NS.f, 'Message');
  return {
    provider: attr(pf, 'provider')?.trim(),
    path: attr(pf, 'path'),
    code: parseUint(attr(inner, 'Code')),
    machine: attr(inner, 'Machine') || undefined,
    message: innerMessage || pf.text.trim() || undefined,
  };
}
