/**
 * The psremoting provider: its configuration schema and everything it registers. Resources and data
 * sources (session configurations, commands, host facts) register here as they land.
 */
import { defineProvider } from '../tfplugin';
import { configProblems } from './configuration/provider-settings';
import { sessionConfigurationsDataSource } from './data-sources/session-configurations-data-source';
import { sessionsDataSource } from './data-sources/sessions-data-source';
import { winrmConfigDataSource } from './data-sources/winrm-config-data-source';
import { providerSchema } from './configuration/provider-schema';
import { configureProvider } from './configuration/provider-state-factory';
import { encodeCommandFunction } from './functions/encode-command';
import { PROVIDER_NAME } from './identity';
import type { ProviderState } from './provider-state';
import { commandResource } from './resources/command/command-resource';
import { fileResource } from './resources/file/file-resource';
import { roleCapabilityResource } from './resources/role-capability/role-capability-resource';
import { sessionConfigurationResource } from './resources/session-configuration/session-configuration-resource';

export type { ProviderState } from './provider-state';

export const psremotingProvider = defineProvider({
  name: PROVIDER_NAME,
  schema: providerSchema,
  validate: (ctx, config) => {
    for (const p of configProblems(config)) ctx.diagnostics.error('Invalid provider configuration', p.message, p.path);
  },
  configure: (ctx, { config }): ProviderState => configureProvider(ctx, config),
  resources: [sessionConfigurationResource, commandResource, fileResource, roleCapabilityResource],
  dataSources: [sessionConfigurationsDataSource, sessionsDataSource, winrmConfigDataSource],
  functions: [encodeCommandFunction],
});
