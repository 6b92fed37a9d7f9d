/**
 * psremoting_command's handlers against the emulator (whose command interpreter is /bin/sh): create,
 * failure diagnostics, drift through check_command, in-place re-runs, destroy, timeout.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../src/emulator';
import type { HostPool } from '../../src/host';
import { derivePlan } from '../../src/tfplugin/runtime/plan';
import { emptyObject } from '../../src/tfplugin/schema/empty-object';
import { diagnosticFailure, emulatorPool, handlerContext, unknownProviderState } from '../support/host-pool';
import { commandResource } from '../../src/provider/resources/command/command-resource';
import { isUnknown, mapValue } from '../../src/tfplugin';
import { liveShells } from '../support/command-e2e';

jest.setTimeout(30_000);

let emulator: EmulatorHandle;
let pool: HostPool;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ hosts: ['win1'], allowUnencrypted: true, auth: ['basic'], log: () => undefined });
  pool = emulatorPool();
  dir = mkdtempSync(join(tmpdir(), 'psr-command-'));
});
afterAll(async () => {
  await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
});

const host = () => emulator.hosts[0]!.endpoint;
const ctx = () => handlerContext(pool);

type Config = Parameters<typeof commandResource.create>[1]['config'];
/** A configuration with nothing set but what the test gives (terraform sends unset attributes as null). */
const config = (over: Partial<Config>): Config => ({
  ...(emptyObject(commandResource.schema) as Config),
  host: host(),
  command: 'echo hi',
  shell: 'cmd',
  ...over,
});

/** What the runtime plans for a new resource from this configuration (defaults applied, outputs unknown). */
const plannedFor = (c: Config) =>
  derivePlan(commandResource.schema, null, c, c).planned as Parameters<typeof commandResource.create>[1]['planned'];
const create = (c: Config) => commandResource.create(ctx(), { planned: plannedFor(c), config: c, private: {} });

test('create runs the command in the working directory with the environment, and stores its outputs', async () => {
  const { state } = await create(
    config({ command: 'echo "$PSR_NAME in $(pwd)"; echo warn 1>&2', environment: mapValue([['PSR_NAME', 'wö']]), working_directory: dir }),
  );
  expect(state).toMatchObject({
    stdout: `wö in ${dir}\n`,
    stderr: 'warn\n',
    exit_code: 0,
    check_passed: true,
    shell: 'cmd',
    timeout_sec: 600,
    fail_on_nonzero_exit: true,
  });
  expect(state.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(await liveShells(emulator, 'win1')).toBe(0);
});

test('a non-zero exit fails with the host, the exit code and the stderr tail, secrets masked', async () => {
  const lines = 'i=0; while [ $i -lt 30 ]; do echo err-$i 1>&2; i=$((i+1)); done';
  const e = await diagnosticFailure(
    create(config({ command: `${lines}; echo "token $PSR_TOKEN" 1>&2; exit 3`, environment: mapValue([['PSR_TOKEN', 'hunter22']]) })),
  );
  expect(e.summary).toBe(`The command failed on ${host()} (exit code 3)`);
  expect(e.detail).toMatch(/exited with code 3 on /);
  expect(e.detail).toMatch(/\[\.\.\. 11 earlier lines \.\.\.\]\nerr-11\n/);
  expect(e.detail).toMatch(/token \(sensitive value\)$/);
  expect(e.detail).not.toContain('hunter22');
  expect(e.path).toEqual(['command']);
});

test('with fail_on_nonzero_exit = false the exit code is only recorded', async () => {
  const { state } = await create(config({ command: 'exit 4', fail_on_nonzero_exit: false }));
  expect(state.exit_code).toBe(4);
});

test('a program the host does not have fails as Windows does (exit 9009, explained)', async () => {
  const e = await diagnosticFailure(create(config({ command: 'no-such-program-psr --version' })));
  expect(e.summary).toMatch(/exit code 9009/);
  expect(e.detail).toContain("'no-such-program-psr' is not recognized as an internal or external command");
  expect(e.detail).toMatch(/Exit code 9009 is cmd\.exe's "not recognized"/);
});

test('a PowerShell script runs in real PowerShell on the emulated host (pwsh behind powershell.exe)', async () => {
  const { state } = await create(config({ command: '"edition " + $PSVersionTable.PSEdition; exit 0', shell: null }));
  expect(state.exit_code).toBe(0);
  expect(state.stdout).toBe('edition Core\n');
});

test("a failing PowerShell script fails with its exit code and PowerShell's error text", async () => {
  const e = await diagnosticFailure(create(config({ command: 'Write-Error "no such widget"; exit 5', shell: null })));
  expect(e.summary).toMatch(/exit code 5/);
  expect(e.detail).toContain('no such widget');
});

test('a command over its timeout is stopped, its shell deleted, and the error names timeout_sec', async () => {
  const started = Date.now();
  const e = await diagnosticFailure(create(config({ command: 'sleep 30', timeout_sec: 1 })));
  expect(Date.now() - started).toBeLessThan(15_000);
  expect(e.summary).toMatch(/timed out on/);
  expect(e.detail).toMatch(/timeout_sec = 1 /);
  expect(e.path).toEqual(['timeout_sec']);
  expect(await liveShells(emulator, 'win1')).toBe(0);
});

test('drift: a failing check on refresh sets check_passed false; the plan re-runs the command; the update runs it', async () => {
  const marker = join(dir, 'established');
  const c = config({ command: `echo run >> ${marker}`, check_command: `test -f ${marker}`, triggers: mapValue([['v', '1']]) });
  const { state } = await create(c);
  const fresh = ctx();
  expect((await commandResource.read(fresh, { state, private: {} })).state).toEqual(state);
  expect(fresh.diagnostics.items).toEqual([]);

  rmSync(marker);
  const drifted = ctx();
  const refreshed = (await commandResource.read(drifted, { state, private: {} })).state!;
  expect(refreshed.check_passed).toBe(false);
  expect(drifted.diagnostics.items[0]).toMatchObject({
    severity: 'warning',
    summary: expect.stringMatching(/^Drift on .*: check_command exited with code 1$/),
  });

  const planned = (await commandResource.plan!(ctx(), { prior: refreshed, config: c, planned: refreshed, private: {} }))!.planned!;
  expect(planned.check_passed).toBe(true);
  expect(isUnknown(planned.stdout) && isUnknown(planned.exit_code)).toBe(true);
  const updated = await commandResource.update(ctx(), { prior: refreshed, planned, config: c, private: {} });
  expect(updated.state).toMatchObject({ id: state.id, check_passed: true, exit_code: 0 });
  expect(readFileSync(marker, 'utf8')).toBe('run\n');
});

test('plan: a trigger change re-runs, a timeout change updates without running', async () => {
  const marker = join(dir, 'runs');
  const c = config({ command: `echo run >> ${marker}`, triggers: mapValue([['v', '1']]) });
  const { state } = await create(c);
  expect(await commandResource.plan!(ctx(), { prior: state, config: c, planned: state, private: {} })).toBeUndefined();

  const slower = { ...state, timeout_sec: 30 };
  expect(await commandResource.plan!(ctx(), { prior: state, config: c, planned: slower, private: {} })).toBeUndefined();
  const kept = await commandResource.update(ctx(), { prior: state, planned: slower, config: { ...c, timeout_sec: 30 }, private: {} });
  expect(kept.state).toEqual(slower);
  expect(readFileSync(marker, 'utf8')).toBe('run\n');

  const c2 = { ...c, triggers: mapValue([['v', '2']]) };
  const planned = (await commandResource.plan!(ctx(), {
    prior: state,
    config: c2,
    planned: { ...state, triggers: c2.triggers },
    private: {},
  }))!.planned!;
  expect(isUnknown(planned.stdout)).toBe(true);
  await commandResource.update(ctx(), { prior: state, planned, config: c2, private: {} });
  expect(readFileSync(marker, 'utf8')).toBe('run\nrun\n');
});

test('delete runs destroy_command; its failure is an error naming it', async () => {
  const marker = join(dir, 'destroyed');
  const { state } = await create(config({ destroy_command: `echo gone > ${marker}` }));
  await commandResource.delete(ctx(), { prior: state, private: {} });
  expect(readFileSync(marker, 'utf8')).toBe('gone\n');

  const failing = await diagnosticFailure(
    commandResource.delete(ctx(), { prior: { ...state, destroy_command: 'echo nope 1>&2; exit 2' }, private: {} }),
  );
  expect(failing.summary).toBe(`The destroy_command failed on ${host()} (exit code 2)`);
  expect(failing.path).toEqual(['destroy_command']);
});

test('validate refuses a script too long for a command line, at its attribute', async () => {
  const v = ctx();
  await commandResource.validate!(v, config({ shell: null, check_command: 'x'.repeat(17_000) }));
  expect(v.diagnostics.items).toEqual([
    expect.objectContaining({ severity: 'error', summary: 'Invalid check_command', path: ['check_command'] }),
  ]);
});

test('handlers with nothing to run touch no host (a provider block not yet known is no obstacle)', async () => {
  const { state } = await create(config({}));
  const noPool = { ...ctx(), provider: unknownProviderState };
  expect((await commandResource.read(noPool, { state, private: {} })).state).toBe(state);
  await commandResource.delete(noPool, { prior: state, private: {} });
  const slower = { ...state, timeout_sec: 5 };
  expect(
    (await commandResource.update(noPool, { prior: state, planned: slower, config: { ...config({}), timeout_sec: 5 }, private: {} })).state,
  ).toEqual(slower);
  await expect(commandResource.create(noPool, { planned: plannedFor(config({})), config: config({}), private: {} })).rejects.toThrow(
    'Provider not configured',
  );
});

test('another spelling of the same host updates in place without running again; another host replaces', async () => {
  const { state } = await create(config({}));
  const port = new URL(host()).port;
  /** What PlanResourceChange does: the runtime's derived plan, then the resource's hook. */
  const planWith = async (h: string) => {
    const c = config({ host: h });
    const derived = derivePlan(commandResource.schema, state, c, { ...state, host: h });
    const hook = await commandResource.plan!(ctx(), { prior: state, config: c, planned: derived.planned as never, private: {} });
    return { requiresReplace: [...derived.requiresReplace, ...(hook?.requiresReplace ?? [])], rerun: hook !== undefined };
  };
  // Same endpoint: no replacement and no re-run.
  expect(await planWith(`127.0.0.1:${port}`)).toEqual({ requiresReplace: [], rerun: false });
  expect(await planWith(`HTTP://127.0.0.1:${port}/wsman`)).toEqual({ requiresReplace: [], rerun: false });
  expect((await planWith(`127.0.0.2:${port}`)).requiresReplace).toEqual([['host']]);
});
