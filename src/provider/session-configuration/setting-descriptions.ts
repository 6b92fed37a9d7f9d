/**
 * What each session configuration setting means, once: the resource's attributes and the data
 * source's listed endpoints share these descriptions (they become the docs and the cdktf doc comments).
 */
import type { SettingName } from '../../host/session-configuration';

export const SETTING_DESCRIPTIONS: Record<SettingName, string> = {
  idle_timeout_sec:
    'How long a session may stay idle before WinRM closes it (New-PSTransportOption -IdleTimeoutSec; plugin quota IdleTimeoutms). 60 to 2147483; must not exceed max_idle_timeout_sec. Effective only up to the host\'s winrm/config/winrs IdleTimeout.',
  max_idle_timeout_sec: 'The longest idle timeout a client may ask for (-MaxIdleTimeoutSec; MaxIdleTimeoutms). 60 to 2147483.',
  output_buffering_mode: 'What happens to output of a disconnected session when its buffer is full: "Block" (pause the command) or "Drop" (discard oldest output). Case-sensitive.',
  process_idle_timeout_sec: 'How long the shared host process lives without sessions (-ProcessIdleTimeoutSec). 0 to 1209600; non-zero needs use_shared_process = true.',
  max_sessions: 'Sessions this endpoint accepts from all users (-MaxSessions; MaxShells). 1 to 2147483647.',
  max_sessions_per_user: "Sessions one user may open (-MaxSessionsPerUser; MaxShellsPerUser). 1 to 2147483647; effective only up to the host's winrs MaxShellsPerUser.",
  max_concurrent_users: "Users connected at once (-MaxConcurrentUsers). 1 to 100; effective only up to the host's winrs MaxConcurrentUsers.",
  max_concurrent_commands_per_session: 'Commands running at once in one session (-MaxConcurrentCommandsPerSession; MaxConcurrentCommandsPerShell). 1 to 2147483647.',
  max_memory_per_session_mb: "Memory a session may use, in MB (-MaxMemoryPerSessionMB; MaxMemoryPerShellMB). 5 to 2147483647; effective only up to the host's winrs MaxMemoryPerShellMB.",
  max_processes_per_session: "Processes a session may run (-MaxProcessesPerSession; MaxProcessesPerShell). 1 to 2147483647; effective only up to the host's winrs MaxProcessesPerShell.",
  startup_script: 'Script run in every new session (-StartupScript), a full path on the host; "" removes it.',
  use_shared_process: 'Run all sessions of this endpoint in one host process (-UseSharedProcess). Turning it off sets process_idle_timeout_sec to 0.',
  thread_apartment_state: 'Apartment state of the session threads (-ThreadApartmentState): "STA", "MTA" or "Unknown".',
  thread_options: 'How commands get threads (-ThreadOptions): "Default", "UseNewThread", "ReuseThread" or "UseCurrentThread".',
  maximum_received_data_size_per_command_mb: 'Largest input one command accepts, in MB (-MaximumReceivedDataSizePerCommandMB). 0 or more.',
  maximum_received_object_size_mb: 'Largest single object the endpoint accepts, in MB (-MaximumReceivedObjectSizeMB). 0 or more.',
  security_descriptor_sddl:
    'Who may connect, as SDDL (-SecurityDescriptorSddl). Compared by meaning, not spelling. WinRM applies it without a restart; with access_mode "Local" or "Remote" the NETWORK deny entry is added or removed as the cmdlets do.',
  access_mode: 'Who may use the endpoint (-AccessMode): "Disabled" (nobody), "Local" (only from the host itself) or "Remote".',
  powershell_version: 'PowerShell version the endpoint runs (-PSVersion), e.g. "5.1". Set when the endpoint is created.',
  modules_to_import: 'Modules imported into every session (-ModulesToImport), names or paths on the host, compared case-insensitively.',
  enabled: 'Whether the endpoint accepts connections (the plugin Enabled flag; access_mode "Disabled" turns it off).',
};
