/**
 * The cdktf example (`cdktf synth` / `cdktf deploy` from the repository root, see cdktf.json): one
 * constrained endpoint with transport options on every host, the built-in microsoft.powershell
 * endpoint adopted and tuned, a command run once per host after its endpoint is in place, and on the
 * first host two commands inside the constrained endpoint over PSRP, one in a disconnected session.
 * examples/hcl/main.tf declares the same in HCL.
 *
 * Environment (read at synth time):
 *   PSREMOTING_HOSTS      comma-separated hosts: name, name:port, or http(s)://name:port/wsman (required)
 *   PSREMOTING_STATE_DIR  where the local terraform state lives (default: the directory cdktf runs in)
 * Read by the provider at plan/apply time, so the password never lands in cdktf.out:
 *   PSREMOTING_USERNAME, PSREMOTING_PASSWORD
 */
import { App, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { BuiltinEndpointTuning, CommandFleet, SessionConfigurationFleet, provider } from '../../provider';
import { CDKTF_STACK, stateFile } from './cli-env';

function hostsFromEnv(): string[] {
  const hosts = (process.env.PSREMOTING_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  if (hosts.length === 0)
    throw new Error('set PSREMOTING_HOSTS to the comma-separated WS-Man hosts to manage (e.g. win1,win2:5985,https://win3:5986/wsman)');
  return hosts;
}

class ExampleStack extends TerraformStack {
  constructor(scope: Construct, id: string, hosts: string[]) {
    super(scope, id);
    new LocalBackend(this, { path: stateFile(process.env.PSREMOTING_STATE_DIR ?? process.cwd()) });
    new provider.PsremotingProvider(this, 'psremoting', { auth: 'ntlm' });

    const ops = new SessionConfigurationFleet(this, 'ops', {
      hosts,
      name: 'Ops.Restricted',
      settings: {
        idleTimeoutSec: 3600,
        maxIdleTimeoutSec: 7200,
        outputBufferingMode: 'Drop',
        maxSessionsPerUser: 5,
        maxConcurrentUsers: 10,
        maxMemoryPerSessionMb: 512,
      },
    });

    const builtin = new BuiltinEndpointTuning(this, 'builtin', { hosts, settings: { idleTimeoutSec: 5400 } });

    // `echo` reads the same in cmd.exe and in the emulator's /bin/sh.
    new CommandFleet(this, 'configured', { hosts, shell: 'cmd', command: 'echo configured', after: [ops] });

    // On the first host, inside the constrained endpoint over PSRP: which endpoint the session runs in,
    // and a long run in a disconnected session that the apply does not wait for (the next run collects it).
    // Both wait for every endpoint of the host: a WinRM restart ends the sessions running on it.
    const first = hosts.slice(0, 1);
    new CommandFleet(this, 'inside', {
      hosts: first,
      configurationName: 'Ops.Restricted',
      command: '"endpoint: $($PSSenderInfo.ConfigurationName)"',
      after: [ops, builtin],
    });
    new CommandFleet(this, 'patch', {
      hosts: first,
      configurationName: 'Ops.Restricted',
      command: "'patch started'; Start-Sleep 4; 'patch applied'",
      disconnected: { idleTimeoutSec: 3600, outputBufferingMode: 'Block', wait: false },
      after: [ops, builtin],
    });

    new TerraformOutput(this, 'ops_reported_idle_timeout_ms', {
      value: Object.fromEntries([...ops.byHost].map(([host, endpoint]) => [host, endpoint.reported.lookup('IdleTimeoutms')])),
    });
  }
}

const app = new App();
new ExampleStack(app, CDKTF_STACK, hostsFromEnv());
app.synth();
