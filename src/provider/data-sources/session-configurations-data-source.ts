/** `psremoting_session_configurations`: the PowerShell endpoints of a host, as Get-PSSessionConfiguration lists them. */
import { observe, reportedProperties } from '../../host/session-configuration';
import { attr, defineDataSource, nested, t } from '../../tfplugin';
import { onHost, withHosts } from '../host-operations';
import type { ProviderState } from '../provider-state';
import { reportedSettingAttributes, settingValues } from '../session-configuration/setting-attributes';
import { hostAttribute } from './host-attribute';

/** Get-PSSessionConfiguration lists the plugins PowerShell hosts (pwrshplugin.dll), not WinRM's others. */
const isPowerShellPlugin = (filename: string | undefined): boolean => /pwrshplugin\.dll$/i.test(filename ?? '');

export const sessionConfigurationsDataSource = defineDataSource<ProviderState>()({
  typeName: 'psremoting_session_configurations',
  schema: {
    description: 'Every PowerShell session configuration (endpoint) of a host with its settings, as Get-PSSessionConfiguration lists them.',
    attributes: {
      host: hostAttribute(),
      configurations: attr.computed(
        nested.list({
          name: attr.computed(t.string, { description: 'The endpoint name.' }),
          ...reportedSettingAttributes(),
          reported: attr.computed(t.map(t.string), {
            description: 'Every property the host reports, as Get-PSSessionConfiguration shows it.',
          }),
        }),
        { description: 'The endpoints, sorted by name.' },
      ),
    },
  },
  read(ctx, { config }) {
    return withHosts(ctx, async (pool) => {
      const host = pool.host(config.host);
      const plugins = await onHost(ctx, host, 'Reading session configurations', () => host.plugins(ctx.signal));
      const configurations = [...plugins.values()]
        .filter((doc) => isPowerShellPlugin(doc.filename))
        .sort((a, b) => byNameIgnoringCase(a.name ?? '', b.name ?? ''))
        .map((doc) => ({ name: doc.name ?? '', ...settingValues(observe(doc)), reported: reportedProperties(doc) }));
      return { host: config.host, configurations } as never;
    });
  },
});

/** WinRM names are case-insensitive: "Microsoft.PowerShell" sorts with "microsoft.powershell32", the same in every locale. */
function byNameIgnoringCase(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}
