/** `psremoting_winrm_config`: the host's WinRM service configuration (winrm/config), service and winrs values. */
import { CONFIG_SPEC, SERVICE_SPEC, WINRS_SPEC, type SectionSpec } from '../../wsman/config';
import { attr, defineDataSource, t } from '../../tfplugin';
import { onHost, withHosts } from '../host-operations';
import type { ProviderState } from '../provider-state';
import { hostAttribute } from './host-attribute';

/** A section's values by Windows' element names; nested sections as `Auth/Basic` (as WSMan:\ paths read). */
function flatten(spec: SectionSpec, section: object | undefined, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  const values = (section ?? {}) as Record<string, unknown>;
  for (const m of spec.members) {
    const v = values[m.key];
    if ('section' in m) {
      // The top level's sections (Client, Service, Winrs) are attributes of their own.
      if (spec !== CONFIG_SPEC) flatten(m.section, v as object | undefined, `${prefix}${m.section.element}/`, out);
    } else if (typeof v === 'string') {
      out[`${prefix}${m.element}`] = v;
    }
  }
  return out;
}

const map = (description: string) => attr.computed(t.map(t.string), { description });

export const winrmConfigDataSource = defineDataSource<ProviderState>()({
  typeName: 'psremoting_winrm_config',
  schema: {
    description: "A host's WinRM service configuration (winrm/config, what `winrm get winrm/config` shows), by Windows' element names.",
    attributes: {
      host: hostAttribute(),
      config: map('Top-level values, e.g. MaxEnvelopeSizekb, MaxTimeoutms, MaxBatchItems.'),
      service: map('Service values, e.g. MaxConcurrentOperationsPerUser, AllowUnencrypted, Auth/Basic, Auth/Negotiate, DefaultPorts/HTTP.'),
      winrs: map(
        'Remote shell values, the host-wide caps on every endpoint: IdleTimeout (ms), MaxConcurrentUsers, MaxShellRunTime, MaxProcessesPerShell, MaxMemoryPerShellMB, MaxShellsPerUser, AllowRemoteShellAccess.',
      ),
    },
  },
  read(ctx, { config: { host: spec } }) {
    return withHosts(ctx, async (pool) => {
      const host = pool.host(spec);
      const c = await onHost(ctx, host, 'Reading winrm/config', () => host.winrmConfig(ctx.signal));
      return {
        host: spec,
        config: flatten(CONFIG_SPEC, c),
        service: flatten(SERVICE_SPEC, c.service),
        winrs: flatten(WINRS_SPEC, c.winrs),
      };
    });
  },
});
