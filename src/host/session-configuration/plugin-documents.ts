/**
 * The cmdlets' semantics on plugin documents, without I/O: what Register writes, what Set changes, and
 * what a host's document means as settings.
 */
import { RESOURCE_URI } from '../../wsman/soap';
import { canonicalSddl, emptyExtra, SddlError, getInitParam, removeInitParam, setInitParam, type PluginConfig, type QuotaName } from '../../wsman/config';
import { accessModeOf, DEFAULT_REMOTE_SDDL, withNetworkAccess } from './access-mode';
import { boolText, DIRECT_MAPPINGS, newResource, newSecurity, PARAM, readDirect, readSddl, writeDirect, writeSddl } from './plugin-mapping';
import { modulesToImport, withModulesToImport } from './session-configuration-data';
import type { ObservedSettings, SessionConfigurationSettings } from './settings';
import { parseBool, INT32_MAX } from '../../wsman/xml';

export const PWRSHPLUGIN_FILENAME = '%windir%\\system32\\pwrshplugin.dll';
export const DEFAULT_PS_VERSION = '5.1';

/** Quotas as a fresh Register writes them since 2016 (reference §3.1), in its order. */
const REGISTER_QUOTAS: ReadonlyArray<readonly [QuotaName, number]> = [
  ['IdleTimeoutms', 7200000],
  ['MaxConcurrentUsers', INT32_MAX],
  ['MaxProcessesPerShell', INT32_MAX],
  ['MaxMemoryPerShellMB', INT32_MAX],
  ['MaxShellsPerUser', INT32_MAX],
  ['MaxConcurrentCommandsPerShell', INT32_MAX],
  ['MaxShells', INT32_MAX],
  ['MaxIdleTimeoutms', INT32_MAX],
];

/**
 * The document Register-PSSessionConfiguration would create for this endpoint: Windows PowerShell's
 * plugin, SDK version 2 (1 for PSVersion 2.x), text rendering, default quotas, Block buffering, the
 * default SDDL, a Shell-capable resource `http://schemas.microsoft.com/powershell/<name>`, then every
 * managed setting applied on top.
 */
export function registerDocument(name: string, desired: SessionConfigurationSettings): PluginConfig {
  const uri = `${RESOURCE_URI.powershellPrefix}${name}`;
  const version = desired.powershell_version ?? DEFAULT_PS_VERSION;
  const resource = newResource(uri);
  resource.securities.push(newSecurity(uri, DEFAULT_REMOTE_SDDL));
  resource.capabilities.push({ type: 'Shell', extra: emptyExtra() });
  const base: PluginConfig = {
    name,
    filename: PWRSHPLUGIN_FILENAME,
    sdkVersion: version.startsWith('2.') ? '1' : '2',
    xmlRenderingType: 'text',
    processIdleTimeoutSec: '0',
    outputBufferingMode: 'Block',
    enabled: 'true',
    initializationParameters: [{ name: PARAM.psVersion, value: version, extra: emptyExtra() }],
    resources: [resource],
    quotas: { entries: REGISTER_QUOTAS.map(([n, v]) => ({ name: n, value: String(v) })), extra: emptyExtra() },
    initializationParametersExtra: emptyExtra(),
    resourcesExtra: emptyExtra(),
    extra: emptyExtra(),
  };
  return applyDesired(base, desired);
}

/**
 * Set-PSSessionConfiguration semantics: a copy of `existing` with the managed settings changed and
 * everything else (unmanaged settings, unknown attributes and elements) kept.
 */
export function applyDesired(existing: PluginConfig, desired: SessionConfigurationSettings): PluginConfig {
  const config = structuredClone(existing);
  for (const [setting, mapping] of DIRECT_MAPPINGS) {
    const value = desired[setting];
    if (value !== undefined) writeDirect(config, mapping, value as number | string | boolean);
  }
  // Register/Set force the process idle timeout to 0 when the shared process is turned off.
  if (desired.use_shared_process === false && desired.process_idle_timeout_sec === undefined) config.processIdleTimeoutSec = '0';

  if (desired.modules_to_import !== undefined) {
    const data = withModulesToImport(getInitParam(config, PARAM.sessionData), desired.modules_to_import);
    if (data === undefined) removeInitParam(config, PARAM.sessionData);
    else setInitParam(config, PARAM.sessionData, data);
  }

  const current = readSddl(config);
  const sddl = effectiveSddl(desired, current);
  if (sddl !== undefined && (current === undefined || canonicalSddl(current) !== canonicalSddl(sddl))) writeSddl(config, sddl);

  const enabled = desired.enabled ?? (desired.access_mode === undefined ? undefined : desired.access_mode !== 'Disabled');
  if (enabled !== undefined) config.enabled = boolText(enabled);
  return config;
}

/**
 * The SDDL a desired state leads to on a host whose current SDDL is `current`: the desired SDDL (or the
 * current one), with the NETWORK deny ACE added for Local or removed for Remote, as the cmdlets do when
 * both -SecurityDescriptorSddl and -AccessMode are given. Undefined when the SDDL is not managed.
 */
export function effectiveSddl(desired: SessionConfigurationSettings, current: string | undefined): string | undefined {
  const mode = desired.access_mode;
  const base = desired.security_descriptor_sddl;
  if (mode !== 'Local' && mode !== 'Remote') return base;
  return withNetworkAccess(base ?? current ?? DEFAULT_REMOTE_SDDL, mode === 'Local');
}

/**
 * What an absent value means. Quotas: the MS-WSMV QuotasType schema defaults (spec-derived). Session
 * options: PowerShell's own defaults (MaximumReceived… 50/10 MB, thread options UseCurrentThread per the
 * cmdlet docs; apartment state Unknown).
 */
const ABSENT: ObservedSettings = {
  idle_timeout_sec: 180,
  max_idle_timeout_sec: 180,
  output_buffering_mode: 'Block',
  process_idle_timeout_sec: 0,
  max_sessions: 25,
  max_sessions_per_user: 5,
  max_concurrent_users: 5,
  max_concurrent_commands_per_session: 15,
  max_memory_per_session_mb: 1024,
  max_processes_per_session: 15,
  startup_script: '',
  use_shared_process: false,
  thread_apartment_state: 'Unknown',
  thread_options: 'UseCurrentThread',
  maximum_received_data_size_per_command_mb: 50,
  maximum_received_object_size_mb: 10,
  security_descriptor_sddl: '',
  access_mode: 'Remote',
  powershell_version: '',
  modules_to_import: [],
  enabled: true,
};

/** The settings a host's plugin document amounts to, every one filled. */
export function observe(doc: PluginConfig): ObservedSettings {
  const out: ObservedSettings = { ...ABSENT, modules_to_import: [] };
  const record = out as unknown as Record<string, unknown>;
  for (const [setting, mapping] of DIRECT_MAPPINGS) {
    const value = readDirect(doc, mapping);
    if (value !== undefined) record[setting] = value;
  }
  const sddl = readSddl(doc);
  out.security_descriptor_sddl = sddl ?? '';
  out.enabled = parseBool(doc.enabled) ?? true;
  try {
    out.access_mode = accessModeOf(out.enabled, sddl);
  } catch (e) {
    if (!(e instanceof SddlError)) throw e;
    throw new SddlError(`endpoint "${doc.name ?? ''}": the host reports a security descriptor that does not parse: ${e.message}`);
  }
  out.modules_to_import = modulesToImport(getInitParam(doc, PARAM.sessionData));
  return out;
}
