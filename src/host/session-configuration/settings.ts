/**
 * The settings of one session configuration, each declared once: its value kind, where the plugin
 * document holds it, its range or enumeration, the host-wide winrs value that caps it, what an absent
 * value means, and what it means to a user. Everything else is derived from these records: the settings
 * types, Register's quotas, reading and writing documents (plugin-mapping.ts), plan-time validation
 * (validate-settings.ts), winrs cap warnings (winrs-caps.ts), and the provider's attribute types and
 * descriptions (provider/session-configuration/setting-attributes.ts), the way terraform-plugin-framework
 * declares an attribute once with its type, validators, default and description.
 *
 * Names follow the Register/Set-PSSessionConfiguration and New-PSTransportOption parameters in snake_case
 * (the attributes of `psremoting_session_configuration`). In a desired state every field is optional:
 * undefined means "not managed". An observed state has every field filled.
 */
import type { PluginAttributeKey, QuotaName, WinrsConfig } from '../../wsman/config';
import { INT32_MAX } from '../../wsman/xml';
import { PARAM } from './init-params';

/** The kinds of value a setting takes; the provider gives each kind its terraform type. */
export interface SettingKinds {
  integer: number;
  /** A double: PowerShell takes the received-size limits as doubles (e.g. 0.5 MB). */
  number: number;
  string: string;
  bool: boolean;
  list: string[];
}

export type SettingKind = keyof SettingKinds;

/**
 * Where the plugin document holds a setting that maps onto one value of it, as the cmdlets write it:
 * transport options in Quotas (timeouts in ms = s × scale), buffering mode / process idle timeout /
 * shared process as PlugInConfiguration attributes, session options as InitializationParameters.
 */
export type PluginLocation =
  /** `register`: the value a fresh Register writes (since 2016: IdleTimeoutms 7200000, the rest 2147483647); absent when it writes none. */
  | { readonly kind: 'quota'; readonly quota: QuotaName; readonly scale: number; readonly register?: number }
  | { readonly kind: 'attribute'; readonly key: PluginAttributeKey }
  | { readonly kind: 'param'; readonly param: string };

export interface SettingDeclaration<K extends SettingKind = SettingKind> {
  readonly kind: K;
  /** What it is, for users: the first sentence of the attribute's description (range text is generated). */
  readonly meaning: string;
  /** The cmdlet parameter, e.g. `-IdleTimeoutSec`. */
  readonly parameter?: string;
  /** Its one place in the plugin document; absent for the settings with logic of their own (SDDL, access mode, enabled, modules). */
  readonly plugin?: PluginLocation;
  /** The cmdlet's ValidateRange; no max means unbounded above. */
  readonly range?: { readonly min: number; readonly max?: number };
  /** The accepted values in PowerShell's spelling (matched case-sensitively), each with what it means ('' when the name says it). */
  readonly values?: Readonly<Record<string, string>>;
  /** A rule with another setting, stated in the description (validate-settings.ts checks it). */
  readonly rule?: string;
  /** The host-wide `winrm/config/winrs` value that caps this quota (Windows silently applies the lower one). */
  readonly winrsCap?: { readonly key: keyof WinrsConfig; readonly element: string };
  /**
   * What a document without the value means. Quotas: the MS-WSMV QuotasType schema defaults
   * (spec-derived). Session options: PowerShell's own defaults (MaximumReceived… 50/10 MB, thread options
   * UseCurrentThread per the cmdlet docs; apartment state Unknown).
   */
  readonly absent: SettingKinds[K];
  /** Said after the range: effects on other settings, how values compare. */
  readonly note?: string;
}

function setting<K extends SettingKind>(declaration: SettingDeclaration<K>): SettingDeclaration<K> {
  return declaration;
}

/** A quota location; `register` is what a fresh Register writes (2147483647 unless given), null when it writes none. */
const quota = (name: QuotaName, scale = 1, register: number | null = INT32_MAX): PluginLocation => ({
  kind: 'quota',
  quota: name,
  scale,
  ...(register === null ? {} : { register }),
});

/** Every setting, in the order plans and reports list them. */
export const SETTINGS = {
  idle_timeout_sec: setting({
    kind: 'integer',
    meaning: 'How long a session may stay idle before WinRM closes it',
    parameter: '-IdleTimeoutSec',
    plugin: quota('IdleTimeoutms', 1000, 7200000),
    range: { min: 60, max: 2147483 },
    rule: 'must not exceed max_idle_timeout_sec',
    winrsCap: { key: 'idleTimeout', element: 'IdleTimeout' },
    absent: 180,
  }),
  max_idle_timeout_sec: setting({
    kind: 'integer',
    meaning: 'The longest idle timeout a client may ask for',
    parameter: '-MaxIdleTimeoutSec',
    plugin: quota('MaxIdleTimeoutms', 1000),
    range: { min: 60, max: 2147483 },
    absent: 180,
  }),
  output_buffering_mode: setting({
    kind: 'string',
    meaning: 'What happens to output of a disconnected session when its buffer is full',
    parameter: '-OutputBufferingMode',
    plugin: { kind: 'attribute', key: 'outputBufferingMode' },
    values: { Block: 'pause the command', Drop: 'discard oldest output' },
    absent: 'Block',
  }),
  process_idle_timeout_sec: setting({
    kind: 'integer',
    meaning: 'How long the shared host process lives without sessions',
    parameter: '-ProcessIdleTimeoutSec',
    plugin: { kind: 'attribute', key: 'processIdleTimeoutSec' },
    range: { min: 0, max: 1209600 },
    rule: 'non-zero needs use_shared_process = true',
    absent: 0,
  }),
  max_sessions: setting({
    kind: 'integer',
    meaning: 'Sessions this endpoint accepts from all users',
    parameter: '-MaxSessions',
    plugin: quota('MaxShells'),
    range: { min: 1, max: INT32_MAX },
    absent: 25,
  }),
  max_sessions_per_user: setting({
    kind: 'integer',
    meaning: 'Sessions one user may open',
    parameter: '-MaxSessionsPerUser',
    plugin: quota('MaxShellsPerUser'),
    range: { min: 1, max: INT32_MAX },
    winrsCap: { key: 'maxShellsPerUser', element: 'MaxShellsPerUser' },
    absent: 5,
  }),
  max_concurrent_users: setting({
    kind: 'integer',
    meaning: 'Users connected at once',
    parameter: '-MaxConcurrentUsers',
    plugin: quota('MaxConcurrentUsers'),
    range: { min: 1, max: 100 },
    winrsCap: { key: 'maxConcurrentUsers', element: 'MaxConcurrentUsers' },
    absent: 5,
  }),
  max_concurrent_commands_per_session: setting({
    kind: 'integer',
    meaning: 'Commands running at once in one session',
    parameter: '-MaxConcurrentCommandsPerSession',
    plugin: quota('MaxConcurrentCommandsPerShell'),
    range: { min: 1, max: INT32_MAX },
    absent: 15,
  }),
  max_memory_per_session_mb: setting({
    kind: 'integer',
    meaning: 'Memory a session may use, in MB',
    parameter: '-MaxMemoryPerSessionMB',
    plugin: quota('MaxMemoryPerShellMB'),
    range: { min: 5, max: INT32_MAX },
    winrsCap: { key: 'maxMemoryPerShellMB', element: 'MaxMemoryPerShellMB' },
    absent: 1024,
  }),
  max_processes_per_session: setting({
    kind: 'integer',
    meaning: 'Processes a session may run',
    parameter: '-MaxProcessesPerSession',
    plugin: quota('MaxProcessesPerShell'),
    range: { min: 1, max: INT32_MAX },
    winrsCap: { key: 'maxProcessesPerShell', element: 'MaxProcessesPerShell' },
    absent: 15,
  }),
  startup_script: setting({
    kind: 'string',
    meaning: 'Script run in every new session, a full path on the host',
    parameter: '-StartupScript',
    plugin: { kind: 'param', param: PARAM.startupScript },
    absent: '',
    note: '"" removes it.',
  }),
  use_shared_process: setting({
    kind: 'bool',
    meaning: 'Run all sessions of this endpoint in one host process',
    parameter: '-UseSharedProcess',
    plugin: { kind: 'attribute', key: 'useSharedProcess' },
    absent: false,
    note: 'Turning it off sets process_idle_timeout_sec to 0.',
  }),
  thread_apartment_state: setting({
    kind: 'string',
    meaning: 'Apartment state of the session threads',
    parameter: '-ThreadApartmentState',
    plugin: { kind: 'param', param: PARAM.apartmentState },
    values: { STA: '', MTA: '', Unknown: '' },
    absent: 'Unknown',
  }),
  thread_options: setting({
    kind: 'string',
    meaning: 'How commands get threads',
    parameter: '-ThreadOptions',
    plugin: { kind: 'param', param: PARAM.threadOptions },
    values: { Default: '', UseNewThread: '', ReuseThread: '', UseCurrentThread: '' },
    absent: 'UseCurrentThread',
  }),
  maximum_received_data_size_per_command_mb: setting({
    kind: 'number',
    meaning: 'Largest input one command accepts, in MB',
    parameter: '-MaximumReceivedDataSizePerCommandMB',
    plugin: { kind: 'param', param: PARAM.maxReceivedDataPerCommand },
    range: { min: 0 },
    absent: 50,
  }),
  maximum_received_object_size_mb: setting({
    kind: 'number',
    meaning: 'Largest single object the endpoint accepts, in MB',
    parameter: '-MaximumReceivedObjectSizeMB',
    plugin: { kind: 'param', param: PARAM.maxReceivedObject },
    range: { min: 0 },
    absent: 10,
  }),
  security_descriptor_sddl: setting({
    kind: 'string',
    meaning: 'Who may connect, as SDDL',
    parameter: '-SecurityDescriptorSddl',
    absent: '',
    note: 'Compared by meaning, not spelling. WinRM applies it without a restart; with access_mode "Local" or "Remote" the NETWORK deny entry is added or removed as the cmdlets do.',
  }),
  access_mode: setting({
    kind: 'string',
    meaning: 'Who may use the endpoint',
    parameter: '-AccessMode',
    values: { Disabled: 'nobody', Local: 'only from the host itself', Remote: '' },
    absent: 'Remote',
  }),
  powershell_version: setting({
    kind: 'string',
    meaning: 'PowerShell version the endpoint runs, e.g. "5.1"',
    parameter: '-PSVersion',
    plugin: { kind: 'param', param: PARAM.psVersion },
    absent: '',
    note: 'Set when the endpoint is created.',
  }),
  modules_to_import: setting({
    kind: 'list',
    meaning: 'Modules imported into every session, names or paths on the host',
    parameter: '-ModulesToImport',
    absent: [],
    note: 'Compared case-insensitively.',
  }),
  enabled: setting({
    kind: 'bool',
    meaning: 'Whether the endpoint accepts connections (the plugin Enabled flag)',
    absent: true,
    note: 'access_mode "Disabled" turns it off.',
  }),
};

type Settings = typeof SETTINGS;

export type SettingName = keyof Settings;

export type SessionConfigurationSettings = { [K in SettingName]?: SettingKinds[Settings[K]['kind']] };

export type ObservedSettings = Required<SessionConfigurationSettings>;

export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** The declaration of one setting, seen through the common shape. */
export function declarationOf(name: SettingName): SettingDeclaration {
  return SETTINGS[name];
}

/** The settings with a one-to-one place in the plugin document, with that place. */
export const PLUGIN_LOCATIONS: ReadonlyArray<readonly [SettingName, PluginLocation]> = SETTING_NAMES.flatMap((name) => {
  const plugin = declarationOf(name).plugin;
  return plugin === undefined ? [] : [[name, plugin] as const];
});
