/** The runtimetest provider executable (bundled by the e2e helpers). */
import { serve } from '../../../src/tfplugin/plugin/serve';

serve({
  binary: 'terraform-provider-runtimetest',
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, after the handshake line, as the real provider is
  provider: () => (require('./provider') as typeof import('./provider')).runtimetestProvider,
});
