import { NS, attr, el, type XmlElement, type XmlNodeSpec, parseUint } from '../../xml';
import { WsmanBadResponseError } from '../../faults/errors';
import { peerRecord } from '../../soap/peer-record';

/**
 * WMI method invocation through WS-Man (MS-WSMV WMI binding; spec-derived, no capture here): Action is
 * `<class resource URI>/<method>`, the body `<p:<method>_INPUT xmlns:p="<class resource URI>">` with one
 * element per in-parameter, the answer `<p:<method>_OUTPUT>` with ReturnValue and out-parameters.
 */
export function wmiInputBody(classUri: string, method: string, params: Readonly<Record<string, string>>): XmlNodeSpec {
  return el(`p:${method}_INPUT`, [['xmlns:p', classUri]], ...Object.entries(params).map(([k, v]) => el(`p:${k}`, null, v)));
}

export interface WmiOutput {
  /** Out-parameters by name (text values); ReturnValue included. */
  readonly values: Readonly<Record<string, string>>;
  readonly returnValue?: number;
}

export function readWmiOutput(body: XmlElement, method: string): WmiOutput {
  const out = body.children.find((c) => c.local === `${method}_OUTPUT`);
  if (!out) throw new WsmanBadResponseError(`expected ${method}_OUTPUT in the WMI method response`);
  const values = peerRecord<string>();
  for (const c of out.children) if (attr(c, 'nil', NS.xsi) !== 'true') values[c.local] = c.text.trim();
  return { values, returnValue: parseUint(values.ReturnValue) };
}
