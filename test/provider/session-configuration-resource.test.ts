/**
 * psremoting_session_configuration's handlers against the emulator, with the runtime's own plan
 * derivation: names that differ only in letter case, and plans made before the provider block is known.
 */
import { existsSync } from 'node:fs';
import { EmulatorControl, startEmulator, type EmulatorHandle } from '../../src/emulator';
import type { HostPool } from '../../src/host';
import { configurationFilePath } from '../../src/host/jea';
import { sessionConfigurationResource as resource } from '../../src/provider/resources/session-configuration/session-configuration-resource';
import { unknown, type Value } from '../../src/tfplugin';
import { derivePlan } from '../../src/tfplugin/runtime/plan';
import { diagnosticFailure, emulatorPool, handlerContext, providerState, unknownProviderState } from '../support/host-pool';

jest.setTimeout(30_000);

let emulator: EmulatorHandle;
let pool: HostPool;

beforeAll(async () => {
  emulator = await startEmulator({ hosts: ['win1'], allowUnencrypted: true, auth: ['basic'], log: () => undefined });
  pool = emulatorPool();
});
afterAll(() => emulator.stop());

const host = () => emulator.hosts[0]!.endpoint;
const ctx = () => handlerContext(pool);

type Config = Parameters<typeof resource.create>[1]['config'];
type State = Parameters<typeof resource.read>[1]['state'];
const config = (over: Record<string, Value>): Config => {
  const nulls = Object.fromEntries(Object.keys(resource.schema.attributes).map((k) => [k, null]));
  return { ...nulls, host: host(), ...over } as unknown as Config;
};

/** What PlanResourceChange does: the runtime's derived plan, then the resource's hook. */
async function plan(c: ReturnType<typeof ctx>, prior: State | null, cfg: Config) {
  const proposed = { ...(prior ?? {}), ...Object.fromEntries(Object.entries(cfg).filter(([, v]) => v !== null)) } as Value;
  const derived = derivePlan(resource.schema, prior, cfg, prior === null ? cfg : proposed);
  const hook = await resource.plan!(c, { prior, config: cfg, planned: derived.planned as never, private: {} });
  return { requiresReplace: [...derived.requiresReplace, ...(hook?.requiresReplace ?? [])] };
}

describe('endpoint names, which Windows compares case-insensitively', () => {
  let state: State;
  beforeAll(async () => {
    state = (await resource.create(ctx(), { planned: config({ name: 'Case.Ep' }), config: config({ name: 'Case.Ep' }), private: {} }))
      .state;
  });

  it('a change of letter case only updates the state, keeping the configured spelling', async () => {
    const recased = config({ name: 'case.ep' });
    expect((await plan(ctx(), state, recased)).requiresReplace).toEqual([]);
    const updated = (await resource.update(ctx(), { prior: state, planned: recased, config: recased, private: {} })).state;
    expect(updated.name).toBe('case.ep');
    expect((await resource.read(ctx(), { state: updated, private: {} })).state?.name).toBe('case.ep');
  });

  it('another spelling of the same host updates in place; another host replaces', async () => {
    const port = new URL(host()).port;
    expect((await plan(ctx(), state, config({ name: 'Case.Ep', host: `127.0.0.1:${port}` }))).requiresReplace).toEqual([]);
    expect((await plan(ctx(), state, config({ name: 'Case.Ep', host: `HTTP://127.0.0.1:${port}` }))).requiresReplace).toEqual([]);
    expect((await plan(ctx(), state, config({ name: 'Case.Ep', host: `127.0.0.2:${port}` }))).requiresReplace).toEqual([['host']]);
  });

  it('any other change of name replaces the endpoint', async () => {
    expect((await plan(ctx(), state, config({ name: 'Case.Other' }))).requiresReplace).toEqual([['name']]);
  });

  it('import keeps the spelling of the import id', async () => {
    const { state: stub } = await resource.import!(ctx(), { id: `${host()}/CASE.EP` });
    expect((await resource.read(ctx(), { state: stub as State, private: {} })).state?.name).toBe('CASE.EP');
  });
});

it('plans a create while the provider block is known only after apply (host checks skipped, nothing fails)', async () => {
  const c = { ...ctx(), provider: unknownProviderState };
  await plan(c, null, config({ name: 'later.ep', idle_timeout_sec: 900 }));
  expect(c.diagnostics.items).toEqual([]);
});

it('a refresh or plan against a host that is down fails by default, naming the host and the way out', async () => {
  const state = (await resource.create(ctx(), { planned: config({ name: 'gone.ep' }), config: config({ name: 'gone.ep' }), private: {} }))
    .state;
  const down = emulatorPool();
  await new EmulatorControl(emulator.control).down('win1');
  try {
    const reading = { ...ctx(), provider: providerState(down) };
    const error = await diagnosticFailure(resource.read(reading, { state, private: {} }));
    expect(error.summary).toBe(`${down.host(host()).label} is unreachable`);
    expect(error.detail).toMatch(/Nothing on this host was checked.*allow_stale_state = true/);
    const planning = { ...ctx(), provider: providerState(down) };
    await diagnosticFailure(plan(planning, null, config({ name: 'new.ep', max_sessions_per_user: 5 })));
  } finally {
    await new EmulatorControl(emulator.control).up('win1');
  }
});

it('with allow_stale_state, a host that is down gives one warning saying what was skipped, and the last known state', async () => {
  const state = (await resource.create(ctx(), { planned: config({ name: 'stale.ep' }), config: config({ name: 'stale.ep' }), private: {} }))
    .state;
  const down = emulatorPool();
  await new EmulatorControl(emulator.control).down('win1');
  try {
    const planning = { ...ctx(), provider: providerState(down, { allowStaleState: true }) };
    await plan(planning, null, config({ name: 'new.ep', max_sessions_per_user: 5 }));
    expect(planning.diagnostics.items).toEqual([
      expect.objectContaining({
        severity: 'warning',
        summary: expect.stringContaining('is unreachable'),
        detail: expect.stringContaining('checks against this host'),
      }),
    ]);
    const reading = { ...ctx(), provider: providerState(down, { allowStaleState: true }) };
    expect((await resource.read(reading, { state, private: {} })).state).toBe(state);
    expect(reading.diagnostics.items).toEqual([
      expect.objectContaining({ severity: 'warning', detail: expect.stringContaining('last known state') }),
    ]);
  } finally {
    await new EmulatorControl(emulator.control).up('win1');
  }
});

it('a create on a host that is down fails as the create, naming the endpoint and the host', async () => {
  // With restart = "immediate" the first request of a create reads the host's restart marker.
  const restarting = emulatorPool({ restart: 'immediate' });
  await new EmulatorControl(emulator.control).down('win1');
  try {
    const c = { ...ctx(), provider: providerState(restarting) };
    const cfg = config({ name: 'down.ep' });
    const error = await diagnosticFailure(resource.create(c, { planned: cfg, config: cfg, private: {} }));
    expect(error.summary).toBe(`Creating session configuration "down.ep" on ${restarting.host(host()).label} failed`);
  } finally {
    await new EmulatorControl(emulator.control).up('win1');
  }
});

it('an SDDL that opens the endpoint to everyone is planned with a warning naming the effect', async () => {
  const c = ctx();
  await plan(c, null, config({ name: 'open.ep', security_descriptor_sddl: 'O:BA' }));
  expect(c.diagnostics.items).toContainEqual(
    expect.objectContaining({
      severity: 'warning',
      path: ['security_descriptor_sddl'],
      detail: expect.stringMatching(/NULL DACL\): everyone, anonymous callers included, gets full access/),
    }),
  );
});

it('the checks a plan skipped for unknown values run at apply, before any write', async () => {
  // Planned with max_idle_timeout_sec unknown; known at apply as 3600, below Register's idle 7200.
  const cfg = config({ name: 'late.ep', max_idle_timeout_sec: 3600 });
  const error = await diagnosticFailure(resource.create(ctx(), { planned: cfg, config: cfg, private: {} }));
  expect(error.detail).toMatch(/idle_timeout_sec \(7200\) must not exceed max_idle_timeout_sec \(3600\)/);
  expect(await pool.host(host()).freshPlugin('late.ep', new AbortController().signal)).toBeUndefined();
});

it('a value known only after apply is not checked as if unset at plan', async () => {
  // idle_timeout_sec = terraform_data.x.output (600) with max_idle_timeout_sec = 3600: Register's 7200 does not apply.
  const c = ctx();
  await plan(c, null, config({ name: 'later-idle.ep', idle_timeout_sec: unknown, max_idle_timeout_sec: 3600 }));
  expect(c.diagnostics.items.filter((d) => d.severity === 'error')).toEqual([]);
});

it('a wrong password fails naming the likely fix and the settings to check', async () => {
  const wrong = emulatorPool({ auth: { kind: 'basic', username: 'vagrant', password: 'not-the-password', allowUnencrypted: true } });
  const c = { ...ctx(), provider: providerState(wrong) };
  const state = config({ name: 'any.ep' }) as unknown as State;
  const error = await diagnosticFailure(resource.read(c, { state, private: {} }));
  expect(error.detail).toMatch(
    /HTTP 401: the host refused basic authentication.*Check username and password \(or PSREMOTING_USERNAME and PSREMOTING_PASSWORD\)/,
  );
});

describe('plans show what the host will report', () => {
  async function planned(prior: State | null, cfg: Config) {
    const proposed = { ...(prior ?? {}), ...Object.fromEntries(Object.entries(cfg).filter(([, v]) => v !== null)) } as Value;
    const derived = derivePlan(resource.schema, prior, cfg, prior === null ? cfg : proposed);
    const hook = await resource.plan!(ctx(), { prior, config: cfg, planned: derived.planned as never, private: {} });
    return (hook?.planned ?? derived.planned) as Record<string, Value>;
  }
  const unknowns = (v: Record<string, Value>) => Object.keys(v).filter((k) => v[k] === unknown);

  it('a create is known in full (Register writes fixed defaults), and the create returns exactly that', async () => {
    const cfg = config({ name: 'plan.exact', idle_timeout_sec: 900 });
    const plan = await planned(null, cfg);
    // Only the view of the session that verifies the endpoint after the write waits for the apply.
    expect(unknowns(plan)).toEqual(['session_view']);
    expect(plan).toMatchObject({
      max_sessions: 2147483647,
      output_buffering_mode: 'Block',
      reported: expect.objectContaining({ IdleTimeoutms: '900000' }),
    });
    const { state } = await resource.create(ctx(), { planned: plan as never, config: cfg, private: {} });
    expect(state.session_view).not.toBe(unknown);
    expect(state).toEqual({ ...plan, session_view: state.session_view });
  });

  it('an update leaves unmanaged settings known, and the reported view as it is when nothing on the host changes', async () => {
    const cfg = config({ name: 'plan.exact2', idle_timeout_sec: 900 });
    const { state } = await resource.create(ctx(), { planned: cfg, config: cfg, private: {} });
    const tuning = await planned(state, config({ name: 'plan.exact2', idle_timeout_sec: 1200 }));
    expect(unknowns(tuning).sort()).toEqual(['reported', 'session_view']);
    expect(tuning.max_sessions).toBe(2147483647);
    const forgetting = await planned(state, config({ name: 'plan.exact2', idle_timeout_sec: 900, allow_builtin_destroy: true }));
    expect(unknowns(forgetting)).toEqual([]);
    expect(forgetting.reported).toEqual(state.reported);
  });
});

describe('role definitions, checked against the host', () => {
  const fileBlock = (roleDefinitions: Value): Value => ({
    ...Object.fromEntries(Object.keys(resource.schema.blocks!.configuration_file.attributes).map((k) => [k, null])),
    session_type: 'RestrictedRemoteServer',
    role_definitions: roleDefinitions,
  });
  const onDrive = (name: string): boolean => existsSync(emulator.virtualHosts[0]!.drive.localPath(configurationFilePath(name))!);
  const plugin = (name: string) => pool.host(host()).freshPlugin(name, new AbortController().signal);

  it('a role capability that neither is declared nor exists on the host: the plan warns, the apply fails before any write', async () => {
    const cfg = config({
      name: 'roles.missing',
      configuration_file: fileBlock({ 'BUILTIN\\Administrators': { role_capabilities: ['NoSuchRole'], role_capability_files: null } }),
    });
    const c = ctx();
    await plan(c, null, cfg);
    // Only a warning: a psremoting_role_capability created earlier in the same apply is not on the host yet.
    expect(c.diagnostics.items.filter((d) => d.severity === 'error')).toEqual([]);
    expect(c.diagnostics.items).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        summary: 'Role capability not found on the host',
        path: ['configuration_file', 'role_definitions'],
        detail: expect.stringContaining('"NoSuchRole"'),
      }),
    );
    const error = await diagnosticFailure(resource.create(ctx(), { planned: cfg, config: cfg, private: {} }));
    expect(error.summary).toBe('Role capability not found');
    expect(error.detail).toMatch(/role_definitions name "NoSuchRole", which no module on .* holds/);
    expect(onDrive('roles.missing')).toBe(false);
    expect(await plugin('roles.missing')).toBeUndefined();
  });

  it('a role definition principal the host cannot translate to a SID fails the apply before any write', async () => {
    const cfg = config({
      name: 'roles.nobody',
      configuration_file: fileBlock({
        'NT AUTHORITY\\Nobody Here': { role_capabilities: null, role_capability_files: ['C:\\Jea\\Ops.psrc'] },
      }),
    });
    const error = await diagnosticFailure(resource.create(ctx(), { planned: cfg, config: cfg, private: {} }));
    expect(error.summary).toBe('Role definition principal not found');
    expect(error.detail).toMatch(/cannot translate "NT AUTHORITY\\Nobody Here" to a SID/);
    expect(onDrive('roles.nobody')).toBe(false);
    expect(await plugin('roles.nobody')).toBeUndefined();
  });
});

it('an endpoint in the state planned again as a create (tainted, or -replace) is not refused as one terraform did not create', async () => {
  const cfg = config({ name: 'tainted.ep' });
  const { state } = await resource.create(ctx(), { planned: cfg, config: cfg, private: {} });
  // Terraform plans the replacement of a tainted object with no prior state.
  const errors = (c: ReturnType<typeof ctx>) => c.diagnostics.items.filter((d) => d.severity === 'error');
  const unseen = ctx();
  await plan(unseen, null, cfg);
  expect(errors(unseen)).toEqual([expect.objectContaining({ summary: 'Session configuration already exists' })]);
  // The same operation's refresh read it from the state first.
  const refreshed = ctx();
  await resource.read(refreshed, { state, private: {} });
  await plan(refreshed, null, cfg);
  expect(errors(refreshed)).toEqual([]);
});
