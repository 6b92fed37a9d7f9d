/** `psremoting_sessions`: the live WinRM shells of a host, as Get-PSSession -ComputerName shows them. */
import { listSessions } from '../../host';
import { RESOURCE_URI } from '../../wsman';
import type { ShellCommandInfo, ShellInfo } from '../../wsman';
import { parseUint } from '../../wsman/xml';
import { attr, defineDataSource, integer, nested, oneOf, t } from '../../tfplugin';
import { onHost, withHosts } from '../host-operations';
import type { ProviderState } from '../provider-state';
import { hostAttribute } from './host-attribute';

function sessionOf(s: ShellInfo, commands: readonly ShellCommandInfo[]) {
  const uri = s.resourceUri ?? '';
  return {
    id: s.shellId,
    name: s.fields.Name ?? '',
    resource_uri: uri,
    configuration_name: endpointOf(s),
    owner: s.owner ?? '',
    client_ip: s.clientIp ?? '',
    state: s.state ?? '',
    idle_timeout_sec: s.idleTimeoutMs === undefined ? null : Math.floor(s.idleTimeoutMs / 1000),
    buffer_mode: s.bufferMode ?? '',
    shell_run_time: s.fields.ShellRunTime ?? '',
    shell_inactivity: s.fields.ShellInactivity ?? '',
    memory_used: s.fields.MemoryUsed ?? '',
    child_processes: parseUint(s.fields.ChildProcesses) ?? null,
    running_commands: commands.filter((c) => c.state === undefined || c.state.toLowerCase() !== 'done').map((c) => c.commandId),
  };
}

/** The configuration name of a PowerShell shell, "" for others. */
const endpointOf = (s: ShellInfo): string => {
  const uri = s.resourceUri ?? '';
  return uri.startsWith(RESOURCE_URI.powershellPrefix) ? uri.slice(RESOURCE_URI.powershellPrefix.length) : '';
};

export const sessionsDataSource = defineDataSource<ProviderState>()({
  typeName: 'psremoting_sessions',
  schema: {
    description:
      "The live WinRM shells (PowerShell sessions on every endpoint, and WinRS cmd shells) of a host that the provider's user owns, as Get-PSSession -ComputerName lists them, with the commands still running in each; optionally only those of one endpoint or in one state.",
    attributes: {
      host: hostAttribute(),
      configuration_name: attr.optional(t.string, {
        description: 'Only sessions of this session configuration (endpoint), compared case-insensitively as WinRM does.',
      }),
      state: attr.optional(t.string, {
        validators: [oneOf('Connected', 'Disconnected')],
        description: 'Only sessions in this state: `Connected` or `Disconnected`.',
      }),
      sessions: attr.computed(
        nested.list({
          id: attr.computed(t.string, { description: 'The shell id.' }),
          name: attr.computed(t.string, {
            description:
              'The session name (`New-PSSession -Name`; the provider names the disconnected sessions of psremoting_command); "" when unnamed.',
          }),
          resource_uri: attr.computed(t.string, {
            description: 'The shell resource URI, e.g. http://schemas.microsoft.com/powershell/microsoft.powershell.',
          }),
          configuration_name: attr.computed(t.string, {
            description: 'The session configuration (endpoint) name; "" for shells that are not PowerShell sessions.',
          }),
          owner: attr.computed(t.string, { description: 'The user who opened the shell.' }),
          client_ip: attr.computed(t.string, { description: 'The client address the shell was opened from.' }),
          state: attr.computed(t.string, { description: 'Connected or Disconnected.' }),
          idle_timeout_sec: attr.computed(integer, {
            description: 'The idle timeout in effect for the shell, in seconds (null when not reported).',
          }),
          buffer_mode: attr.computed(t.string, { description: 'The output buffering mode in effect (Block or Drop).' }),
          shell_run_time: attr.computed(t.string, {
            description: 'How long the shell has existed, as the xs:duration WinRM reports (e.g. P0DT0H5M3S).',
          }),
          shell_inactivity: attr.computed(t.string, { description: 'How long the shell has been idle, as an xs:duration.' }),
          memory_used: attr.computed(t.string, { description: 'Memory used by the shell\'s processes as WinRM reports it (e.g. "61MB").' }),
          child_processes: attr.computed(integer, { description: 'Processes running in the shell (null when not reported).' }),
          running_commands: attr.computed(t.list(t.string), {
            description: 'The CommandIds of the commands (pipelines) still running in the session.',
          }),
        }),
        { description: 'The shells, in the order the host lists them.' },
      ),
    },
  },
  read(ctx, { config }) {
    return withHosts(ctx, async (pool) => {
      const host = pool.host(config.host);
      const keep = (s: ShellInfo): boolean =>
        (config.configuration_name === null || endpointOf(s).toLowerCase() === config.configuration_name.toLowerCase()) &&
        (config.state === null || s.state === config.state);
      const listed = await onHost(ctx, host, 'Listing sessions', () =>
        host.powershell((client, gate) => listSessions(client, gate, keep, ctx.signal), ctx.signal),
      );
      const sessions = listed.map((l) => sessionOf(l.shell, l.commands));
      return { host: config.host, configuration_name: config.configuration_name, state: config.state, sessions };
    });
  },
});
