/** The runtimetest provider executable (bundled by the e2e helpers). */
import { serve } from '../../../src/tfplugin/plugin/serve';

serve({ binary: 'terraform-provider-runtimetest', provider: () => (require('./provider') as typeof import('./provider')).runtimetestProvider });
