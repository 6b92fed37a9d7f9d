/**
 * What Get-PSSessionConfiguration shows for an endpoint (its implementation in PowerShell's
 * CustomShellCommands.cs): every leaf of the plugin's
 * WSMan: tree flattened into one string property (later leaves overwrite earlier ones; `Sddl` shown as
 * `SecurityDescriptorSddl`), then each SessionConfigurationData parameter, plus `Permission`, the DACL
 * rendered as "ACCOUNT AccessAllowed, …". RunAsPassword is never readable and always shows blank.
 */
import { getInitParam, parseSddl, sddlProblem, wellKnownSid, sidAlias, PLUGIN_ATTRIBUTES, type PluginConfig } from '../../wsman/config';
import { NS } from '../../wsman/xml';
import { PARAM } from './init-params';
import { readSddl } from './plugin-mapping';
import { sessionDataParams } from './session-configuration-data';

const QUALIFIERS: Record<string, string> = {
  A: 'AccessAllowed',
  OA: 'AccessAllowed',
  XA: 'AccessAllowed',
  ZA: 'AccessAllowed',
  D: 'AccessDenied',
  OD: 'AccessDenied',
  XD: 'AccessDenied',
  AU: 'SystemAudit',
  OU: 'SystemAudit',
  XU: 'SystemAudit',
  AL: 'SystemAlarm',
  OL: 'SystemAlarm',
};

/** A trustee as Windows names it: the account of a well-known SID, else the SID (or alias) itself. */
function trustee(sid: string): string {
  return (sid.toUpperCase().startsWith('S-') ? wellKnownSid(sid) : sidAlias(sid))?.account ?? sid;
}

/** The DACL as PowerShell's Permission property shows it. */
export function permissionText(sddl: string): string {
  const aces = parseSddl(sddl).dacl?.aces ?? [];
  return aces.map((a) => `${trustee(a.sid)} ${QUALIFIERS[a.type] ?? a.type}`).join(', ');
}

export function reportedProperties(doc: PluginConfig): Record<string, string> {
  const out: Record<string, string> = {};
  const keys = new Map<string, string>();
  // PowerShell property names are case-insensitive: a later leaf overwrites under the first spelling.
  const put = (name: string, value: string): void => {
    const key = keys.get(name.toLowerCase()) ?? name;
    keys.set(name.toLowerCase(), key);
    out[key] = value;
  };

  put('xmlns', NS.plugin);
  for (const [key, xml] of PLUGIN_ATTRIBUTES) {
    const v = doc[key];
    if (v !== undefined) put(xml, key === 'runAsPassword' ? '' : v);
  }
  for (const a of doc.extra.attributes) put(a.local, a.value);
  for (const p of doc.initializationParameters) put(p.name, p.value);
  for (const r of doc.resources) {
    if (r.resourceUri !== undefined) put('ResourceUri', r.resourceUri);
    if (r.supportsOptions !== undefined) put('SupportsOptions', r.supportsOptions);
    if (r.exactMatch !== undefined) put('ExactMatch', r.exactMatch);
    if (r.capabilities.length > 0) put('Capability', r.capabilities.map((c) => c.type ?? '').join(', '));
    for (const s of r.securities) {
      if (r.resourceUri !== undefined) put('ParentResourceUri', r.resourceUri);
      if (s.uri !== undefined) put('Uri', s.uri);
      if (s.exactMatch !== undefined) put('ExactMatch', s.exactMatch);
      if (s.sddl !== undefined) put('SecurityDescriptorSddl', s.sddl);
    }
  }
  for (const q of doc.quotas?.entries ?? []) put(q.name, q.value);

  const data = getInitParam(doc, PARAM.sessionData);
  if (data) for (const [name, value] of sessionDataParams(data)) put(name, value);
  const sddl = readSddl(doc);
  // A descriptor that does not parse gets no Permission, as the ScriptProperty fails on Windows too.
  if (sddl && sddlProblem(sddl) === undefined) put('Permission', permissionText(sddl));
  return out;
}
