/**
 * ConfigureProvider: the provider state, with the host pool built lazily from the provider block
 * (validate already reported cross-attribute problems; values known only now are checked on first use).
 */
import { HostPool } from '../../host';
import { DiagnosticError, type Context } from '../../tfplugin';
import type { ProviderState } from '../provider-state';
import { DeclaredEndpoints } from '../declared-endpoints';
import { hostKey } from './same-host';
import { hostAddressing, hostPoolSettings, isWhollyKnownConfig, ProviderSettingsError, type ProviderConfig } from './provider-settings';

export function configureProvider(ctx: Context, config: ProviderConfig, env: NodeJS.ProcessEnv = process.env): ProviderState {
  const log = ctx.log.with({ layer: 'host' });
  let pool: HostPool | undefined;
  const configKnown = isWhollyKnownConfig(config);
  const addressing = configKnown ? hostAddressing(config) : undefined;
  const key = (host: string): string => (addressing ? hostKey(host, addressing.scheme, addressing.port) : host);
  return {
    configKnown,
    allowStaleState: config.allow_stale_state === true,
    sameHost: (a, b) => a === b || key(a) === key(b),
    declaredEndpoints: new DeclaredEndpoints(key),
    get pool(): HostPool {
      if (pool) return pool;
      if (!configKnown) {
        throw new DiagnosticError(
          'Provider configuration not known yet',
          'The psremoting provider block uses values known only after apply; it needs them to reach any host.',
        );
      }
      try {
        pool = new HostPool(hostPoolSettings(config, env, log));
      } catch (e) {
        // No path: the diagnostic lands on the resource that needed a host, not on the provider block.
        if (e instanceof ProviderSettingsError) throw new DiagnosticError('Invalid provider configuration', e.message);
        throw e;
      }
      return pool;
    },
  };
}
