/** `psremoting_sessions`: the live WinRM shells of a host, as Get-PSSession -ComputerName shows them. */
import { RESOURCE_URI } from '../../wsman';
import type { ShellInfo } from '../../wsman';
import { attr, defineDataSource, integer, nested, t } from '../../tfplugin';
import { onHost, withHosts } from '../host-operations';
import type { ProviderState } from '../provider-state';
import { hostAttribute } from './host-attribute';
import { parseUint } from '../../wsman/xml';

function sessionOf(s: ShellInfo) {
  const uri = s.resourceUri ?? '';
  return {
    id: s.shellId,
    resource_uri: uri,
    configuration_name: uri.startsWith(RESOURCE_URI.powershellPrefix) ? uri.slice(RESOURCE_URI.powershellPrefix.length) : '',
    owner: s.owner ?? '',
    client_ip: s.clientIp ?? '',
    state: s.state ?? '',
    idle_timeout_sec: s.idleTimeoutMs === undefined ? null : Math.floor(s.idleTimeoutMs / 1000),
    buffer_mode: s.bufferMode ?? '',
    shell_run_time: s.fields.ShellRunTime ?? '',
    shell_inactivity: s.fields.ShellInactivity ?? '',
    memory_used: s.fields.MemoryUsed ?? '',
    child_processes: parseUint(s.fields.ChildProcesses) ?? null,
  };
}

export const sessionsDataSource = defineDataSource<ProviderState>()({
  typeName: 'psremoting_sessions',
  schema: {
    description:
      "The live WinRM shells (PowerShell sessions and cmd shells) of a host that the provider's user may see, as Get-PSSession -ComputerName lists them.",
    attributes: {
      host: hostAttribute(),
      sessions: attr.computed(
        nested.list({
          id: attr.computed(t.string, { description: 'The shell id.' }),
          resource_uri: attr.computed(t.string, { description: 'The shell resource URI, e.g. http://schemas.microsoft.com/powershell/microsoft.powershell.' }),
          configuration_name: attr.computed(t.string, { description: 'The session configuration (endpoint) name; "" for shells that are not PowerShell sessions.' }),
          owner: attr.computed(t.string, { description: 'The user who opened the shell.' }),
          client_ip: attr.computed(t.string, { description: 'The client address the shell was opened from.' }),
          state: attr.computed(t.string, { description: 'Connected or Disconnected.' }),
          idle_timeout_sec: attr.computed(integer, { description: 'The idle timeout in effect for the shell, in seconds (null when not reported).' }),
          buffer_mode: attr.computed(t.string, { description: 'The output buffering mode in effect (Block or Drop).' }),
          shell_run_time: attr.computed(t.string, { description: 'How long the shell has existed, as the xs:duration WinRM reports (e.g. P0DT0H5M3S).' }),
          shell_inactivity: attr.computed(t.string, { description: 'How long the shell has been idle, as an xs:duration.' }),
          memory_used: attr.computed(t.string, { description: 'Memory used by the shell\'s processes as WinRM reports it (e.g. "61MB").' }),
          child_processes: attr.computed(integer, { description: 'Processes running in the shell (null when not reported).' }),
        }),
        { description: 'The shells, in the order the host lists them.' },
      ),
    },
  },
  read(ctx, { config }) {
    return withHosts(ctx, async (pool) => {
      const host = pool.host(config.host);
      const shells = await onHost(ctx, host, 'Listing sessions', () => host.shells(ctx.signal));
      return { host: config.host, sessions: shells.map(sessionOf) };
    });
  },
});
