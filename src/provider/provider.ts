/**
 * The psremoting provider: its configuration schema and everything it registers. Resources and data
 * sources (session configurations, commands, host facts) register here as they land.
 */
import { defineProvider, defineSchema } from '../tfplugin';
import { encodeCommandFunction } from './functions/encode-command';
import { PROVIDER_NAME } from './identity';

/** What handlers get as ctx.provider once the provider block is configured (transport defaults next). */
export type ProviderState = Record<string, never>;

const providerSchema = defineSchema({
  description: 'Manages PowerShell remoting session configurations and remote commands on Windows hosts over WinRM.',
  attributes: {},
});

export const psremotingProvider = defineProvider({
  name: PROVIDER_NAME,
  schema: providerSchema,
  configure: (): ProviderState => ({}),
  resources: [],
  dataSources: [],
  functions: [encodeCommandFunction],
});
