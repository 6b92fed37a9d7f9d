/**
 * psremoting_session_configuration under real terraform against the emulator: validation before any
 * request, several hosts and endpoints, drift made by another client, import and tuning of
 * microsoft.powershell, forgetting (not deleting) it on destroy, a host down, an apply interrupted before its
 * restart, destroy.
 */
import { applyDesired } from '../../src/host/session-configuration';
import {
  createWorkdir,
  installProviders,
  killGroup,
  requiredProviders,
  startTerraform,
  type TerraformResult,
  type Workdir,
} from '../support/terraform';
import { waitFor } from '../support/wait-for';
import {
  credentialsEnv,
  endpointBlock,
  providerBlock,
  startEmulatorEnv,
  terraformIn,
  type EmulatorEnv,
} from '../support/session-configuration-env';

jest.setTimeout(180_000);

const HOSTS = ['win1', 'win2', 'win3'];
let env: EmulatorEnv;
let wd: Workdir;
const tf = (args: string[]): Promise<TerraformResult> => terraformIn(wd, args);
const signal = new AbortController().signal;
/** Terraform wraps diagnostics to the terminal width: compare text with white space collapsed. */
const flat = (text: string): string => text.replace(/[\s│]+/g, ' ');

/** The managed endpoints; tests change settings here and rewrite main.tf. */
const endpoints: Record<string, { host: string; name: string; settings: Record<string, string | number | boolean> }> = {};
const extraHcl = '';
let providerExtra = '';
function writeConfig(): void {
  const blocks = Object.entries(endpoints).map(([label, e]) => endpointBlock(label, env.address(e.host), e.name, e.settings));
  wd.write('main.tf', `${requiredProviders('psremoting')}${providerBlock(providerExtra)}${blocks.join('\n')}${extraHcl}`);
}

async function restarts(host: string): Promise<number> {
  return (await env.control.host(host)).restarts;
}

async function stored(host: string, name: string) {
  return env.otherClient().host(env.address(host)).freshPlugin(name, signal);
}

beforeAll(async () => {
  installProviders();
  env = await startEmulatorEnv(HOSTS);
  wd = createWorkdir('session-configuration', {});
  endpoints.w1a = { host: 'win1', name: 'tf.alpha', settings: { idle_timeout_sec: 600, max_sessions: 10 } };
  endpoints.w1b = { host: 'win1', name: 'tf.beta', settings: { output_buffering_mode: 'Drop' } };
  endpoints.w2a = { host: 'win2', name: 'tf.alpha', settings: { idle_timeout_sec: 900 } };
  writeConfig();
  expect((await tf(['init'])).code).toBe(0);
});
afterAll(async () => {
  wd?.remove();
  await env?.stop();
});

test('invalid values are stopped at plan with attribute paths and no request to any host', async () => {
  endpoints.bad = {
    host: 'win3',
    name: 'tf.bad',
    settings: { idle_timeout_sec: 10, output_buffering_mode: 'block', process_idle_timeout_sec: 60 },
  };
  writeConfig();
  try {
    await env.resetCounters();
    const r = await tf(['plan']);
    expect(r.code).toBe(1);
    const text = flat(r.stderr);
    expect(text).toMatch(/idle_timeout_sec must be from 60 to 2147483, got 10/);
    expect(text).toMatch(/write it as "Block"/);
    expect(text).toMatch(/process_idle_timeout_sec can be non-zero only when use_shared_process is true/);
    expect(text).toMatch(
      /with psremoting_session_configuration\.bad, on main\.tf line \d+, in resource "psremoting_session_configuration" "bad": \d+: idle_timeout_sec = 10/,
    );
    for (const h of HOSTS) expect((await env.counters(h)).total).toBe(0);
  } finally {
    delete endpoints.bad;
    writeConfig();
  }
});

test('apply creates endpoints on several hosts with one WinRM restart per host; the next plan is empty', async () => {
  const before = await Promise.all(HOSTS.map(restarts));
  const r = await tf(['apply', '-auto-approve']);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/Apply complete! Resources: 3 added, 0 changed, 0 destroyed/);
  const after = await Promise.all(HOSTS.map(restarts));
  expect(after.map((n, i) => n - before[i]!)).toEqual([1, 1, 0]);
  const alpha = await stored('win1', 'tf.alpha');
  expect(alpha?.quotas?.entries).toEqual(
    expect.arrayContaining([
      { name: 'IdleTimeoutms', value: '600000' },
      { name: 'MaxShells', value: '10' },
    ]),
  );
  expect((await stored('win1', 'tf.beta'))?.outputBufferingMode).toBe('Drop');
  const state = JSON.parse((await tf(['show', '-json'])).stdout);
  const w1a = state.values.root_module.resources.find((x: { name: string }) => x.name === 'w1a').values;
  expect(w1a).toMatchObject({
    idle_timeout_sec: 600,
    max_sessions: 10,
    max_idle_timeout_sec: 2147483,
    output_buffering_mode: 'Block',
    restart_pending: false,
  });
  expect(w1a.reported).toMatchObject({
    Name: 'tf.alpha',
    IdleTimeoutms: '600000',
    MaxShells: '10',
    Permission: expect.stringContaining('AccessAllowed'),
  });
  expect((await tf(['plan', '-detailed-exitcode'])).code).toBe(0);
});

test('a change made on one host by another client shows as exactly that attribute on that host; apply converges', async () => {
  const host = env.otherClient().host(env.address('win2'));
  const doc = await host.freshPlugin('tf.alpha', signal);
  await host.putPlugin(applyDesired(doc!, { idle_timeout_sec: 1200, max_sessions: 3 }), signal); // max_sessions is not managed there
  const plan = await tf(['plan', '-detailed-exitcode']);
  expect(plan.code).toBe(2);
  expect(plan.stdout).toMatch(/Plan: 0 to add, 1 to change, 0 to destroy/);
  expect(plan.stdout).toMatch(/psremoting_session_configuration\.w2a will be updated in-place/);
  const changed = plan.stdout.split('\n').filter((l) => /^\s+~ /.test(l) && !/update in-place$/.test(l));
  // session_view: the write is verified by a new session after the restart.
  expect(changed.map((l) => l.trim().split(/\s+/)[1])).toEqual(['resource', 'idle_timeout_sec', 'reported', 'session_view']);
  expect(plan.stdout).toMatch(/~ idle_timeout_sec\s+= 1200 -> 900/);

  const apply = await tf(['apply', '-auto-approve']);
  expect(apply.code).toBe(0);
  expect(apply.stdout).toMatch(/Resources: 0 added, 1 changed, 0 destroyed/);
  const after = await stored('win2', 'tf.alpha');
  expect(after?.quotas?.entries).toEqual(
    expect.arrayContaining([
      { name: 'IdleTimeoutms', value: '900000' },
      { name: 'MaxShells', value: '3' },
    ]),
  );
  expect((await tf(['plan', '-detailed-exitcode'])).code).toBe(0);
});

test('microsoft.powershell is imported by host/name, then tuned', async () => {
  endpoints.ps = { host: 'win3', name: 'microsoft.powershell', settings: {} };
  writeConfig();
  const imp = await tf(['import', 'psremoting_session_configuration.ps', `${env.address('win3')}/microsoft.powershell`]);
  expect(imp.stderr).toBe('');
  expect(imp.stdout).toMatch(/Import successful/);
  const plan = await tf(['plan', '-detailed-exitcode']);
  expect(plan.stdout).toMatch(/No changes/);
  expect(plan.code).toBe(0);

  endpoints.ps.settings = { max_sessions_per_user: 10, idle_timeout_sec: 3600 };
  writeConfig();
  const apply = await tf(['apply', '-auto-approve']);
  expect(apply.code).toBe(0);
  expect(apply.stdout).toMatch(/Resources: 0 added, 1 changed, 0 destroyed/);
  const ps = await stored('win3', 'microsoft.powershell');
  expect(ps?.quotas?.entries).toEqual(
    expect.arrayContaining([
      { name: 'MaxShellsPerUser', value: '10' },
      { name: 'IdleTimeoutms', value: '3600000' },
    ]),
  );
  expect((await tf(['plan', '-detailed-exitcode'])).code).toBe(0);
});

test('creating an endpoint that exists fails the plan, naming the terraform import command and the way to destroy meanwhile', async () => {
  endpoints.dup = { host: 'win3', name: 'microsoft.powershell32', settings: { max_sessions: 5 } };
  writeConfig();
  const command = `terraform import 'psremoting_session_configuration.<resource name>' '${env.address('win3')}/microsoft.powershell32'`;
  try {
    const plan = await tf(['plan']);
    expect(plan.code).toBe(1);
    expect(flat(plan.stderr)).toContain(`Error: Session configuration already exists`);
    expect(flat(plan.stderr)).toContain(
      `already exists on ${env.address('win3')}, and terraform did not create it. To manage it, import it: ${command}`,
    );
    // terraform destroy plans the configuration first (its pre-destroy refresh); without that refresh it is not stopped.
    expect(flat(plan.stderr)).toContain('run terraform destroy -refresh=false');
    expect((await tf(['plan', '-destroy', '-refresh=false'])).code).toBe(0);
    expect((await stored('win3', 'microsoft.powershell32'))?.quotas?.entries).toEqual(
      expect.arrayContaining([{ name: 'MaxShells', value: '2147483647' }]),
    );
  } finally {
    delete endpoints.dup;
    writeConfig();
  }
});

test('destroying the adopted microsoft.powershell only forgets it: the plan says so, the endpoint stays as tuned', async () => {
  const plan = await tf(['plan', '-destroy', '-target=psremoting_session_configuration.ps']);
  expect(plan.code).toBe(0);
  expect(flat(plan.stdout + plan.stderr)).toContain('A built-in session configuration is only forgotten');
  const r = await tf(['destroy', '-auto-approve', '-target=psremoting_session_configuration.ps']);
  expect(r.code).toBe(0);
  expect(flat(r.stdout + r.stderr)).toContain('A built-in session configuration was only forgotten');
  expect((await stored('win3', 'microsoft.powershell'))?.quotas?.entries).toEqual(
    expect.arrayContaining([{ name: 'MaxShellsPerUser', value: '10' }]),
  );
  delete endpoints.ps;
  writeConfig();
  expect((await tf(['plan', '-detailed-exitcode'])).code).toBe(0);
});

test('a host that is down fails the plan, naming it; with allow_stale_state it costs only its own resources; a later apply converges', async () => {
  endpoints.w1a!.settings.max_sessions = 20;
  endpoints.w2a!.settings.max_sessions = 20;
  writeConfig();
  await env.control.down('win2');
  try {
    // A drift check must not pass while a host could not be looked at.
    const check = await tf(['plan', '-detailed-exitcode']);
    expect(check.code).toBe(1);
    expect(flat(check.stderr)).toMatch(
      new RegExp(`${env.address('win2').replace(/\./g, '\\.')}.* is unreachable.*allow_stale_state = true`),
    );
    providerExtra = '  allow_stale_state = true\n';
    writeConfig();
    const r = await tf(['apply', '-auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/127\.0\.0\.1/);
    expect((await stored('win1', 'tf.alpha'))?.quotas?.entries).toEqual(expect.arrayContaining([{ name: 'MaxShells', value: '20' }]));
  } finally {
    await env.control.up('win2');
    providerExtra = '';
    writeConfig();
  }
  const again = await tf(['apply', '-auto-approve']);
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/Resources: 0 added, 1 changed, 0 destroyed/);
  expect((await tf(['plan', '-detailed-exitcode'])).code).toBe(0);
});

test('an apply whose restart never completes converges on the next apply', async () => {
  endpoints.w1b!.settings.output_buffering_mode = 'Block';
  writeConfig();
  await env.control.setRestartHang('win1', true);
  let failed: TerraformResult;
  try {
    failed = await tf(['apply', '-auto-approve']);
  } finally {
    await env.control.setRestartHang('win1', false);
  }
  expect(failed.code).toBe(1);
  expect(flat(failed.stderr)).toMatch(/WinRM restart failed on http:\/\/127\.0\.0\.1:\d+\/wsman/);
  const before = await restarts('win1');
  const plan = await tf(['plan', '-detailed-exitcode']);
  expect(plan.code).toBe(2);
  expect(plan.stdout).toMatch(/~ restart_pending\s+= true -> false/);
  const apply = await tf(['apply', '-auto-approve']);
  expect(apply.code).toBe(0);
  expect((await restarts('win1')) - before).toBe(1);
  expect((await tf(['plan', '-detailed-exitcode'])).code).toBe(0);
});

test('an apply killed after its write and before its restart leaves the host owing the restart: the next plan shows it and converges', async () => {
  endpoints.w1a!.settings.max_sessions = 33;
  writeConfig();
  const before = await restarts('win1');
  const run = startTerraform(wd.dir, ['apply', '-auto-approve'], { env: credentialsEnv, timeoutMs: 90_000 });
  // The coalesced restart waits for a quiet period after the last write: kill terraform inside it.
  await waitFor(
    async () => (await stored('win1', 'tf.alpha'))?.quotas?.entries.some((e) => e.name === 'MaxShells' && e.value === '33') === true,
    'the new value to be stored on win1',
    60_000,
  );
  killGroup(run.child, 'SIGKILL');
  await run.result;
  expect(await restarts('win1')).toBe(before); // stored, not yet in effect

  const plan = await tf(['plan', '-detailed-exitcode']);
  expect(plan.code).toBe(2);
  expect(plan.stdout).toMatch(/~ restart_pending\s+= true -> false/);
  const apply = await tf(['apply', '-auto-approve']);
  expect(apply.code).toBe(0);
  expect((await restarts('win1')) - before).toBe(1);
  expect((await tf(['plan', '-detailed-exitcode'])).code).toBe(0);
});

test('destroy unregisters the endpoints', async () => {
  const r = await tf(['destroy', '-auto-approve']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/Resources: 3 destroyed/);
  expect(await stored('win1', 'tf.alpha')).toBeUndefined();
  expect(await stored('win1', 'tf.beta')).toBeUndefined();
  expect(await stored('win2', 'tf.alpha')).toBeUndefined();
  expect(await stored('win3', 'microsoft.powershell')).toBeDefined();
});
