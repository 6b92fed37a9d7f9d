/**
 * The cdktf example end to end: `cdktf synth` gives the expected terraform JSON, and `cdktf deploy`
 * against three emulated hosts converges so that the next plan is empty.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, DEFAULT_USER, type EmulatorHandle } from '../../src/emulator';
import { cdktfEnv, cdktfOutputDir, cdktfStackDir, stateFile } from '../../examples/cdktf/cli-env';
import { installProviders, repoRoot } from '../support/terraform';
import { SOURCE_ADDRESS } from '../../src/provider/identity';

interface Result {
  code: number | null;
  output: string;
}

/** Runs a program to completion (killed after timeoutMs), collecting stdout and stderr together. */
function run(program: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[test] ${program} ${args.join(' ')} timed out after ${timeoutMs} ms`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const cdktfBin = join(repoRoot, 'node_modules/.bin/cdktf');

describe('cdktf example', () => {
  let emulator: EmulatorHandle;
  let workdir: string;
  let env: NodeJS.ProcessEnv;
  const cdktf = (args: string[], timeoutMs = 120_000) =>
    run(cdktfBin, [...args, '--output', cdktfOutputDir(workdir)], repoRoot, env, timeoutMs);

  beforeAll(async () => {
    installProviders();
    emulator = await startEmulator({ hosts: ['win1', 'win2', 'win3'], restartMs: 200 });
    mkdirSync(join(repoRoot, '.tmp', 'e2e'), { recursive: true });
    workdir = mkdtempSync(join(repoRoot, '.tmp', 'e2e', 'cdktf-'));
    env = cdktfEnv(repoRoot, workdir, {
      PSREMOTING_HOSTS: emulator.hosts.map((h) => h.endpoint).join(','),
      PSREMOTING_USERNAME: DEFAULT_USER.name,
      PSREMOTING_PASSWORD: DEFAULT_USER.password,
    });
  }, 120_000);

  afterAll(async () => {
    await emulator?.stop();
    if (workdir) rmSync(workdir, { recursive: true, force: true });
  });

  it('synthesizes the provider, the endpoints, the import blocks and the commands', async () => {
    const synth = await cdktf(['synth']);
    expect(synth).toMatchObject({ code: 0 });
    const raw = readFileSync(join(cdktfStackDir(workdir), 'cdk.tf.json'), 'utf8');
    expect(raw).not.toContain(DEFAULT_USER.password);
    const stack = JSON.parse(raw);
    const hosts = emulator.hosts.map((h) => h.endpoint).sort();
    const byHost = <T extends Record<string, unknown>>(rows: T[]): T[] =>
      [...rows].sort((a, b) => String(a.host).localeCompare(String(b.host)));

    expect(stack.terraform.required_providers.psremoting).toEqual({ source: SOURCE_ADDRESS, version: '0.1.0' });
    expect(stack.terraform.backend.local.path).toBe(stateFile(workdir));
    expect(stack.provider.psremoting).toEqual([{ auth: 'ntlm' }]);

    const endpoints = Object.values<Record<string, unknown>>(stack.resource.psremoting_session_configuration);
    const withoutMetadata = ({ '//': _, ...rest }: Record<string, unknown>) => rest;
    const ops = byHost(endpoints.filter((e) => e.name === 'Ops.Restricted').map(withoutMetadata));
    expect(ops).toEqual(
      hosts.map((host) => ({
        host,
        name: 'Ops.Restricted',
        idle_timeout_sec: 3600,
        max_idle_timeout_sec: 7200,
        output_buffering_mode: 'Drop',
        max_sessions_per_user: 5,
        max_concurrent_users: 10,
        max_memory_per_session_mb: 512,
      })),
    );
    expect(byHost(endpoints.filter((e) => e.name === 'microsoft.powershell').map(withoutMetadata))).toEqual(
      hosts.map((host) => ({ host, name: 'microsoft.powershell', idle_timeout_sec: 5400 })),
    );
    expect(stack.import.map((i: { id: string }) => i.id).sort()).toEqual(hosts.map((h) => `${h}/microsoft.powershell`));

    const all = Object.values<Record<string, unknown>>(stack.resource.psremoting_command);
    const commands = byHost(all.filter((c) => c.shell === 'cmd'));
    expect(commands.map((c) => [c.host, c.shell, c.command])).toEqual(hosts.map((h) => [h, 'cmd', 'echo configured']));
    expect(all.every((c) => (c.depends_on as string[]).length === (c.shell === 'cmd' ? 1 : 2))).toBe(true);
    const psrp = all.filter((c) => c.configuration_name === 'Ops.Restricted');
    expect(psrp.map((c) => [c.host, c.disconnected ?? null])).toEqual([
      [emulator.hosts[0]!.endpoint, null],
      [emulator.hosts[0]!.endpoint, { idle_timeout_sec: 3600, output_buffering_mode: 'Block', wait: false }],
    ]);
  }, 120_000);

  it('deploys to the emulated hosts and converges: the next plan is empty', async () => {
    const deploy = await cdktf(['deploy', '--auto-approve', '--skip-provider-lock'], 240_000);
    if (deploy.code !== 0) throw new Error(`cdktf deploy exited with ${deploy.code}:\n${deploy.output.slice(-4000)}`);

    const plan = await run('terraform', ['plan', '-detailed-exitcode', '-no-color'], cdktfStackDir(workdir), env, 120_000);
    expect({ code: plan.code, tail: plan.output.slice(-1500) }).toMatchObject({ code: 0 });

    const state = JSON.parse(readFileSync(stateFile(workdir), 'utf8'));
    const commands = state.resources.filter((r: { type: string }) => r.type === 'psremoting_command');
    const outputs = commands.flatMap((r: { instances: { attributes: { stdout: string; exit_code: number; shell: string } }[] }) =>
      r.instances.filter((i) => i.attributes.shell === 'cmd').map((i) => [i.attributes.exit_code, i.attributes.stdout.trim()]),
    );
    expect(outputs).toEqual(emulator.hosts.map(() => [0, 'configured']));
    expect(state.resources.filter((r: { type: string }) => r.type === 'psremoting_session_configuration')).toHaveLength(
      2 * emulator.hosts.length,
    );
  }, 300_000);
});
