/**
 * `npm run demo`: the main job end to end on the embedded default. Three emulated Windows hosts on
 * loopback, the example configuration applied with real terraform, a change made by hand on one host,
 * the plan that shows exactly that drift, the apply that fixes it, and what every host reports.
 * Everything it writes stays in the repository (.demo/, .terraform-mirror/, .terraformrc).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, DEFAULT_USER, type EmulatorHandle } from '../src/emulator';
import { WsmanClient, RESOURCE_URI } from '../src/wsman';
import { getQuota, parsePluginConfig, pluginConfigSpec, setQuota, type PluginConfig } from '../src/wsman/config';

const repo = join(__dirname, '..');
const workdir = join(repo, '.demo');
const DRIFT_HOST = 'win2';
const ENDPOINT = 'Ops.Restricted';

const say = (text: string): void => void process.stdout.write(`\n\x1b[1m== ${text}\x1b[0m\n`);

function terraform(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', args, { cwd: workdir, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function expectExit(args: string[], env: NodeJS.ProcessEnv, allowed: number[]): Promise<number> {
  const code = await terraform(args, env);
  if (!allowed.includes(code)) throw new Error(`terraform ${args[0]} exited with ${code}`);
  return code;
}

function client(emulator: EmulatorHandle, name: string): WsmanClient {
  const host = emulator.hosts.find((h) => h.name === name);
  if (!host) throw new Error(`no emulated host ${name}`);
  return new WsmanClient({ endpoint: host.endpoint, auth: { kind: 'ntlm', username: DEFAULT_USER.name, password: DEFAULT_USER.password } });
}

async function readEndpoint(c: WsmanClient, name: string): Promise<PluginConfig> {
  return parsePluginConfig(await c.get(RESOURCE_URI.configPlugin, { Name: name }));
}

async function main(): Promise<void> {
  const version = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) throw new Error('the demo needs terraform on PATH (1.11 or newer)');

  say('Installing the provider into the repository mirror');
  const install = spawnSync(process.execPath, [join(repo, 'scripts/provider-install.js')], { cwd: repo, stdio: 'inherit' });
  if (install.status !== 0) throw new Error('provider install failed');

  say('Starting three emulated Windows hosts (WinRM on loopback, NTLM with message encryption)');
  const emulator = await startEmulator({ hosts: ['win1', 'win2', 'win3'], restartMs: 400 });
  try {
    for (const h of emulator.hosts) console.log(`  ${h.name}  ${h.endpoint}`);
    rmSync(workdir, { recursive: true, force: true });
    mkdirSync(workdir, { recursive: true });
    copyFileSync(join(repo, 'examples/hcl/main.tf'), join(workdir, 'main.tf'));
    writeFileSync(join(workdir, 'terraform.tfvars.json'), JSON.stringify({ hosts: emulator.hosts.map((h) => h.endpoint), username: DEFAULT_USER.name }, null, 2));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TF_CLI_CONFIG_FILE: join(repo, '.terraformrc'),
      TF_VAR_password: DEFAULT_USER.password,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
    };

    say('terraform init');
    await expectExit(['init', '-no-color'], env, [0]);

    say('terraform apply: one constrained endpoint per host, microsoft.powershell adopted and tuned');
    await expectExit(['apply', '-auto-approve', '-no-color'], env, [0]);

    say(`Someone changes ${ENDPOINT} on ${DRIFT_HOST} by hand: IdleTimeoutms 3600000 -> 600000`);
    const drifted = client(emulator, DRIFT_HOST);
    const doc = await readEndpoint(drifted, ENDPOINT);
    setQuota(doc, 'IdleTimeoutms', '600000');
    await drifted.put(RESOURCE_URI.configPlugin, { Name: ENDPOINT }, pluginConfigSpec(doc));
    drifted.close();

    say('terraform plan -detailed-exitcode: the drift, on that host only');
    const planned = await expectExit(['plan', '-detailed-exitcode', '-no-color'], env, [0, 2]);
    if (planned !== 2) throw new Error('the plan did not show the drift');

    say('terraform apply: converge');
    await expectExit(['apply', '-auto-approve', '-no-color'], env, [0]);

    say('terraform plan -detailed-exitcode: nothing left to do');
    await expectExit(['plan', '-detailed-exitcode', '-no-color'], env, [0]);

    say('What every host reports now');
    console.log('  host  endpoint              IdleTimeoutms  MaxIdleTimeoutms  OutputBufferingMode  MaxShellsPerUser');
    for (const h of emulator.hosts) {
      const c = client(emulator, h.name);
      for (const name of [ENDPOINT, 'microsoft.powershell']) {
        const p = await readEndpoint(c, name);
        const q = (n: 'IdleTimeoutms' | 'MaxIdleTimeoutms' | 'MaxShellsPerUser'): string => getQuota(p, n) ?? '-';
        console.log(
          `  ${h.name.padEnd(5)} ${name.padEnd(21)} ${q('IdleTimeoutms').padEnd(14)} ${q('MaxIdleTimeoutms').padEnd(17)} ${(p.outputBufferingMode ?? '-').padEnd(20)} ${q('MaxShellsPerUser')}`,
        );
      }
      c.close();
    }
    say('Done. The working directory is .demo/; run `npm run demo` again any time.');
  } finally {
    await emulator.stop();
  }
}

main().catch((e: Error) => {
  console.error(`\ndemo failed: ${e.message}`);
  process.exitCode = 1;
});
