/**
 * The effective configuration of a PowerShell endpoint governing its sessions (real pwsh -s behind them), for the
 * rules no other test drives: MaxShells, MaxConcurrentUsers, MaxConcurrentCommandsPerShell, `Enabled=false`, an
 * IdleTimeOut above MaxIdleTimeoutms at Create and at Disconnect, another user's Connect, and the expiry of a
 * disconnected session whose command still runs. One endpoint carries every quota and the tests run in order on
 * its sessions, so the file starts two pwsh. Needs pwsh 7 (PSREMOTING_PWSH, PATH or .tools/pwsh).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_USER, EmulatorControl, startEmulator, type EmulatorHandle } from '../../src/emulator';
import type { ShellDescription } from '../../src/emulator/control/control-api';
import { locatePwsh, PWSH_MISSING_MESSAGE } from '../../src/emulator/powershell/pwsh-locator';
import { registerDocument } from '../../src/host/session-configuration/plugin-documents';
import { pluginConfigSpec } from '../../src/wsman/config';
import { FAULT_CODE } from '../../src/wsman/faults';
import { ACTION, RESOURCE_URI } from '../../src/wsman/soap';
import { NS, child, childText, el } from '../../src/wsman/xml';
import { isAlive } from '../support/emulator-cli';
import { PsrpTestClient, type PsShell } from '../support/psrp-shell';
import { waitFor } from '../support/wait-for';
import { TestClient, faultCode, faultSubcode, type Answer } from '../support/wsman-test-client';

jest.setTimeout(60_000);

const HOST = 'win1';
const OPERATOR = { name: 'operator', password: 'Operator-pw1' };
const RULES = 'psrp.rules';
const RULES_URI = `${RESOURCE_URI.powershellPrefix}${RULES}`;
const DISABLED_URI = `${RESOURCE_URI.powershellPrefix}psrp.disabled`;
/** ERROR_WSMAN_QUOTA_MAX_COMMANDS_PER_SHELL_PPQ and ERROR_WSMAN_QUOTA_MAX_USERS_PPQ (emulator-fault.ts: no capture). */
const COMMANDS_PER_SHELL_CODE = 2150859241;
const USERS_CODE = 2150859237;
/** The IdleTimeOut of the Disconnect whose expiry is awaited: room for the checks made before it passes. */
const DISCONNECTED_IDLE_MS = 4000;

let emu: EmulatorHandle;
let control: EmulatorControl;
let vagrant: PsrpTestClient;
let operator: PsrpTestClient;
let workDir: string;

beforeAll(async () => {
  if (!locatePwsh()) throw new Error(PWSH_MISSING_MESSAGE);
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psrp-rules-'));
  // Both users are administrators, whom the endpoint's SDDL lets in.
  emu = await startEmulator({ allowUnencrypted: true, restartMs: 100, users: [DEFAULT_USER, OPERATOR], log: () => undefined });
  control = new EmulatorControl(emu.control);
  const c = new TestClient(emu.hosts[0]!.endpoint);
  const rules = registerDocument(RULES, {
    max_sessions: 2,
    max_concurrent_users: 1,
    max_concurrent_commands_per_session: 1,
    idle_timeout_sec: 60,
    max_idle_timeout_sec: 61,
  });
  for (const doc of [rules, registerDocument('psrp.disabled', { enabled: false })]) {
    const created = await c.send(ACTION.Create, RESOURCE_URI.configPlugin, pluginConfigSpec(doc), { selectors: { Name: doc.name! } });
    expect(created.status).toBe(200);
  }
  // A plugin written becomes effective at the next WinRM restart.
  await control.restart(HOST);
  await waitFor(async () => {
    const h = await control.host(HOST);
    return h.restarts === 1 && h.service === 'Running' && h.listening;
  }, 'WinRM to run again');
  vagrant = new PsrpTestClient(c, RULES_URI);
  operator = new PsrpTestClient(new TestClient(emu.hosts[0]!.endpoint, OPERATOR.name, OPERATOR.password), RULES_URI);
}, 60_000);
afterAll(async () => {
  await emu?.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
});

const shells = (): Promise<ShellDescription[]> => control.shells(HOST);
const shellOf = async (id: string): Promise<ShellDescription | undefined> => (await shells()).find((s) => s.id === id);

/** A refused request: its WSManFault's subcode and code. */
function refusal(a: Answer): { status: number; subcode: string | undefined; code: number | undefined } {
  return { status: a.status, subcode: faultSubcode(a), code: faultCode(a) };
}

/** vagrant's first session, whose command runs until the session ends; the later tests go on with it. */
let first: PsShell;
/** The running command writes its round here, so a test sees it run on. */
let marker: string;

test('Enabled=false: a Create is refused as for a resource not in the catalog (DestinationUnreachable); no pwsh starts', async () => {
  const disabled = (await new PsrpTestClient(vagrant.c, DISABLED_URI).create()).create;
  const expected = { status: 500, subcode: 'w:DestinationUnreachable', code: FAULT_CODE.destinationUnreachable };
  expect(refusal(disabled)).toEqual(expected);
  expect(disabled.text).toContain(DISABLED_URI);
  // What a resource URI that was never registered gets.
  expect(refusal((await new PsrpTestClient(vagrant.c, `${RESOURCE_URI.powershellPrefix}psrp.none`).create()).create)).toEqual(expected);
  expect(await shells()).toEqual([]);
});

test('MaxIdleTimeoutms at Create: an IdleTimeOut above it is refused (SchemaValidationError); one equal to it is taken, not the plugin IdleTimeoutms', async () => {
  const over = (await vagrant.create([el('rsp:IdleTimeOut', null, 'PT61.001S')])).create;
  expect(refusal(over)).toEqual({ status: 500, subcode: 'w:SchemaValidationError', code: FAULT_CODE.schemaValidation });
  expect(over.text).toContain('exceeds the MaxIdleTimeoutms 61000');
  expect(await shells()).toEqual([]);

  first = await vagrant.create([el('rsp:IdleTimeOut', null, 'PT61.000S')]);
  expect(first.create.status).toBe(200);
  expect(childText(child(first.create.env?.body, NS.rsp, 'Shell'), NS.rsp, 'IdleTimeOut')).toBe('PT61.000S');
  expect((await vagrant.receivePoolUntilState(first.shellId)).map((m) => m.type)).toContain('RUNSPACEPOOL_STATE');
});

test('MaxConcurrentCommandsPerShell 1: a second command is refused while the first runs', async () => {
  marker = path.join(workDir, 'rounds');
  const loop = `$i = 0; while ($true) { $i++; [IO.File]::WriteAllText('${marker}', "$i"); Start-Sleep -Milliseconds 100 }`;
  const started = await vagrant.command(first, loop);
  expect(started.answer.status).toBe(200);
  expect(started.commandId).not.toBe('');
  await waitFor(() => fs.existsSync(marker), 'the first command to run');
  const second = await vagrant.command(first, '1 + 1');
  expect(refusal(second.answer)).toEqual({ status: 500, subcode: 'w:QuotaLimit', code: COMMANDS_PER_SHELL_CODE });
  expect(second.answer.text).toContain('maximum of 1 concurrent commands');
});

test("MaxConcurrentUsers 1: another user's Create is refused while a user has a session on the endpoint", async () => {
  const other = (await operator.create()).create;
  expect(refusal(other)).toEqual({ status: 500, subcode: 'w:QuotaLimit', code: USERS_CODE });
  expect(other.text).toContain(`The ${RULES} plugin allows a maximum of 1 concurrent users`);
  expect((await shells()).map((s) => s.id)).toEqual([first.shellId]);
});

test('MaxShells 2: the third session on the endpoint is refused, from a user under every per-user quota', async () => {
  const second = await vagrant.create();
  expect(second.create.status).toBe(200);
  const third = (await vagrant.create()).create;
  expect(refusal(third)).toEqual({ status: 500, subcode: 'w:QuotaLimit', code: FAULT_CODE.pluginShellsQuota });
  expect(third.text).toContain(`The ${RULES} plugin allows a maximum number of 2 concurrent shells`);
  expect((await vagrant.delete(second.shellId)).status).toBe(200);
});

test('MaxIdleTimeoutms at Disconnect: an IdleTimeOut above it is refused (SchemaValidationError) and the session stays Connected', async () => {
  const over = await vagrant.disconnect(first.shellId, 'PT61.001S');
  expect(refusal(over)).toEqual({ status: 500, subcode: 'w:SchemaValidationError', code: FAULT_CODE.schemaValidation });
  expect(over.text).toContain('exceeds the MaxIdleTimeoutms 61000');
  expect((await shellOf(first.shellId))?.state).toBe('Connected');
});

describe('a disconnected session with a running command', () => {
  let disconnectedAt: number;

  test("another user's Connect is refused as for an unknown shell (InvalidSelectors); the session stays Disconnected", async () => {
    disconnectedAt = Date.now();
    expect((await vagrant.disconnect(first.shellId, `PT${DISCONNECTED_IDLE_MS / 1000}.000S`)).status).toBe(200);
    expect(refusal((await operator.connect(first)).answer)).toEqual({
      status: 500,
      subcode: 'w:InvalidSelectors',
      code: FAULT_CODE.invalidSelectors,
    });
    expect((await operator.c.enumerateShells()).text).not.toContain(first.shellId);
    expect((await shellOf(first.shellId))?.state).toBe('Disconnected');
  });

  test('expires IdleTimeOut after its Disconnect though its command runs: gone from Enumerate, its pwsh ended', async () => {
    const pid = (await shellOf(first.shellId))?.pwshPid as number;
    // Before the IdleTimeOut: listed Disconnected, pwsh alive, the command running on with nobody attached.
    const listed = (await vagrant.c.enumerateShells()).text;
    expect(listed).toContain(`<rsp:ShellId>${first.shellId}</rsp:ShellId>`);
    expect(listed).toMatch(/<rsp:State>Disconnected<\/rsp:State>/);
    expect(isAlive(pid)).toBe(true);
    const round = fs.readFileSync(marker, 'utf8');
    await waitFor(() => fs.readFileSync(marker, 'utf8') !== round, 'the command to run on while disconnected', 2000);
    expect(Date.now() - disconnectedAt).toBeLessThan(DISCONNECTED_IDLE_MS);

    await waitFor(async () => (await shellOf(first.shellId)) === undefined, 'the idle expiry', DISCONNECTED_IDLE_MS + 10_000);
    expect(Date.now() - disconnectedAt).toBeGreaterThanOrEqual(DISCONNECTED_IDLE_MS);
    await waitFor(() => !isAlive(pid), 'pwsh to end', 10_000);
    expect((await vagrant.c.enumerateShells()).text).not.toContain(first.shellId);
    expect(refusal((await vagrant.connect(first)).answer).subcode).toBe('w:InvalidSelectors');
  });
});
