import { parsePluginConfig, parseWinrmConfig } from '../../src/wsman/config';
import { WsmanFault, findFault, parseFault } from '../../src/wsman/faults';
import { readEnumerationPage } from '../../src/wsman/client/operations/enumeration-messages';
import { readCommandResponse, readCreateShellResponse, readReceiveResponse, readShell } from '../../src/wsman/client/shell/shell-messages';
import { readEnvelope } from '../../src/wsman/soap';
import { NS, child, type XmlElement } from '../../src/wsman/xml';
import type { FixtureRecord } from './fixture-reader';
import { errorMessage } from '../../src/common';

export interface CheckResult {
  readonly ok: boolean;
  /** What the response was understood as (fault, shell, receive, config, ...). */
  readonly kind: string;
  readonly detail?: string;
}

/** Parses one recorded response with the client's own readers, by what its body holds. */
export function checkResponse(record: FixtureRecord): CheckResult {
  try {
    const env = readEnvelope(record.response);
    const faultEl = findFault(env.body);
    if (faultEl) {
      const fault = parseFault(faultEl, env.action);
      if (!(fault instanceof WsmanFault) || (fault.subcode === undefined && fault.soapCode === undefined))
        return { ok: false, kind: 'fault', detail: 'fault without code or subcode' };
      const hasWsmanFault = child(child(faultEl, NS.s, 'Detail'), NS.f, 'WSManFault') !== undefined;
      if (hasWsmanFault && fault.code === undefined) return { ok: false, kind: 'fault', detail: 'WSManFault without a numeric Code' };
      if (!record.statusInferred && record.httpStatus !== 500)
        return { ok: false, kind: 'fault', detail: `fault recorded with HTTP ${record.httpStatus}` };
      return { ok: true, kind: `fault ${fault.subcodeName ?? fault.soapCode}${fault.code === undefined ? '' : ` ${fault.code}`}` };
    }
    return { ok: true, kind: checkBody(env.body) };
  } catch (e) {
    return { ok: false, kind: 'error', detail: errorMessage(e) };
  }
}

function checkBody(body: XmlElement): string {
  const first = body.children[0];
  if (!first) return 'empty body';
  if (first.ns === NS.x && first.local === 'ResourceCreated') {
    const shell = readCreateShellResponse(body);
    return `shell created ${shell.shellId ? 'with ShellId' : ''}`.trim();
  }
  if (first.ns === NS.rsp) {
    switch (first.local) {
      case 'CommandResponse':
        readCommandResponse(body);
        return 'command';
      case 'ReceiveResponse': {
        const r = readReceiveResponse(body);
        return `receive ${r.state ?? 'no state'}${r.exitCode === undefined ? '' : ` exit ${r.exitCode}`}`;
      }
      case 'Shell':
        readShell(first);
        return 'shell';
      default:
        return first.local;
    }
  }
  if (first.ns === NS.n) {
    const page = readEnumerationPage(body);
    for (const item of page.items) if (item.ns === NS.rsp && item.local === 'Shell') readShell(item);
    return `enumeration ${page.items.length} items${page.endOfSequence ? ', end' : ''}`;
  }
  if (first.ns === NS.cfg && first.local === 'Config') {
    parseWinrmConfig(first);
    return 'cfg:Config';
  }
  if (first.ns === NS.plugin && first.local === 'PlugInConfiguration') {
    parsePluginConfig(first);
    return 'PlugInConfiguration';
  }
  return `${first.local} (envelope only)`;
}
