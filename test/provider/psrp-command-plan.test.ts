/**
 * psremoting_command's PSRP rules at plan time: shell = "cmd" refused with an endpoint or a disconnected
 * block, the idle timeout checked against the endpoint's MaxIdleTimeout as the host reports it, re-runs
 * planned for expired and failed disconnected runs, and the session name derived from the configuration.
 */
import { startEmulator, type EmulatorHandle } from '../../src/emulator';
import type { HostPool } from '../../src/host';
import { registerDocument } from '../../src/host/session-configuration';
import { emulatorPool, handlerContext } from '../support/host-pool';
import { psrpProblems, rerunsAfterRefresh, checkIdleTimeoutAgainstHost } from '../../src/provider/resources/command/psrp-plan';
import { sessionNameOf, type PsrpSettings } from '../../src/provider/resources/command/psrp-run';
import { unknown } from '../../src/tfplugin';

jest.setTimeout(30_000);

let emulator: EmulatorHandle;
let pool: HostPool;
const signal = new AbortController().signal;

beforeAll(async () => {
  emulator = await startEmulator({ hosts: ['win1'], allowUnencrypted: true, auth: ['basic'], log: () => undefined });
  pool = emulatorPool();
  await pool
    .host(emulator.hosts[0]!.endpoint)
    .createPlugin(registerDocument('Ops.Short', { idle_timeout_sec: 300, max_idle_timeout_sec: 600 }), signal);
});
afterAll(async () => {
  await emulator.stop();
});

test('shell = "cmd" is refused with configuration_name or a disconnected block, at their paths', () => {
  const block = { idle_timeout_sec: null, output_buffering_mode: null, wait: null };
  expect(psrpProblems({ shell: 'cmd', configuration_name: 'Ops', disconnected: block }).map((p) => p.path)).toEqual([
    ['configuration_name'],
    ['disconnected'],
  ]);
  expect(psrpProblems({ shell: 'powershell', configuration_name: 'Ops', disconnected: block })).toEqual([]);
  expect(psrpProblems({ shell: 'cmd', configuration_name: null, disconnected: unknown })).toEqual([]);
});

test('an idle timeout above the endpoint MaxIdleTimeout is an error at its path; within it, or on an unmanaged endpoint, none', async () => {
  const config = (idle: number, name: string | null) => ({
    host: emulator.hosts[0]!.endpoint,
    configuration_name: name,
    disconnected: { idle_timeout_sec: idle, output_buffering_mode: null, wait: null },
  });
  const over = handlerContext(pool);
  await checkIdleTimeoutAgainstHost(over, config(3600, 'ops.short'));
  expect(over.diagnostics.items.map((d) => [d.summary, d.path])).toEqual([
    ["Idle timeout above the endpoint's maximum", ['disconnected', 'idle_timeout_sec']],
  ]);
  expect(over.diagnostics.items[0]!.detail).toMatch(/MaxIdleTimeout of "ops.short" on .* \(600 s, as the host reports it\)/);
  for (const [idle, name] of [
    [600, 'Ops.Short'],
    [3600, null],
    [3600, 'No.Such'],
  ] as const) {
    const ok = handlerContext(pool);
    await checkIdleTimeoutAgainstHost(ok, config(idle, name));
    expect(ok.diagnostics.items).toEqual([]);
  }
});

test('an endpoint declared in the configuration is checked by its declared MaxIdleTimeout, not the host value', async () => {
  const endpoint = emulator.hosts[0]!.endpoint;
  const config = (idle: number) => ({
    host: endpoint,
    configuration_name: 'Ops.Short',
    disconnected: { idle_timeout_sec: idle, output_buffering_mode: null, wait: null },
  });
  // The host reports 600 s for ops.short; this configuration declares 7200 s (not yet applied): 3600 s passes.
  const raised = handlerContext(pool);
  raised.provider.declaredEndpoints.declare(endpoint, 'ops.short', 7200);
  await checkIdleTimeoutAgainstHost(raised, config(3600));
  expect(raised.diagnostics.items).toEqual([]);
  // Declared lower than the host's value: refused by the declaration.
  const lowered = handlerContext(pool);
  lowered.provider.declaredEndpoints.declare(endpoint, 'Ops.Short', 120);
  await checkIdleTimeoutAgainstHost(lowered, config(300));
  expect(lowered.diagnostics.items.map((d) => d.detail)).toEqual([expect.stringMatching(/\(120 s, as declared in this configuration\)/)]);
  // Known only at apply: no check; left unset in the declaration: the host's value decides.
  const later = handlerContext(pool);
  later.provider.declaredEndpoints.declare(endpoint, 'Ops.Short', unknown);
  await checkIdleTimeoutAgainstHost(later, config(3600));
  expect(later.diagnostics.items).toEqual([]);
  const unset = handlerContext(pool);
  unset.provider.declaredEndpoints.declare(endpoint, 'Ops.Short', null);
  await checkIdleTimeoutAgainstHost(unset, config(3600));
  expect(unset.diagnostics.items.map((d) => d.detail)).toEqual([expect.stringMatching(/\(600 s, as the host reports it\)/)]);
});

test('a refresh that found the run expired, or failed with fail_on_nonzero_exit, plans a re-run', () => {
  const run = (status: string, fail: boolean | null = null) => ({ status, session_name: 'psremoting-x', fail_on_nonzero_exit: fail });
  expect(rerunsAfterRefresh(run('expired'))).toBe(true);
  expect(rerunsAfterRefresh(run('failed'))).toBe(true);
  expect(rerunsAfterRefresh(run('failed', false))).toBe(false);
  expect(rerunsAfterRefresh(run('running'))).toBe(false);
  expect(rerunsAfterRefresh({ status: 'failed', session_name: null, fail_on_nonzero_exit: null })).toBe(false);
});

test('the session name is the same for the same configuration and differs when what runs differs', () => {
  const s: PsrpSettings = {
    host: 'win1',
    command: 'Install-Patch',
    configurationName: 'Ops',
    environment: { A: '1' },
    workingDirectory: null,
    timeoutSec: 60,
    triggers: { v: '1' },
    disconnected: null,
  };
  expect(sessionNameOf(s)).toMatch(/^psremoting-[0-9a-f]{24}$/);
  expect(
    sessionNameOf({
      ...s,
      host: 'WIN1',
      timeoutSec: 5,
      disconnected: { idle_timeout_sec: 60, output_buffering_mode: 'Drop', wait: false },
    }),
  ).toBe(sessionNameOf(s));
  for (const other of [
    { command: 'x' },
    { environment: { A: '2' } },
    { triggers: { v: '2' } },
    { configurationName: 'Other' },
    { workingDirectory: 'C:\\' },
  ]) {
    expect(sessionNameOf({ ...s, ...other })).not.toBe(sessionNameOf(s));
  }
});
