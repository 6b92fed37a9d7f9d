/**
 * A JEA endpoint on every host (the demo deploys it to the first emulated host): a module with one
 * function, a role capability that makes that function and Get-Date visible, and the endpoint whose
 * role definitions give it to the administrators (the account the demo connects with; on real hosts,
 * name your operators' group). The provider verifies the endpoint with a session after each write and
 * shows what that session sees in `session_view`.
 *
 * Environment (read at synth time):
 *   PSREMOTING_HOSTS      comma-separated hosts (required)
 *   PSREMOTING_STATE_DIR  where the local terraform state lives (default: the directory cdktf runs in)
 * Read by the provider at plan/apply time: PSREMOTING_USERNAME, PSREMOTING_PASSWORD.
 */
import { App, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { JeaEndpoint, provider } from '../../provider';

const JEA_STACK = 'psremoting-jea';
const JEA_ENDPOINT = 'Ops.Jea';

const MODULE = 'OpsJea';
const MODULE_CODE = `function Get-OpsStatus {
  [CmdletBinding()] param()
  'all services nominal'
}
`;

class JeaStack extends TerraformStack {
  constructor(scope: Construct, hosts: string[]) {
    super(scope, JEA_STACK);
    new LocalBackend(this, { path: join(process.env.PSREMOTING_STATE_DIR ?? process.cwd(), `terraform.${JEA_STACK}.tfstate`) });
    new provider.PsremotingProvider(this, 'psremoting', { auth: 'ntlm' });
    const jea = new JeaEndpoint(this, 'ops', {
      hosts,
      name: JEA_ENDPOINT,
      module: MODULE,
      moduleFiles: {
        [`${MODULE}.psm1`]: { content: MODULE_CODE },
        [`${MODULE}.psd1`]: {
          content: `@{ ModuleVersion = '1.0.0'; RootModule = '${MODULE}.psm1'; FunctionsToExport = 'Get-OpsStatus' }\n`,
        },
      },
      roleCapabilities: {
        Operator: { modulesToImport: [MODULE], visibleFunctions: [{ name: 'Get-OpsStatus' }], visibleCmdlets: [{ name: 'Get-Date' }] },
      },
      roleDefinitions: { 'BUILTIN\\Administrators': ['Operator'] },
      configurationFile: { languageMode: 'NoLanguage' },
    });
    new TerraformOutput(this, 'session_view', {
      value: Object.fromEntries([...jea.byHost].map(([host, { endpoint }]) => [host, endpoint.sessionView])),
    });
  }
}

const hosts = (process.env.PSREMOTING_HOSTS ?? '')
  .split(',')
  .map((h) => h.trim())
  .filter((h) => h !== '');
if (hosts.length === 0) throw new Error('set PSREMOTING_HOSTS to the comma-separated WS-Man hosts');
const app = new App();
new JeaStack(app, hosts);
app.synth();
