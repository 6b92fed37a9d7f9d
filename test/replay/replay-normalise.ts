/**
 * The structural form both replay tests compare: element names with namespaces, attributes and text, with
 * UUIDs, machine names, addresses, owners and client IPs normalised and ActivityId (optional since 2016)
 * left out; consecutive data chunks of one stream merged (how output is chunked is not part of the contract).
 */
import { NS, type XmlElement } from '../../src/wsman/xml';

export interface Norm {
  n: string;
  a: Record<string, string>;
  t: string;
  c: Norm[];
}

export const UUID = /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/g;

/**
 * `volatile` names rsp elements whose text is the server's moment or process (ProcessId, ShellRunTime…): their
 * presence is compared, their text not.
 */
export function normalise(e: XmlElement, volatile: ReadonlySet<string> = new Set()): Norm {
  const a: Record<string, string> = {};
  for (const x of e.attributes)
    if (!(x.ns === NS.xml && x.local === 'lang' && e.local === 'Envelope'))
      a[`{${x.ns}}${x.local}`] = x.local === 'Machine' ? 'MACHINE' : x.value.replace(UUID, 'UUID');
  let t = e.text.trim().replace(UUID, 'UUID');
  if (['Address', 'Owner', 'ClientIP'].includes(e.local) && e.ns !== NS.w) t = e.local.toUpperCase();
  if (e.local === 'Stream' && e.ns === NS.rsp && t !== '') t = 'DATA';
  if (volatile.has(e.local) && e.ns === NS.rsp) t = e.local.toUpperCase();
  const c: Norm[] = [];
  for (const k of e.children) {
    if (k.local === 'ActivityId' && k.ns === NS.p) continue;
    const n = normalise(k, volatile);
    const prev = c[c.length - 1];
    if (prev && n.t === 'DATA' && prev.t === 'DATA' && JSON.stringify(prev.a) === JSON.stringify(n.a)) continue;
    c.push(n);
  }
  return { n: `{${e.ns}}${e.local}`, a, t, c };
}
