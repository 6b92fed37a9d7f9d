/**
 * psremoting_command's handlers over PSRP (`configuration_name`) against the emulator's real PowerShell:
 * an endpoint that refuses the user by its SDDL, a disabled one and a missing one each fail with the
 * host's reason; sensitive environment values are masked in stdout, stderr, output_json and the failure
 * diagnostic; stdout, stderr and output_json keep to the output cap.
 */
import { startEmulator, type EmulatorHandle } from '../../src/emulator';
import type { HostPool } from '../../src/host';
import { derivePlan } from '../../src/tfplugin/runtime/plan';
import { emptyObject } from '../../src/tfplugin/schema/empty-object';
import { diagnosticFailure, emulatorPool, handlerContext } from '../support/host-pool';
import { registerEndpoint } from '../support/emulated-endpoint';
import { commandResource } from '../../src/provider/resources/command/command-resource';
import { MAX_OUTPUT_BYTES } from '../../src/provider/resources/command/command-run';
import { mapValue } from '../../src/tfplugin';
import { MASK } from '../../src/tfplugin/log/safe-text';

jest.setTimeout(90_000);

let emulator: EmulatorHandle;
let pool: HostPool;

beforeAll(async () => {
  emulator = await startEmulator({ hosts: ['win1'], allowUnencrypted: true, auth: ['basic'], log: () => undefined });
  // Only a SID the default user does not hold may connect.
  await registerEndpoint(emulator, 0, 'Ops.Denied', { sddl: 'O:NSG:BAD:P(A;;GA;;;S-1-5-21-1-2-3-1001)' });
  await registerEndpoint(emulator, 0, 'Ops.Disabled', { enabled: false });
  pool = emulatorPool();
});
afterAll(async () => {
  await emulator?.stop();
});

const host = () => emulator.hosts[0]!.endpoint;

type Config = Parameters<typeof commandResource.create>[1]['config'];
/** A configuration with nothing set but what the test gives (terraform sends unset attributes as null). */
const config = (over: Partial<Config>): Config => ({
  ...(emptyObject(commandResource.schema) as Config),
  host: host(),
  command: "'hi'",
  configuration_name: 'Microsoft.PowerShell',
  ...over,
});

const plannedFor = (c: Config) =>
  derivePlan(commandResource.schema, null, c, c).planned as Parameters<typeof commandResource.create>[1]['planned'];
const create = (c: Config) => commandResource.create(handlerContext(pool), { planned: plannedFor(c), config: c, private: {} });

describe('an endpoint that does not let the command run fails with the host reason, at configuration_name', () => {
  test.each([
    ['refuses the user by its SDDL', 'Ops.Denied', /AccessDenied .*Access is denied/],
    // Windows answers a disabled endpoint as it answers a missing one.
    ['is disabled', 'Ops.Disabled', /resource URI http:\/\/schemas\.microsoft\.com\/powershell\/Ops\.Disabled was not found/],
    ['does not exist', 'Ops.Missing', /resource URI http:\/\/schemas\.microsoft\.com\/powershell\/Ops\.Missing was not found/],
  ])('an endpoint that %s', async (_, endpoint, reason) => {
    const e = await diagnosticFailure(create(config({ configuration_name: endpoint })));
    expect(e.summary).toBe(`Could not run the command in endpoint "${endpoint}" on ${host()}`);
    expect(e.detail).toMatch(reason);
    expect(e.path).toEqual(['configuration_name']);
  });
});

describe('sensitive environment values over PSRP', () => {
  const secret = 'hunter22-psrp';
  const environment = mapValue([['PSR_TOKEN', secret]]);

  test('are masked in stdout, stderr (warning, error and host records) and output_json', async () => {
    const { state } = await create(
      config({
        command: `"token $env:PSR_TOKEN"; Write-Warning "warn $env:PSR_TOKEN"; Write-Error "err $env:PSR_TOKEN"; Write-Host "host $env:PSR_TOKEN"`,
        environment,
      }),
    );
    expect(state.stdout).toBe(`token ${MASK}\n`);
    expect(state.output_json).toBe(JSON.stringify([`token ${MASK}`]));
    expect(state.stderr).toContain(`WARNING: warn ${MASK}\n`);
    expect(state.stderr).toContain(`Write-Error: err ${MASK}\n`);
    expect(state.stderr).toContain(`host ${MASK}\n`);
    for (const out of [state.stdout, state.stderr, state.output_json]) expect(out).not.toContain(secret);
  });

  test('are masked in the diagnostic of a run that exits non-zero', async () => {
    const e = await diagnosticFailure(create(config({ command: `Write-Error "bad $env:PSR_TOKEN"; exit 2`, environment })));
    expect(e.summary).toMatch(/exit code 2/);
    expect(e.detail).toContain(`bad ${MASK}`);
    expect(e.detail).not.toContain(secret);
  });
});

test('stdout and stderr keep head and tail within the cap, output_json its first objects as valid JSON', async () => {
  // 200 objects of 1000 characters: about 200 KB of each output, over the 128 KiB cap.
  const { state } = await create(
    config({
      command:
        "1..200 | ForEach-Object { '{0:d3}' -f $_ + ('y' * 997) }; 1..200 | ForEach-Object { Write-Warning ('{0:d3}' -f $_ + ('w' * 997)) }",
    }),
  );
  const stdout = state.stdout!;
  const stderr = state.stderr!;
  expect(Buffer.byteLength(stdout)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES + 100);
  expect(stdout).toMatch(/^001y/);
  expect(stdout).toMatch(/\n\[\.\.\. \d+ bytes of output truncated \.\.\.\]\n/);
  expect(stdout).toMatch(/200y+\n$/);
  expect(Buffer.byteLength(stderr)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES + 100);
  expect(stderr).toMatch(/^WARNING: 001w/);
  expect(stderr).toMatch(/\[\.\.\. \d+ bytes of output truncated \.\.\.\]/);
  expect(stderr).toMatch(/WARNING: 200w+\n$/);
  const objects = JSON.parse(state.output_json!) as string[];
  expect(Buffer.byteLength(state.output_json!)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
  expect(objects.length).toBeGreaterThan(100);
  expect(objects.length).toBeLessThan(200);
  expect(objects.map((o) => o.slice(0, 3))).toEqual(objects.map((_, i) => String(i + 1).padStart(3, '0')));
});
