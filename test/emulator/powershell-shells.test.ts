/**
 * PowerShell endpoints bridged to real PowerShell (pwsh -s): open and close a pool, run pipelines, stop one,
 * disconnect and connect. Needs pwsh 7 (PSREMOTING_PWSH, PATH or .tools/pwsh; npm install puts it there).
 */
import { locatePwsh, PWSH_MISSING_MESSAGE } from '../../src/emulator/powershell/pwsh-locator';
import { startEmulator, type EmulatorHandle } from '../../src/emulator';
import { NS, child, childText } from '../../src/wsman/xml';
import { waitFor } from '../support/wait-for';
import { isAlive } from '../support/emulator-cli';
import { TestClient, faultSubcode } from '../support/wsman-test-client';
import { PsrpTestClient, pipelineStateOf, stringOutputs } from '../support/psrp-shell';

let emu: EmulatorHandle;
let ps: PsrpTestClient;

beforeAll(async () => {
  if (!locatePwsh()) throw new Error(PWSH_MISSING_MESSAGE);
  emu = await startEmulator({ allowUnencrypted: true, log: () => undefined, psrpOutputBufferBytes: 16 * 1024 });
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

describe('disconnected sessions', () => {
  test('Disconnect keeps pwsh and the running command; Enumerate says Disconnected; Connect from a new client gets connectResponseXml, APPLICATION_PRIVATE_DATA and the buffered output', async () => {
    const shell = await ps.create();
    await ps.receivePoolUntilState(shell.shellId);
    const { commandId } = await ps.command(shell, '1..3 | ForEach-Object { Start-Sleep -Milliseconds 200; "n$_" }');
    expect((await ps.disconnect(shell.shellId)).status).toBe(200);
    // Operations other than Reconnect/Connect are refused while nobody is attached.
    expect((await ps.receive(shell.shellId, commandId)).answer.status).toBe(500);
    const listed = await ps.c.enumerateShells();
    expect(listed.text).toContain(`<rsp:ShellId>${shell.shellId}</rsp:ShellId>`);
    expect(listed.text).toMatch(/<rsp:State>Disconnected<\/rsp:State>/);

    const other = new PsrpTestClient(new TestClient(emu.hosts[0]!.endpoint));
    const connected = await other.connect(shell);
    expect(connected.answer.status).toBe(200);
    expect(connected.messages.map((m) => m.type)).toEqual(['SESSION_CAPABILITY', 'RUNSPACEPOOL_INIT_DATA']);
    expect(connected.messages[1]!.data).toContain('<I32 N="MaxRunspaces">1</I32>');
    expect((await other.receive(shell.shellId)).messages.map((m) => m.type)).toEqual(['APPLICATION_PRIVATE_DATA']);
    expect((await other.connectCommand(shell.shellId, commandId)).status).toBe(200);
    expect(stringOutputs(await other.receiveUntilDone(shell.shellId, commandId))).toEqual(['n1', 'n2', 'n3']);
    // A second Connect to a connected shell is refused (MS-WSMV 3.1.4.17).
    expect((await other.connect(shell)).answer.status).toBe(500);
    expect((await other.delete(shell.shellId)).status).toBe(200);
  });

  test('a disconnected session keeps its output under Block and loses the oldest under Drop', async () => {
    const script = '1..400 | ForEach-Object { "line-$_" + ("x" * 200) }; "last"';
    const run = async (mode: 'Block' | 'Drop'): Promise<string[]> => {
      const shell = await ps.create();
      await ps.receivePoolUntilState(shell.shellId);
      const { commandId } = await ps.command(shell, script);
      expect((await ps.disconnect(shell.shellId, undefined, mode)).status).toBe(200);
      const session = emu.virtualHosts[0]!.shells.get(shell.shellId)!.session!;
      // Let the command run to its end (Drop) or fill the buffer and stall (Block).
      await new Promise((r) => setTimeout(r, 4000));
      expect(session.running).toBe(true);
      expect((await ps.reconnect(shell.shellId)).status).toBe(200);
      const outputs = stringOutputs(await ps.receiveUntilDone(shell.shellId, commandId, 500));
      await ps.delete(shell.shellId);
      return outputs;
    };
    const blocked = await run('Block');
    expect(blocked).toHaveLength(401);
    expect(blocked[0]).toMatch(/^line-1x/);
    const dropped = await run('Drop');
    expect(dropped[dropped.length - 1]).toBe('last');
    expect(dropped.length).toBeLessThan(401);
    expect(dropped[0]).not.toMatch(/^line-1x/);
  });

  test('a disconnected session expires after its IdleTimeOut: gone from Enumerate, its pwsh ended', async () => {
    const shell = await ps.create();
    await ps.receivePoolUntilState(shell.shellId);
    const pid = emu.virtualHosts[0]!.shells.get(shell.shellId)!.session!.pid!;
    // The emulator has no 60 s floor for IdleTimeOut (PowerShell's client enforces it), so a test may use 1 s.
    expect((await ps.disconnect(shell.shellId, 'PT1.000S')).status).toBe(200);
    await waitFor(() => !emu.virtualHosts[0]!.shells.has(shell.shellId), 'the idle expiry', 20000);
    await waitFor(() => !isAlive(pid), 'pwsh to end', 20000);
    const listed = await ps.c.enumerateShells();
    expect(listed.text).not.toContain(shell.shellId);
    expect(faultSubcode((await ps.connect(shell)).answer)).toBe('w:InvalidSelectors');
  });
});
