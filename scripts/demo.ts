/**
 * `npm run demo`: the main job end to end on the embedded default. Three emulated Windows hosts on
 * loopback, the cdktf example (examples/cdktf, see cdktf.json) deployed with `cdktf deploy`, a change
 * made by hand on one host, the plan that shows exactly that drift, the deploy that fixes it, and what
 * every host reports; on the first host a command inside the constrained endpoint over PSRP, and a
 * long run in a disconnected session that the first deploy leaves running and the next one collects. Everything it writes stays in the repository (.demo/, .terraform-mirror/,
 * .terraformrc); cdktf's home (~/.cdktf) and terraform's plugin cache are redirected or disabled.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, DEFAULT_USER, type EmulatorHandle } from '../src/emulator';
import { WsmanClient, RESOURCE_URI } from '../src/wsman';
import { getQuota, parsePluginConfig, pluginConfigSpec, setQuota, type PluginConfig } from '../src/wsman/config';
import { cdktfEnv, cdktfOutputDir, cdktfStackDir, stateFile } from '../examples/cdktf/cli-env';
import { PowerShellSession, type PipelineResult } from '../src/host';
import { toPlain } from '../src/psrp';

const repo = join(__dirname, '..');
const workdir = join(repo, '.demo');
const stackDir = cdktfStackDir(workdir);
const DRIFT_HOST = 'win2';
const ENDPOINT = 'Ops.Restricted';
/** A whole deploy (synth, init, three hosts with WinRM restarts) finishes in well under this. */
const STEP_TIMEOUT_MS = 180_000;

const say = (text: string): void => void process.stdout.write(`\n\x1b[1m== ${text}\x1b[0m\n`);

/** Runs a program with the demo's output on the terminal; killed if it outlives STEP_TIMEOUT_MS. */
function run(program: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal === 'SIGKILL' ? -1 : (code ?? 1));
    });
  });
}

async function expectExit(what: string, running: Promise<number>, allowed: number[]): Promise<number> {
  const code = await running;
  if (code === -1) throw new Error(`${what} did not finish within ${STEP_TIMEOUT_MS / 1000} s`);
  if (!allowed.includes(code)) throw new Error(`${what} exited with ${code}`);
  return code;
}

const cdktf = (args: string[], env: NodeJS.ProcessEnv): Promise<number> =>
  run(join(repo, 'node_modules/.bin/cdktf'), [...args, '--output', cdktfOutputDir(workdir)], repo, env);
const terraform = (args: string[], env: NodeJS.ProcessEnv): Promise<number> => run('terraform', args, stackDir, env);

function client(emulator: EmulatorHandle, name: string): WsmanClient {
  const host = emulator.hosts.find((h) => h.name === name);
  if (!host) throw new Error(`no emulated host ${name}`);
  return new WsmanClient({ endpoint: host.endpoint, auth: { kind: 'ntlm', username: DEFAULT_USER.name, password: DEFAULT_USER.password } });
}

async function readEndpoint(c: WsmanClient, name: string): Promise<PluginConfig> {
  return parsePluginConfig(await c.get(RESOURCE_URI.configPlugin, { Name: name }));
}

interface PlannedChange {
  address: string;
  change: { actions: string[]; before: Record<string, unknown> | null; after: Record<string, unknown> | null };
}

/** The plan's changes, read from `terraform show -json` of a saved plan: every changed attribute by resource. */
async function plannedChanges(
  env: NodeJS.ProcessEnv,
): Promise<{ address: string; host: unknown; actions: string[]; attributes: string[] }[]> {
  await expectExit('terraform plan', terraform(['plan', '-no-color', '-out=drift.tfplan'], env), [0]);
  const shown = spawnSync('terraform', ['show', '-json', 'drift.tfplan'], {
    cwd: stackDir,
    env,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 << 20,
  });
  if (shown.status !== 0) throw new Error(`terraform show -json failed: ${shown.stderr}`);
  const plan = JSON.parse(shown.stdout) as { resource_changes?: PlannedChange[] };
  return (plan.resource_changes ?? [])
    .filter((r) => !r.change.actions.every((a) => a === 'no-op' || a === 'read'))
    .map((r) => ({
      address: r.address,
      host: r.change.after?.host ?? r.change.before?.host,
      actions: r.change.actions,
      attributes: Object.keys(r.change.after ?? {}).filter(
        (k) => JSON.stringify(r.change.after?.[k]) !== JSON.stringify(r.change.before?.[k]),
      ),
    }));
}

function requireTerraform(): void {
  const version = spawnSync('terraform', ['version'], { encoding: 'utf8', timeout: 30_000 });
  if (version.error || version.status !== 0) {
    throw new Error('the demo needs terraform 1.11 or newer on PATH: https://developer.hashicorp.com/terraform/install');
  }
}

interface CommandAttributes {
  host: string;
  shell?: string;
  configuration_name?: string | null;
  stdout?: string;
  exit_code?: number;
  status?: string;
  session_name?: string | null;
}

/** The psremoting_command instances in the stack's state. */
function stateCommands(): CommandAttributes[] {
  const state = JSON.parse(readFileSync(stateFile(workdir), 'utf8')) as {
    resources: { type: string; instances: { attributes: CommandAttributes }[] }[];
  };
  return state.resources.filter((r) => r.type === 'psremoting_command').flatMap((r) => r.instances.map((i) => i.attributes));
}

/** The PSRP commands inside the endpoint: what the endpoint session said, and the disconnected run's status and output. */
function showPsrpCommands(): CommandAttributes | undefined {
  const inside = stateCommands().filter((c) => c.configuration_name === ENDPOINT);
  for (const c of inside) {
    const kind = c.session_name ? `disconnected session ${c.session_name}` : 'session';
    console.log(`  ${kind}: status ${c.status}, stdout ${JSON.stringify(c.stdout ?? '')}`);
  }
  return inside.find((c) => c.session_name);
}

/** The command that prints $PSSenderInfo.ConfigurationName ran inside the endpoint, not in a default session. */
function expectRanInEndpoint(): void {
  const expected = `endpoint: ${ENDPOINT}`;
  const printed = stateCommands().find((c) => c.configuration_name === ENDPOINT && !c.session_name)?.stdout;
  if (printed?.trim() !== expected)
    throw new Error(`the command inside ${ENDPOINT} should print "${expected}", but printed ${JSON.stringify(printed)}`);
}

/** The JEA endpoint examples/cdktf-jea declares with the JeaEndpoint construct. */
const JEA_ENDPOINT = 'Ops.Jea';
const JEA_HOST = 'win1';

const outcome = (r: PipelineResult): string => {
  const failure = r.reason ?? r.errors[0];
  if (failure) return `refused: ${failure.fullyQualifiedErrorId.split(',')[0]}: ${failure.message.split('\n')[0]}`;
  return `${r.state}: ${r.output.map((v) => String(toPlain(v))).join(' | ')}`;
};

/**
 * Deploys examples/cdktf-jea to one host, then connects to its JEA endpoint as the provider's user: a
 * command its role capability makes visible runs, a hidden one is refused as PowerShell refuses an
 * unknown command.
 */
async function jeaStep(emulator: EmulatorHandle): Promise<void> {
  const host = emulator.hosts.find((h) => h.name === JEA_HOST)!;
  const jeaDir = join(workdir, 'jea');
  mkdirSync(jeaDir, { recursive: true });
  const env = cdktfEnv(repo, jeaDir, {
    PSREMOTING_HOSTS: host.endpoint,
    PSREMOTING_USERNAME: DEFAULT_USER.name,
    PSREMOTING_PASSWORD: DEFAULT_USER.password,
  });
  const deploy = run(
    join(repo, 'node_modules/.bin/cdktf'),
    ['deploy', '--auto-approve', '--skip-provider-lock', '--output', join(jeaDir, 'cdktf.out')],
    join(repo, 'examples/cdktf-jea'),
    env,
  );
  await expectExit('cdktf deploy (JEA)', deploy, [0]);
  const c = client(emulator, JEA_HOST);
  const session = await PowerShellSession.open(c, { configurationName: JEA_ENDPOINT, noProfile: true });
  try {
    const allowed = await session.invoke({ statements: [[{ command: 'Get-OpsStatus' }]] });
    console.log(`  Get-OpsStatus (visible through the Operator role capability): ${outcome(allowed)}`);
    const hidden = await session.invoke({ statements: [[{ command: 'Stop-Process', parameters: [{ name: 'Id', value: process.pid }] }]] });
    console.log(`  Stop-Process (not in any role capability): ${outcome(hidden)}`);
    if (allowed.state !== 'Completed' || allowed.errors.length > 0) throw new Error(`the allowed command failed: ${outcome(allowed)}`);
    if (!/CommandNotFoundException/.test((hidden.reason ?? hidden.errors[0])?.fullyQualifiedErrorId ?? ''))
      throw new Error(`the hidden command should be refused as unknown, but: ${outcome(hidden)}`);
  } finally {
    await session.close().catch(() => undefined);
    c.close();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  requireTerraform();

  say('Installing the provider into the repository mirror');
  const install = spawnSync(process.execPath, [join(repo, 'scripts/provider-install.js')], {
    cwd: repo,
    stdio: 'inherit',
    timeout: STEP_TIMEOUT_MS,
  });
  if (install.status !== 0) throw new Error('provider install failed');

  say('Starting three emulated Windows hosts (WinRM on loopback, NTLM with message encryption)');
  const emulator = await startEmulator({ hosts: ['win1', 'win2', 'win3'], restartMs: 400 });
  try {
    for (const h of emulator.hosts) console.log(`  ${h.name}  ${h.endpoint}`);
    // A fresh emulator each run: start from an empty state so the demo works again and again.
    rmSync(workdir, { recursive: true, force: true });
    mkdirSync(workdir, { recursive: true });
    const env = cdktfEnv(repo, workdir, {
      PSREMOTING_HOSTS: emulator.hosts.map((h) => h.endpoint).join(','),
      PSREMOTING_USERNAME: DEFAULT_USER.name,
      PSREMOTING_PASSWORD: DEFAULT_USER.password,
    });

    say('cdktf deploy: one constrained endpoint per host, microsoft.powershell adopted and tuned, a command per host');
    let t = Date.now();
    await expectExit('cdktf deploy', cdktf(['deploy', '--auto-approve', '--skip-provider-lock'], env), [0]);
    const deploySeconds = (Date.now() - t) / 1000;

    say(
      `Inside ${ENDPOINT} over PSRP: $PSSenderInfo.ConfigurationName, and a patch run in a disconnected session the deploy did not wait for`,
    );
    const patch = showPsrpCommands();
    expectRanInEndpoint();
    if (patch?.status !== 'running')
      throw new Error(`the disconnected patch run should be running after the first deploy, but is ${patch?.status}`);

    say(`Someone changes ${ENDPOINT} on ${DRIFT_HOST} by hand: IdleTimeoutms 3600000 -> 600000`);
    const drifted = client(emulator, DRIFT_HOST);
    const doc = await readEndpoint(drifted, ENDPOINT);
    setQuota(doc, 'IdleTimeoutms', '600000');
    await drifted.put(RESOURCE_URI.configPlugin, { Name: ENDPOINT }, pluginConfigSpec(doc));
    drifted.close();

    say('terraform plan in the synthesized stack: the drift, on that host only (and the ended patch run, to collect)');
    const planned = await plannedChanges(env);
    // The refresh only looked at the patch run's session; once it ended, the apply collects its output.
    const collects = planned.filter((c) => c.address.includes('psremoting_command.patch'));
    for (const c of collects) console.log(`  planned: ${c.address}: collect its output`);
    const changes = planned.filter((c) => !collects.includes(c));
    const driftEndpoint = emulator.hosts.find((h) => h.name === DRIFT_HOST)!.endpoint;
    const [change] = changes;
    const expected =
      changes.length === 1 &&
      change !== undefined &&
      change.host === driftEndpoint &&
      change.actions.join() === 'update' &&
      change.attributes.join() === 'idle_timeout_sec';
    if (!expected || change === undefined)
      throw new Error(`the plan should update idle_timeout_sec on ${DRIFT_HOST} only, but plans ${JSON.stringify(changes)}`);
    console.log(`  planned: ${change.address} (${DRIFT_HOST}): ${change.attributes.join(', ')}`);

    say('cdktf deploy: converge');
    t = Date.now();
    await expectExit('cdktf deploy', cdktf(['deploy', '--auto-approve', '--skip-provider-lock'], env), [0]);
    const convergeSeconds = (Date.now() - t) / 1000;

    say('The disconnected patch run, collected by this apply: completed, its output in the state');
    const patched = showPsrpCommands();
    if (patched?.status !== 'completed' || !/patch applied/.test(patched.stdout ?? ''))
      throw new Error(`the patch run should be completed with its output, but is ${JSON.stringify(patched)}`);

    say('terraform plan -detailed-exitcode: nothing left to do');
    await expectExit('terraform plan', terraform(['plan', '-detailed-exitcode', '-no-color'], env), [0]);

    say(
      `A JEA endpoint on ${JEA_HOST} (examples/cdktf-jea, the JeaEndpoint construct), then a session in it as ${DEFAULT_USER.name}: an allowed command runs, a hidden one is refused`,
    );
    await jeaStep(emulator);

    say('What every host reports now');
    const commandOutput = new Map(
      stateCommands()
        .filter((c) => c.shell === 'cmd')
        .map((c) => [c.host, `${c.exit_code} ${(c.stdout ?? '').trim()}`]),
    );
    console.log(
      '  host  endpoint              IdleTimeoutms  MaxIdleTimeoutms  OutputBufferingMode  MaxShellsPerUser  command (exit, stdout)',
    );
    for (const h of emulator.hosts) {
      const c = client(emulator, h.name);
      for (const name of [ENDPOINT, 'microsoft.powershell']) {
        const p = await readEndpoint(c, name);
        const q = (n: 'IdleTimeoutms' | 'MaxIdleTimeoutms' | 'MaxShellsPerUser'): string => getQuota(p, n) ?? '-';
        const command = name === ENDPOINT ? (commandOutput.get(h.endpoint) ?? '-') : '';
        console.log(
          `  ${h.name.padEnd(5)} ${name.padEnd(21)} ${q('IdleTimeoutms').padEnd(14)} ${q('MaxIdleTimeoutms').padEnd(17)} ${(p.outputBufferingMode ?? '-').padEnd(20)} ${q('MaxShellsPerUser').padEnd(17)} ${command}`,
        );
      }
      c.close();
    }
    say(
      `Done in ${((Date.now() - started) / 1000).toFixed(0)} s (first deploy ${deploySeconds.toFixed(0)} s, converge ${convergeSeconds.toFixed(0)} s). The synthesized stack is in .demo/; run \`npm run demo\` again any time.`,
    );
  } finally {
    await emulator.stop();
  }
}

main().catch((e: Error) => {
  console.error(`\ndemo failed: ${e.message}`);
  process.exitCode = 1;
});
