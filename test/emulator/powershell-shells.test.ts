/**
 * PowerShell endpoints bridged to real PowerShell (pwsh -s): open and close a pool, run pipelines, stop one,
 * disconnect and connect. Needs pwsh 7 (PSREMOTING_PWSH, PATH or .tools/pwsh; npm install puts it there).
 */
import { locatePwsh, PWSH_MISSING_MESSAGE } from '../../src/emulator/powershell/pwsh-locator';
import { startEmulator, type EmulatorHandle } from '../../src/emulator';
import { NS, child, childText } from '../../src/wsman/xml';
import { TestClient, faultSubcode } from './helpers/wsman-test-client';
import { PsrpTestClient, pipelineStateOf, stringOutputs } from './helpers/psrp-shell';

let emu: EmulatorHandle;
let ps: PsrpTestClient;

beforeAll(async () => {
  if (!locatePwsh()) throw new Error(PWSH_MISSING_MESSAGE);
  emu = await startEmulator({ allowUnencrypted: true, log: () => undefined });
  ps = new PsrpTestClient(new TestClient(emu.hosts[0]!.endpoint));
}, 60000);
afterAll(() => emu?.stop());

test('Create opens a runspace pool in pwsh: SESSION_CAPABILITY, APPLICATION_PRIVATE_DATA, RUNSPACEPOOL_STATE Opened; Delete ends pwsh', async () => {
  const shell = await ps.create();
  expect(shell.create.status).toBe(200);
  expect(childText(child(shell.create.env?.body, NS.rsp, 'Shell'), NS.rsp, 'State')).toBe('Connected');
  const messages = await ps.receivePoolUntilState(shell.shellId);
  expect(messages.map((m) => m.type)).toEqual(['SESSION_CAPABILITY', 'APPLICATION_PRIVATE_DATA', 'RUNSPACEPOOL_STATE']);
  expect(messages[1]!.data).toContain('7.6.9');
  expect(messages[2]!.data).toContain('<I32 N="RunspaceState">2</I32>');
  const pid = emu.virtualHosts[0]!.shells.get(shell.shellId)!.session!.pid!;
  expect((await ps.delete(shell.shellId)).status).toBe(200);
  expect(() => process.kill(pid, 0)).toThrow();
});

test('a pipeline runs in real PowerShell: its output, then CommandState Done with the final PIPELINE_STATE', async () => {
  const shell = await ps.create();
  await ps.receivePoolUntilState(shell.shellId);
  const { answer, commandId } = await ps.command(shell, '$PSVersionTable.PSVersion.ToString(); 40 + 2');
  expect(answer.status).toBe(200);
  expect(commandId).not.toBe('');
  const messages = await ps.receiveUntilDone(shell.shellId, commandId);
  expect(stringOutputs(messages)).toEqual(['7.6.9', '42']);
  const last = messages[messages.length - 1]!;
  expect(last.type).toBe('PIPELINE_STATE');
  expect(pipelineStateOf(last)).toBe(4);
  expect((await ps.delete(shell.shellId)).status).toBe(200);
});

test("PowerShell's stop signal (crtl_c) stops a running pipeline: PIPELINE_STATE Stopped", async () => {
  const shell = await ps.create();
  await ps.receivePoolUntilState(shell.shellId);
  const { commandId } = await ps.command(shell, 'while ($true) { Start-Sleep -Milliseconds 100 }');
  expect((await ps.receive(shell.shellId, commandId, 1000)).answer.status).toBe(500);
  expect((await ps.signal(shell.shellId, commandId, 'http://schemas.microsoft.com/powershell/signal/crtl_c')).status).toBe(200);
  const messages = await ps.receiveUntilDone(shell.shellId, commandId);
  expect(pipelineStateOf(messages[messages.length - 1]!)).toBe(3);
  expect((await ps.delete(shell.shellId)).status).toBe(200);
});

test('an unknown CommandId is InvalidSelectors, as Windows answers (test_psrp_receive_failure)', async () => {
  const shell = await ps.create();
  await ps.receivePoolUntilState(shell.shellId);
  const r = await ps.receive(shell.shellId, '00000000-0000-0000-0000-00000000ABCD');
  expect(faultSubcode(r.answer)).toBe('w:InvalidSelectors');
  await ps.delete(shell.shellId);
});
