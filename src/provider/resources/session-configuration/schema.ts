/** The `psremoting_session_configuration` schema: one PowerShell endpoint (WinRM plugin) on one host. */
import { CONFIGURATION_FILE_FIELDS } from '../../../host/jea';
import { attr, block, defineSchema, t } from '../../../tfplugin';
import { fieldAttributes } from '../../jea/field-attributes';
import { managedSettingAttributes } from '../../session-configuration/setting-attributes';

export const TYPE_NAME = 'psremoting_session_configuration';

export const sessionConfigurationSchema = defineSchema({
  description:
    'A PowerShell remoting session configuration (a WinRM plugin, as Register-PSSessionConfiguration creates it) with its transport options and session options. ' +
    'Settings you set are managed and compared with what the host reports on every plan; settings you leave unset are not changed and show what the host reports. ' +
    "Changes take effect after a WinRM restart, which the provider runs out of band once per host per apply (see the provider's `restart`). " +
    'Import with `terraform import <address> <host>/<name>`.',
  attributes: {
    // Replacement of host and name is decided by the plan hook: another spelling of the same host
    // (case, default port, URL form) or a change of letter case only of the name is the same endpoint.
    host: attr.required(t.string, {
      description:
        "The Windows host: a name, `name:port`, or a full `http(s)://host:port/wsman` URL. Names take the provider's scheme and port. Pointing it at another host replaces the endpoint; another spelling of the same host (letter case, the default port, the URL form) does not.",
    }),
    name: attr.required(t.string, {
      description:
        'The endpoint name (what `New-PSSession -ConfigurationName` takes), e.g. "microsoft.powershell". Windows compares names case-insensitively: changing only the letter case keeps the endpoint; any other change replaces it.',
    }),
    ...managedSettingAttributes(),
    allow_builtin_destroy: attr.optionalComputed(t.bool, {
      default: false,
      description:
        'Whether destroying this resource unregisters a built-in endpoint (microsoft.powershell*, microsoft.windows.servermanagerworkflows and the plugins Windows installs). Default false: destroying it only removes it from the state and leaves the endpoint on the host as it is (the plan says so). Set it to true and apply before destroying to unregister it.',
    }),
    verify: attr.optionalComputed(t.bool, {
      default: true,
      description:
        'After each write and its WinRM restart, open a real session on the endpoint and check that it gets the declared ' +
        '`idle_timeout_sec`, `max_idle_timeout_sec` and `output_buffering_mode` (as the shell Create answer reports them) and that a ' +
        'trivial pipeline runs; a refusal or a difference fails the apply with it. Skipped for disabled endpoints and with the ' +
        'provider\'s restart = "never". A JEA endpoint admits only the principals of its `role_definitions` (and `required_groups`): ' +
        "when they leave out the provider's user, the session is refused and the apply fails with the host's reason (the endpoint " +
        'stays, tainted, and the next apply replaces it); set verify = false for such an endpoint. Default true.',
    }),
    session_view: attr.computed(t.map(t.string), {
      keepOnUpdate: true,
      description:
        "What a session as the provider's user sees on the endpoint: `idle_timeout_sec`, `max_idle_timeout_sec`, `output_buffering_mode`, " +
        '`pipeline` (`ran`, or why not), `language_mode` (FullLanguage, ConstrainedLanguage, RestrictedLanguage or NoLanguage) and, on a ' +
        'restricted endpoint (not FullLanguage, as JEA endpoints are), `visible_commands`: the names of the commands the session shows, ' +
        'sorted, separated by ", " (they depend on the role capabilities its role definitions give the user\'s groups). Recorded after each ' +
        'write; a restricted endpoint is looked at again on every refresh, and a different language mode or command list than after ' +
        'the last write (a role capability edited by hand) is drift: the plan warns and the apply verifies the endpoint again. ' +
        'Null when no session verified the endpoint.',
    }),
    reported: attr.computed(t.map(t.string), {
      description:
        'Every property the host reports for the endpoint, as Get-PSSessionConfiguration shows it (all values as strings, e.g. IdleTimeoutms, Permission).',
    }),
    configuration_file_path: attr.computed(t.string, {
      keepOnUpdate: true,
      description:
        'Where the `configuration_file` is on the host: `C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\SessionConfig\\<name>_<GUID>.pssc`, where Register-PSSessionConfiguration -Path puts it (the GUID derived from the name), or the path the endpoint already pointed at. Null without a configuration file.',
    }),
    restart_pending: attr.computed(t.bool, {
      description:
        'True when this endpoint was written but WinRM has not restarted since (an apply interrupted before its restart): the next apply restarts WinRM on the host. Always false with restart = "never".',
    }),
  },
  blocks: {
    configuration_file: block.single({
      description:
        'A session configuration file (.pssc) for the endpoint, as New-PSSessionConfigurationFile writes one and Register-PSSessionConfiguration -Path registers it: ' +
        "written to the host, with the plugin's ConfigFilePath, RunAsVirtualAccount(Groups) and, for a group managed service account, RunAsUser, " +
        'and, when `role_definitions` is set and `security_descriptor_sddl` is not, the SDDL Register derives from the role definitions ' +
        '(one allow entry per principal, conditional on `required_groups`). The file is read back on every refresh and compared field by ' +
        'field on parsed values: whitespace, comments, key order, letter case of names and a gMSA `$` are no difference; a field edited on ' +
        'the host is drift on that field. A change rewrites the file and the plugin and restarts WinRM once.',
      attributes: fieldAttributes(CONFIGURATION_FILE_FIELDS),
    }),
  },
});
