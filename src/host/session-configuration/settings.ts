/**
 * The settings of one session configuration, named after the Register/Set-PSSessionConfiguration and
 * New-PSTransportOption parameters in snake_case (the attributes of `psremoting_session_configuration`).
 * In a desired state every field is optional: undefined means "not managed". An observed state has
 * every field filled.
 */
export interface SessionConfigurationSettings {
  idle_timeout_sec?: number;
  max_idle_timeout_sec?: number;
  output_buffering_mode?: string;
  process_idle_timeout_sec?: number;
  max_sessions?: number;
  max_sessions_per_user?: number;
  max_concurrent_users?: number;
  max_concurrent_commands_per_session?: number;
  max_memory_per_session_mb?: number;
  max_processes_per_session?: number;
  startup_script?: string;
  use_shared_process?: boolean;
  thread_apartment_state?: string;
  thread_options?: string;
  maximum_received_data_size_per_command_mb?: number;
  maximum_received_object_size_mb?: number;
  security_descriptor_sddl?: string;
  access_mode?: string;
  powershell_version?: string;
  modules_to_import?: string[];
  enabled?: boolean;
}

export type SettingName = keyof SessionConfigurationSettings;

export type ObservedSettings = Required<SessionConfigurationSettings>;

/** Every setting, in the order plans and reports list them. */
export const SETTING_NAMES: readonly SettingName[] = [
  'idle_timeout_sec',
  'max_idle_timeout_sec',
  'output_buffering_mode',
  'process_idle_timeout_sec',
  'max_sessions',
  'max_sessions_per_user',
  'max_concurrent_users',
  'max_concurrent_commands_per_session',
  'max_memory_per_session_mb',
  'max_processes_per_session',
  'startup_script',
  'use_shared_process',
  'thread_apartment_state',
  'thread_options',
  'maximum_received_data_size_per_command_mb',
  'maximum_received_object_size_mb',
  'security_descriptor_sddl',
  'access_mode',
  'powershell_version',
  'modules_to_import',
  'enabled',
];

/** Enumerations in the spelling PowerShell writes them; see validate-settings.ts for case handling. */
export const OUTPUT_BUFFERING_MODES = ['Block', 'Drop'] as const;
export const THREAD_APARTMENT_STATES = ['STA', 'MTA', 'Unknown'] as const;
export const THREAD_OPTIONS = ['Default', 'UseNewThread', 'ReuseThread', 'UseCurrentThread'] as const;
export const ACCESS_MODES = ['Disabled', 'Local', 'Remote'] as const;
