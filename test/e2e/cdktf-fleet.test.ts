/**
 * The fleet example (examples/cdktf-fleet) end to end on the emulator: two host groups become two
 * stacks with separate states; `cdktf deploy '*'` deploys them in parallel, each state holds only its
 * own group's endpoints, each stack then plans empty on its own, and one stack deploys alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmulatorControl } from '../../src/emulator';
import { cdktfOutputDir } from '../../examples/cdktf/cli-env';
import { fleetStateFile, stackName } from '../../examples/cdktf-fleet/fleet-env';
import { cdktfE2E, must } from '../support/cdktf-e2e';
import { repoRoot } from '../support/terraform';

jest.setTimeout(400_000);

const GROUPS = { web: ['win1', 'win2'], db: ['win3'] } as const;

const e2e = cdktfE2E({
  tmpPrefix: 'cdktf-fleet-',
  appDir: join(repoRoot, 'examples/cdktf-fleet'),
  env: (emulator) => ({
    PSREMOTING_HOST_GROUPS: Object.entries(GROUPS)
      .map(([g, hosts]) => `${g}=${hosts.map((h) => emulator.hosts.find((e) => e.name === h)!.endpoint).join(',')}`)
      .join(';'),
  }),
});
const { cdktf, endpointOf, workdir } = e2e;
const endpointsInState = (group: string): string[] => {
  const state = JSON.parse(readFileSync(fleetStateFile(workdir(), group), 'utf8'));
  return state.resources
    .filter((r: { type: string }) => r.type === 'psremoting_session_configuration')
    .flatMap((r: { instances: { attributes: { host: string; name: string } }[] }) =>
      r.instances.map((i) => `${i.attributes.host}/${i.attributes.name}`),
    )
    .sort();
};

test("one stack per host group, deployed in parallel with cdktf deploy '*', one state per stack", async () => {
  must(await cdktf(['deploy', '*', '--auto-approve', '--skip-provider-lock', '--parallelism', '2']), "cdktf deploy '*'");
  for (const [group, hosts] of Object.entries(GROUPS)) {
    expect(endpointsInState(group)).toEqual(hosts.map((h) => `${endpointOf(h)}/Ops.Fleet`).sort());
    const plan = await e2e.terraform(
      ['plan', '-detailed-exitcode', '-no-color'],
      join(cdktfOutputDir(workdir()), 'stacks', stackName(group)),
    );
    expect({ group, code: plan.code, tail: plan.output.slice(-1500) }).toMatchObject({ group, code: 0 });
  }
  for (const h of ['win1', 'win2', 'win3']) {
    expect((await new EmulatorControl(e2e.emulator().control).host(h)).restarts).toBe(1); // one restart per host, whatever its stack
  }
});

test('a stack deploys on its own, leaving the other stack and its state alone', async () => {
  const before = readFileSync(fleetStateFile(workdir(), 'web'), 'utf8');
  const deploy = must(
    await cdktf(['deploy', stackName('db'), '--auto-approve', '--skip-provider-lock']),
    `cdktf deploy ${stackName('db')}`,
  );
  expect(deploy.output).not.toContain(stackName('web'));
  expect(readFileSync(fleetStateFile(workdir(), 'web'), 'utf8')).toBe(before);
  expect(endpointsInState('db')).toEqual([`${endpointOf('win3')}/Ops.Fleet`]);
});
