/**
 * The cmdlets' semantics on plugin documents, without I/O: what Register writes, what Set changes, and
 * what a host's document means as settings.
 */
import { RESOURCE_URI } from '../../wsman/soap';
import {
  canonicalSddl,
  emptyExtra,
  SddlError,
  getInitParam,
  removeInitParam,
  setInitParam,
  QUOTA_NAMES,
  type PluginConfig,
} from '../../wsman/config';
import { accessModeOf, DEFAULT_REMOTE_SDDL, withNetworkAccess } from './access-mode';
import { PARAM } from './init-params';
import { boolText, newResource, newSecurity, readDirect, readSddl, writeDirect, writeSddl } from './plugin-mapping';
import { modulesToImport, withModulesToImport } from './session-configuration-data';
import { declarationOf, PLUGIN_LOCATIONS, SETTING_NAMES, type ObservedSettings, type SessionConfigurationSettings } from './settings';
import { parseBool } from '../../wsman/xml';

const PWRSHPLUGIN_FILENAME = '%windir%\\system32\\pwrshplugin.dll';
const DEFAULT_PS_VERSION = '5.1';

/** Quotas as a fresh Register writes them: each setting's Register value, in the schema's (and Register's) order. */
const REGISTER_QUOTAS: ReadonlyArray<{ readonly name: string; readonly value: string }> = QUOTA_NAMES.flatMap((name) => {
  const location = PLUGIN_LOCATIONS.find(([, at]) => at.kind === 'quota' && at.quota === name)?.[1];
  return location?.kind === 'quota' && location.register !== undefined ? [{ name, value: String(location.register) }] : [];
});

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
    quotas: { entries: REGISTER_QUOTAS.map((q) => ({ ...q })), extra: emptyExtra() },
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
  for (const [setting, location] of PLUGIN_LOCATIONS) {
    const value = desired[setting];
    if (value !== undefined) writeDirect(config, location, value as number | string | boolean);
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

/** What a document without a value means, setting by setting (declared with each setting). */
function absentSettings(): ObservedSettings {
  return Object.fromEntries(
    SETTING_NAMES.map((name) => {
      const absent = declarationOf(name).absent;
      return [name, Array.isArray(absent) ? [...absent] : absent];
    }),
  ) as ObservedSettings;
}

/** The settings a host's plugin document amounts to, every one filled. */
export function observe(doc: PluginConfig): ObservedSettings {
  const out = absentSettings();
  const record = out as Record<string, unknown>;
  for (const [setting, location] of PLUGIN_LOCATIONS) {
    const value = readDirect(doc, location, declarationOf(setting).kind);
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
