/**
 * The WinRM plugin document (`PlugInConfiguration`, MS-WSMV 2.2.4.22 PluginType / 2.2.4.23 QuotasType):
 * what `winrm/config/plugin?Name=…` returns on Get and accepts on Create/Put.
 *
 * Values are kept as the text found on the wire, so a document round-trips exactly and a broken value
 * can still be represented and reported by `validatePluginConfig` (the emulator must refuse it the way
 * WinRM does, not crash while parsing). `parseBool`/`parseUint` (config-values.ts) give the typed reading.
 */
import type { Extra } from './preserved-xml';

/** PlugInConfiguration attributes: model key → Windows' canonical casing, in the order Register writes them. */
export const PLUGIN_ATTRIBUTES = [
  ['name', 'Name'],
  ['filename', 'Filename'],
  ['sdkVersion', 'SDKVersion'],
  ['xmlRenderingType', 'XmlRenderingType'],
  ['architecture', 'Architecture'],
  ['useSharedProcess', 'UseSharedProcess'],
  ['processIdleTimeoutSec', 'ProcessIdleTimeoutSec'],
  ['runAsUser', 'RunAsUser'],
  ['runAsPassword', 'RunAsPassword'],
  ['runAsVirtualAccount', 'RunAsVirtualAccount'],
  ['runAsVirtualAccountGroups', 'RunAsVirtualAccountGroups'],
  ['autoRestart', 'AutoRestart'],
  ['outputBufferingMode', 'OutputBufferingMode'],
  ['enabled', 'Enabled'],
] as const;

export type PluginAttributeKey = (typeof PLUGIN_ATTRIBUTES)[number][0];

/** QuotasType attributes in Windows' casing, in the order Register writes them, then the spec-only ones. */
export const QUOTA_NAMES = [
  'IdleTimeoutms',
  'MaxConcurrentUsers',
  'MaxProcessesPerShell',
  'MaxMemoryPerShellMB',
  'MaxShellsPerUser',
  'MaxConcurrentCommandsPerShell',
  'MaxShells',
  'MaxIdleTimeoutms',
  'MaxConcurrentOperations',
  'MaxConcurrentOperationsPerUser',
] as const;

export type QuotaName = (typeof QUOTA_NAMES)[number];

export interface InitParam {
  name: string;
  value: string;
  extra: Extra;
}

export interface PluginSecurity {
  uri?: string;
  exactMatch?: string;
  sddl?: string;
  extra: Extra;
}

export interface PluginCapability {
  type?: string;
  extra: Extra;
}

export interface PluginResource {
  resourceUri?: string;
  supportsOptions?: string;
  exactMatch?: string;
  securities: PluginSecurity[];
  capabilities: PluginCapability[];
  extra: Extra;
}

/** One Quotas attribute. Known names carry Windows' casing; unknown ones keep the casing they came with. */
export interface QuotaEntry {
  name: string;
  value: string;
}

export interface PluginQuotas {
  /** In document order. */
  entries: QuotaEntry[];
  extra: Extra;
}

export type PluginConfig = { [K in PluginAttributeKey]?: string } & {
  /** In document order; the order is significant to nobody but kept for exact round trips. */
  initializationParameters: InitParam[];
  resources: PluginResource[];
  /** Undefined when the document has no Quotas element. */
  quotas?: PluginQuotas;
  /** Unmodelled attributes/elements of the InitializationParameters and Resources containers. */
  initializationParametersExtra: Extra;
  resourcesExtra: Extra;
  extra: Extra;
};
