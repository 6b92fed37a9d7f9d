/**
 * The fleet example (examples/cdktf-fleet) end to end on the emulator: two host groups become two
 * stacks with separate states; `cdktf deploy '*'` deploys them in parallel, each state holds only its
 * own group's endpoints, each stack then plans empty on its own, and one stack deploys alone.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_USER, startEmulator, type EmulatorHandle } from '../../src/emulator';
import { cdktfEnv, cdktfOutputDir } from '../../examples/cdktf/cli-env';
import { fleetStateFile, stackName } from '../../examples/cdktf-fleet/fleet-env';
import { installProviders, repoRoot } from '../support/terraform';

jest.setTimeout(400_000);

interface Result {
  code: number | null;
  output: string;
}

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

const exampleDir = join(repoRoot, 'examples/cdktf-fleet');
const cdktfBin = join(repoRoot, 'node_modules/.bin/cdktf');
const GROUPS = { web: ['win1', 'win2'], db: ['win3'] } as const;

let emulator: EmulatorHandle;
let workdir: string;
let env: NodeJS.ProcessEnv;
const endpointOf = (name: string): string => emulator.hosts.find((h) => h.name === name)!.endpoint;
const cdktf = (args: string[], timeoutMs = 240_000) =>
  run(cdktfBin, [...args, '--output', cdktfOutputDir(workdir)], exampleDir, env, timeoutMs);
const must = (r: Result, what: string): Result => {
  if (r.code !== 0) throw new Error(`${what} exited with ${r.code}:\n${r.output.slice(-4000)}`);
  return r;
};
const endpointsInState = (group: string): string[] => {
  const state = JSON.parse(readFileSync(fleetStateFile(workdir, group), 'utf8'));
  return state.resources
    .filter((r: { type: string }) => r.type === 'psremoting_session_configuration')
    .flatMap((r: { instances: { attributes: { host: string; name: string } }[] }) =>
      r.instances.map((i) => `${i.attributes.host}/${i.attributes.name}`),
    )
    .sort();
};

beforeAll(async () => {
  installProviders();
  emulator = await startEmulator({ hosts: ['win1', 'win2', 'win3'], restartMs: 200, log: () => undefined });
  mkdirSync(join(repoRoot, '.tmp', 'e2e'), { recursive: true });
  workdir = mkdtempSync(join(repoRoot, '.tmp', 'e2e', 'cdktf-fleet-'));
  env = cdktfEnv(repoRoot, workdir, {
    PSREMOTING_HOST_GROUPS: Object.entries(GROUPS)
      .map(([g, hosts]) => `${g}=${hosts.map(endpointOf).join(',')}`)
      .join(';'),
    PSREMOTING_USERNAME: DEFAULT_USER.name,
    PSREMOTING_PASSWORD: DEFAULT_USER.password,
  });
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

test("one stack per host group, deployed in parallel with cdktf deploy '*', one state per stack", async () => {
  must(await cdktf(['deploy', '*', '--auto-approve', '--skip-provider-lock', '--parallelism', '2']), "cdktf deploy '*'");
  for (const [group, hosts] of Object.entries(GROUPS)) {
    expect(endpointsInState(group)).toEqual(hosts.map((h) => `${endpointOf(h)}/Ops.Fleet`).sort());
    const plan = await run(
      'terraform',
      ['plan', '-detailed-exitcode', '-no-color'],
      join(cdktfOutputDir(workdir), 'stacks', stackName(group)),
      env,
      120_000,
    );
    expect({ group, code: plan.code, tail: plan.output.slice(-1500) }).toMatchObject({ group, code: 0 });
  }
  for (const h of ['win1', 'win2', 'win3']) {
    const res = await fetch(`${emulator.control}/hosts/${h}`);
    expect(((await res.json()) as { restarts: number }).restarts).toBe(1); // one restart per host, whatever its stack
  }
});

test('a stack deploys on its own, leaving the other stack and its state alone', async () => {
  const before = readFileSync(fleetStateFile(workdir, 'web'), 'utf8');
  const deploy = must(
    await cdktf(['deploy', stackName('db'), '--auto-approve', '--skip-provider-lock']),
    `cdktf deploy ${stackName('db')}`,
  );
  expect(deploy.output).not.toContain(stackName('web'));
  expect(readFileSync(fleetStateFile(workdir, 'web'), 'utf8')).toBe(before);
  expect(endpointsInState('db')).toEqual([`${endpointOf('win3')}/Ops.Fleet`]);
});
