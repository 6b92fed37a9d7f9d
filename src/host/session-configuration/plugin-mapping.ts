/**
 * Where each setting lives in the plugin document and how its value is converted, exactly as the cmdlets
 * write it (reference §3.1, §3.2, §3.4): transport options in Quotas (timeouts in ms = s × 1000), buffering
 * mode / process idle timeout / shared process as PlugInConfiguration attributes, session options as
 * InitializationParameters, the SDDL on the endpoint's Resource/Security. This is the only place that
 * knows these locations; reading (observe) and writing (register, apply) both go through it.
 */
import { RESOURCE_URI } from '../../wsman/soap';
import {
  emptyExtra,
  getInitParam,
  getQuota,
  removeInitParam,
  setInitParam,
  setQuota,
  type PluginAttributeKey,
  type PluginConfig,
  type PluginResource,
  type PluginSecurity,
  type QuotaName,
} from '../../wsman/config';
import type { SettingName } from './settings';
import { parseBool, INT32_MAX } from '../../wsman/xml';


/** Init parameter names as Register writes them (InitialSessionStateProvider token list). */
export const PARAM = {
  psVersion: 'PSVersion',
  startupScript: 'startupscript',
  maxReceivedDataPerCommand: 'psmaximumreceiveddatasizepercommandmb',
  maxReceivedObject: 'psmaximumreceivedobjectsizemb',
  apartmentState: 'pssessionthreadapartmentstate',
  threadOptions: 'pssessionthreadoptions',
  sessionData: 'sessionconfigurationdata',
} as const;

type Mapping =
  | { kind: 'quota'; quota: QuotaName; scale: number }
  | { kind: 'attribute'; key: PluginAttributeKey; type: 'number' | 'string' | 'bool' }
  | { kind: 'param'; param: string; type: 'number' | 'string' };

/** Settings that map one-to-one onto a single value of the document. */
export const DIRECT_MAPPINGS: ReadonlyArray<readonly [SettingName, Mapping]> = [
  ['idle_timeout_sec', { kind: 'quota', quota: 'IdleTimeoutms', scale: 1000 }],
  ['max_idle_timeout_sec', { kind: 'quota', quota: 'MaxIdleTimeoutms', scale: 1000 }],
  ['max_concurrent_users', { kind: 'quota', quota: 'MaxConcurrentUsers', scale: 1 }],
  ['max_processes_per_session', { kind: 'quota', quota: 'MaxProcessesPerShell', scale: 1 }],
  ['max_memory_per_session_mb', { kind: 'quota', quota: 'MaxMemoryPerShellMB', scale: 1 }],
  ['max_sessions_per_user', { kind: 'quota', quota: 'MaxShellsPerUser', scale: 1 }],
  ['max_concurrent_commands_per_session', { kind: 'quota', quota: 'MaxConcurrentCommandsPerShell', scale: 1 }],
  ['max_sessions', { kind: 'quota', quota: 'MaxShells', scale: 1 }],
  ['output_buffering_mode', { kind: 'attribute', key: 'outputBufferingMode', type: 'string' }],
  ['process_idle_timeout_sec', { kind: 'attribute', key: 'processIdleTimeoutSec', type: 'number' }],
  ['use_shared_process', { kind: 'attribute', key: 'useSharedProcess', type: 'bool' }],
  ['powershell_version', { kind: 'param', param: PARAM.psVersion, type: 'string' }],
  ['startup_script', { kind: 'param', param: PARAM.startupScript, type: 'string' }],
  ['maximum_received_data_size_per_command_mb', { kind: 'param', param: PARAM.maxReceivedDataPerCommand, type: 'number' }],
  ['maximum_received_object_size_mb', { kind: 'param', param: PARAM.maxReceivedObject, type: 'number' }],
  ['thread_apartment_state', { kind: 'param', param: PARAM.apartmentState, type: 'string' }],
  ['thread_options', { kind: 'param', param: PARAM.threadOptions, type: 'string' }],
];

/** The wire text of a boolean: xs:boolean's canonical lower-case form, which every WinRM version accepts. */
export function boolText(v: boolean): string {
  return v ? 'true' : 'false';
}

/**
 * Writes one directly mapped setting. An empty string removes an initialization parameter, as
 * Set-PSSessionConfiguration does for "" (Set-PSSessionConfiguration.md).
 */
export function writeDirect(config: PluginConfig, mapping: Mapping, value: number | string | boolean): void {
  switch (mapping.kind) {
    case 'quota':
      setQuota(config, mapping.quota, String(Math.round(Number(value) * mapping.scale)));
      return;
    case 'attribute':
      config[mapping.key] = typeof value === 'boolean' ? boolText(value) : String(value);
      return;
    case 'param':
      if (value === '') removeInitParam(config, mapping.param);
      else setInitParam(config, mapping.param, String(value));
  }
}

/** What a host reports for a quota in seconds: ms / 1000, except the cmdlet's "unlimited" stored raw. */
function quotaSetting(ms: number, scale: number): number {
  if (scale === 1000 && ms === INT32_MAX) return Math.floor(INT32_MAX / 1000);
  return ms / scale;
}

/** Reads one directly mapped setting, or undefined when the document does not carry it (or it does not parse). */
export function readDirect(config: PluginConfig, mapping: Mapping): number | string | boolean | undefined {
  switch (mapping.kind) {
    case 'quota': {
      const ms = numberOf(getQuota(config, mapping.quota));
      return ms === undefined ? undefined : quotaSetting(ms, mapping.scale);
    }
    case 'attribute':
      return typed(config[mapping.key], mapping.type);
    case 'param':
      return typed(getInitParam(config, mapping.param), mapping.type);
  }
}

function typed(raw: string | undefined, type: 'number' | 'string' | 'bool'): number | string | boolean | undefined {
  if (raw === undefined) return undefined;
  if (type === 'string') return raw;
  if (type === 'bool') return parseBool(raw);
  return numberOf(raw);
}

/** A number as the document writes it; undefined when absent, blank or not a finite number. */
function numberOf(raw: string | undefined): number | undefined {
  const text = raw?.trim();
  const n = Number(text);
  return text === undefined || text === '' || !Number.isFinite(n) ? undefined : n;
}

/** The Resource of the endpoint (`…/powershell/<name>`), else the first one. */
function endpointResource(config: PluginConfig): PluginResource | undefined {
  const uri = `${RESOURCE_URI.powershellPrefix}${config.name ?? ''}`.toLowerCase();
  return config.resources.find((r) => r.resourceUri?.toLowerCase() === uri) ?? config.resources[0];
}

export function readSddl(config: PluginConfig): string | undefined {
  return endpointResource(config)?.securities[0]?.sddl;
}

/** Sets the endpoint's SDDL, creating the Security element (and Resource) the way Register writes them. */
export function writeSddl(config: PluginConfig, sddl: string): void {
  let resource = endpointResource(config);
  if (!resource) {
    resource = newResource(`${RESOURCE_URI.powershellPrefix}${config.name ?? ''}`);
    config.resources.push(resource);
  }
  const security = resource.securities[0];
  if (security) security.sddl = sddl;
  else resource.securities.push(newSecurity(resource.resourceUri ?? '', sddl));
}

export function newSecurity(uri: string, sddl: string): PluginSecurity {
  return { uri, exactMatch: 'true', sddl, extra: emptyExtra() };
}

export function newResource(uri: string): PluginResource {
  return { resourceUri: uri, supportsOptions: 'true', exactMatch: 'true', securities: [], capabilities: [], extra: emptyExtra() };
}
