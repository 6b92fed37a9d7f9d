/**
 * The fields of a session configuration file (.pssc, New-PSSessionConfigurationFile) and of a role
 * capability file (.psrc, New-PSRoleCapabilityFile), each declared once: its attribute name, kind, key in
 * the file, accepted values, how it compares and what it means. Rendering and parsing (jea-files.ts),
 * comparison (canonical in field-values.ts), plan-time validation (validate-fields.ts) and the provider's
 * attributes and their descriptions (provider/jea/field-attributes.ts) all derive from these records,
 * the way src/host/session-configuration/settings.ts declares the endpoint's settings.
 *
 * Only the fields a remote endpoint uses: metadata (Author, CompanyName, Copyright, Description of a
 * .pssc) and PowerShellVersion are left out; the file carries SchemaVersion and GUID, which name the file
 * on the host (Register copies it to SessionConfig\<name>_<GUID>.pssc).
 */
import type { FieldKind, StringComparison } from './field-values';

export interface FieldDeclaration<K extends FieldKind = FieldKind> {
  readonly kind: K;
  /** The key in the file, in PowerShell's spelling (also the cmdlet parameter's name). */
  readonly key: string;
  /** What it is, for users: the attribute description's first sentence. */
  readonly meaning: string;
  /** The accepted values in PowerShell's spelling, each with what it means ('' when the name says it). */
  readonly values?: Readonly<Record<string, string>>;
  /** String fields: how two values compare (default exact). */
  readonly comparison?: StringComparison;
  /** A rule with another field or a format, said in the description (validate-fields.ts checks it). */
  readonly rule?: string;
  /** An example value as HCL, for the docs. */
  readonly example?: string;
}

function field<K extends FieldKind>(declaration: FieldDeclaration<K>): FieldDeclaration<K> {
  return declaration;
}

/** What both files hold: the session's contents. */
const SESSION_CONTENTS = {
  modules_to_import: field({
    kind: 'names',
    key: 'ModulesToImport',
    meaning: 'Modules imported into the session, by name or full path',
    example: '["Microsoft.PowerShell.Management"]',
  }),
  visible_aliases: field({ kind: 'names', key: 'VisibleAliases', meaning: 'Aliases visible in the session', example: '["gsv"]' }),
  visible_cmdlets: field({
    kind: 'commands',
    key: 'VisibleCmdlets',
    meaning: 'Cmdlets visible in the session, by name (wildcards allowed) and optionally with their parameters constrained',
    rule: 'a parameter takes validate_set or validate_pattern, not both; validate_pattern must be a valid regular expression',
    example: '[{ name = "Restart-Service", parameters = [{ name = "Name", validate_set = ["Spooler"] }] }, { name = "Get-Service" }]',
  }),
  visible_functions: field({
    kind: 'commands',
    key: 'VisibleFunctions',
    meaning: 'Functions visible in the session, by name (wildcards allowed) and optionally with their parameters constrained',
    rule: 'as visible_cmdlets',
    example: '[{ name = "Get-Thing" }]',
  }),
  visible_external_commands: field({
    kind: 'names',
    key: 'VisibleExternalCommands',
    meaning: 'External programs and scripts visible in the session, by full path',
    example: '["C:\\\\Windows\\\\System32\\\\whoami.exe"]',
  }),
  visible_providers: field({
    kind: 'names',
    key: 'VisibleProviders',
    meaning: 'PowerShell providers visible in the session',
    example: '["FileSystem"]',
  }),
  scripts_to_process: field({
    kind: 'ordered',
    key: 'ScriptsToProcess',
    meaning: 'Scripts run when the session starts, in order',
    rule: 'each a .ps1 file',
  }),
  alias_definitions: field({
    kind: 'definitions',
    key: 'AliasDefinitions',
    meaning: 'Aliases defined in the session, name to command',
    example: '{ gs = "Get-Service" }',
  }),
  function_definitions: field({
    kind: 'functions',
    key: 'FunctionDefinitions',
    meaning: "Functions defined in the session, name to the function's script text (without braces)",
    rule: 'names are function names, without spaces',
    example: '{ "Get-Uptime" = "(Get-Date) - (Get-CimInstance Win32_OperatingSystem).LastBootUpTime" }',
  }),
  variable_definitions: field({
    kind: 'definitions',
    key: 'VariableDefinitions',
    meaning: 'Variables defined in the session, name to string value',
    example: '{ Region = "west" }',
  }),
  environment_variables: field({
    kind: 'table',
    key: 'EnvironmentVariables',
    meaning: 'Environment variables set in the session, name to value',
    example: '{ PSModuleAnalysisCachePath = "C:\\\\Temp\\\\cache" }',
  }),
  types_to_process: field({
    kind: 'ordered',
    key: 'TypesToProcess',
    meaning: 'Type files (.ps1xml) loaded into the session, in order',
    rule: 'each a .ps1xml file',
  }),
  formats_to_process: field({
    kind: 'ordered',
    key: 'FormatsToProcess',
    meaning: 'Format files (.ps1xml) loaded into the session, in order',
    rule: 'each a .ps1xml file',
  }),
  assemblies_to_load: field({ kind: 'names', key: 'AssembliesToLoad', meaning: 'Assemblies loaded into the session, by name or path' }),
};

/** The fields of a session configuration file, in the order the file lists them. */
export const CONFIGURATION_FILE_FIELDS = {
  session_type: field({
    kind: 'string',
    key: 'SessionType',
    meaning: 'What the session starts with',
    values: {
      RestrictedRemoteServer: 'only the few commands a remote session needs, NoLanguage mode: the JEA choice',
      Empty: 'nothing: every command must be added',
      Default: 'every built-in command',
    },
    example: '"RestrictedRemoteServer"',
  }),
  language_mode: field({
    kind: 'string',
    key: 'LanguageMode',
    meaning: 'The PowerShell language mode of the session',
    values: { FullLanguage: '', ConstrainedLanguage: '', RestrictedLanguage: '', NoLanguage: '' },
    example: '"NoLanguage"',
  }),
  execution_policy: field({
    kind: 'string',
    key: 'ExecutionPolicy',
    meaning: 'The execution policy of the session',
    values: { Unrestricted: '', RemoteSigned: '', AllSigned: '', Restricted: '', Default: '', Bypass: '', Undefined: '' },
  }),
  run_as_virtual_account: field({
    kind: 'bool',
    key: 'RunAsVirtualAccount',
    meaning: 'Run sessions as a temporary virtual account, a local administrator (or a member of run_as_virtual_account_groups)',
    rule: 'not with group_managed_service_account',
  }),
  run_as_virtual_account_groups: field({
    kind: 'names',
    key: 'RunAsVirtualAccountGroups',
    meaning: 'Groups the virtual account is made a member of instead of the local Administrators',
    rule: 'needs run_as_virtual_account = true',
    example: '["Remote Management Users"]',
  }),
  group_managed_service_account: field({
    kind: 'string',
    key: 'GroupManagedServiceAccount',
    meaning: 'Run sessions as this group managed service account (DOMAIN\\name)',
    comparison: 'account',
    rule: 'not with run_as_virtual_account; the trailing $ may be omitted and does not count as a difference',
    example: '"CONTOSO\\\\jea-gmsa"',
  }),
  role_definitions: field({
    kind: 'roles',
    key: 'RoleDefinitions',
    meaning:
      "Who may connect and what they get: user or group (DOMAIN\\name) to role capabilities (names of .psrc files in a module's RoleCapabilities folder) and/or role capability files (full paths)",
    rule: 'each principal names at least one role capability or file; a named role capability must be declared or exist on the host',
    example: '{ "CONTOSO\\\\DnsAdmins" = { role_capabilities = ["DnsOperator"] } }',
  }),
  required_groups: field({
    kind: 'groups',
    key: 'RequiredGroups',
    meaning: 'Groups a connecting user must also be in: all of `and`, or one of `or`',
    rule: 'exactly one of and, or, not empty',
    example: '{ and = ["CONTOSO\\\\2FA-Users"] }',
  }),
  transcript_directory: field({
    kind: 'string',
    key: 'TranscriptDirectory',
    meaning: 'Folder on the host where a transcript of every session is written',
    comparison: 'case-insensitive',
    rule: 'a full path',
    example: '"C:\\\\ProgramData\\\\JEA\\\\Transcripts"',
  }),
  mount_user_drive: field({
    kind: 'bool',
    key: 'MountUserDrive',
    meaning: 'Give each user a User: drive to copy files to and from the session',
  }),
  user_drive_maximum_size: field({
    kind: 'integer',
    key: 'UserDriveMaximumSize',
    meaning: "The User: drive's size limit in bytes",
    rule: 'needs mount_user_drive = true; 0 or more',
  }),
  ...SESSION_CONTENTS,
};

/** The fields of a role capability file. */
export const ROLE_CAPABILITY_FIELDS = {
  description: field({ kind: 'string', key: 'Description', meaning: 'What the role capability is for' }),
  ...SESSION_CONTENTS,
};

export type ConfigurationFileFieldName = keyof typeof CONFIGURATION_FILE_FIELDS;
export type RoleCapabilityFieldName = keyof typeof ROLE_CAPABILITY_FIELDS;

/** A set of field declarations by attribute name (either file's). */
export type FieldSet = Readonly<Record<string, FieldDeclaration>>;
