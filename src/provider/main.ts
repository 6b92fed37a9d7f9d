/** The provider executable's entry: terraform starts it and talks gRPC to it. */
import { serve } from '../tfplugin/plugin/serve';
import { BINARY_NAME } from './identity';

serve({
  binary: BINARY_NAME,
  provider: () => (require('./provider') as typeof import('./provider')).psremotingProvider,
});
