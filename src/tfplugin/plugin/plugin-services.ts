/**
 * The gRPC side of a launch, loaded by ./serve once the handshake line is out: grpc-js, go-plugin's
 * services, and tfplugin6.Provider, whose runtime (codecs, planning) and provider load on the first
 * provider call.
 */
import * as grpc from '@grpc/grpc-js';
import type { ProviderDefinition } from '../contracts/provider';
import { ProviderService } from '../generated/tfplugin6';
import { createGrpcServer, deferredMethods, type PluginServer } from '../grpc/grpc-server';
import type { Logger } from '../log/logger';
import type { Schema } from '../schema/schema';
import { goPluginMethods } from './go-plugin-services';

export function startPluginServices<S extends Schema, P>(opts: {
  provider: () => ProviderDefinition<S, P>;
  log: Logger;
  onShutdown: () => void;
}): PluginServer {
  const { log } = opts;
  // grpc-js's own messages (errors by default, more with GRPC_VERBOSITY) go into the provider's log.
  grpc.setLogger({ error: (m: string) => log.error(m), info: (m: string) => log.info(m), debug: (m: string) => log.debug(m) });
  return createGrpcServer({
    methods: [
      ...goPluginMethods(opts.onShutdown),
      ...deferredMethods(Object.values(ProviderService), () => {
        // Loaded on the first provider call, after the handshake line: the runtime is not part of start-up.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { providerMethods } = require('../runtime/provider-server') as typeof import('../runtime/provider-server');
        return providerMethods(opts.provider(), log);
      }),
    ],
    onError: (err) => log.error('gRPC handler failed', { error: err }),
  });
}
