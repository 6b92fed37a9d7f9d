/**
 * A fleet split into one cdktf stack per host group (see README.md beside this file). Each stack has
 * its own provider and its own state, so groups deploy one by one (`cdktf deploy fleet-web`), all at
 * once in parallel (`cdktf deploy '*'`), or each as its own workspace on a runner — terraform is the
 * engine that scales out; a stack stays a size one terraform run handles well.
 *
 * Inputs: see fleet-env.ts. The provider reads PSREMOTING_USERNAME / PSREMOTING_PASSWORD at plan and
 * apply time, so no password lands in cdktf.out.
 */
import { App, LocalBackend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { SessionConfigurationFleet, provider } from '../../provider';
import { fleetStateFile, hostGroupsFromEnv, stackName } from './fleet-env';

/** What every group gets; a group could as well carry its own settings. */
const OPS_ENDPOINT = { idleTimeoutSec: 3600, maxSessionsPerUser: 5, outputBufferingMode: 'Drop' } as const;

class HostGroupStack extends TerraformStack {
  constructor(scope: Construct, group: string, hosts: string[]) {
    super(scope, stackName(group));
    // On a runner (HCP Terraform, Atlantis, a CI matrix) this is the remote backend of the group's workspace.
    new LocalBackend(this, { path: fleetStateFile(process.env.PSREMOTING_STATE_DIR ?? process.cwd(), group) });
    new provider.PsremotingProvider(this, 'psremoting', { auth: 'ntlm' });
    new SessionConfigurationFleet(this, 'ops', { hosts, name: 'Ops.Fleet', settings: OPS_ENDPOINT });
  }
}

const app = new App();
for (const [group, hosts] of hostGroupsFromEnv()) new HostGroupStack(app, group, hosts);
app.synth();
