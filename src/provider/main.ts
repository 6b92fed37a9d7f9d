/** The provider executable's entry: terraform starts it and talks gRPC to it. */
import { serve } from '../tfplugin/plugin/serve';
import { BINARY_NAME } from './identity';

serve({
  binary: BINARY_NAME,
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, after the handshake line (bench/startup.ts)
  provider: () => (require('./provider') as typeof import('./provider')).psremotingProvider,
});
