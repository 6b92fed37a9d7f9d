import type { FieldValues } from '../../src/host/jea';

/** Every field of a configuration file set. */
export const FULL_CONFIGURATION: FieldValues = {
  session_type: 'RestrictedRemoteServer',
  language_mode: 'NoLanguage',
  execution_policy: 'RemoteSigned',
  run_as_virtual_account: true,
  run_as_virtual_account_groups: ['Remote Management Users', 'Event Log Readers'],
  role_definitions: {
    'CONTOSO\\DnsAdmins': { role_capabilities: ['DnsOperator', 'Auditor'] },
    'BUILTIN\\Remote Management Users': { role_capability_files: ['C:\\JEA\\Maintenance.psrc'] },
  },
  required_groups: { and: ['CONTOSO\\2FA-Users'] },
  transcript_directory: 'C:\\ProgramData\\JEA\\Transcripts',
  mount_user_drive: true,
  user_drive_maximum_size: 52428800,
  modules_to_import: ['Microsoft.PowerShell.Management', 'DnsServer'],
  visible_aliases: ['gsv'],
  visible_cmdlets: [
    { name: 'Restart-Service', parameters: [{ name: 'Name', validate_set: ['Spooler', 'Dns'] }] },
    { name: 'Get-Service' },
    { name: 'Stop-Process', parameters: [{ name: 'Name', validate_pattern: '^note.*$' }, { name: 'Force' }] },
  ],
  visible_functions: [{ name: 'Get-Uptime' }],
  visible_external_commands: ['C:\\Windows\\System32\\whoami.exe'],
  visible_providers: ['FileSystem', 'Registry'],
  scripts_to_process: ['C:\\JEA\\Start.ps1'],
  alias_definitions: { gu: 'Get-Uptime' },
  function_definitions: { 'Get-Uptime': '(Get-Date) - $script:boot\n"it\'s {0}" -f 1' },
  variable_definitions: { Region: "west's" },
  environment_variables: { JEA_ROLE: 'dns', 'Odd Name': 'a"b' },
  types_to_process: ['C:\\JEA\\Types.ps1xml'],
  formats_to_process: ['C:\\JEA\\Formats.ps1xml'],
  assemblies_to_load: ['System.Web'],
};

/** Every field of a role capability file set. */
export const FULL_ROLE_CAPABILITY: FieldValues = {
  description: 'DNS operators: restart and inspect',
  modules_to_import: ['DnsServer'],
  visible_aliases: ['gsv'],
  visible_cmdlets: [{ name: 'Restart-Service', parameters: [{ name: 'Name', validate_set: ['Dns'] }] }, { name: 'Get-Service' }],
  visible_functions: [{ name: 'Clear-DnsCache', parameters: [{ name: 'Zone', validate_pattern: '^[a-z.]+$' }] }],
  visible_external_commands: ['C:\\Windows\\System32\\ipconfig.exe'],
  visible_providers: ['FileSystem'],
  scripts_to_process: ['C:\\JEA\\Dns.ps1'],
  alias_definitions: { cdc: 'Clear-DnsCache' },
  function_definitions: { 'Clear-DnsCache': 'param($Zone) "cleared $Zone"' },
  variable_definitions: { Site: 'west' },
  environment_variables: { DNS_SITE: 'west' },
  types_to_process: ['C:\\JEA\\Dns.Types.ps1xml'],
  formats_to_process: ['C:\\JEA\\Dns.Format.ps1xml'],
  assemblies_to_load: ['System.Web'],
};
