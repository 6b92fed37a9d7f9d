import { ACTION, RESOURCE_URI, SIGNAL, buildRequest } from '../../src/wsman/soap';
import { NS, child, childText, el } from '../../src/wsman/xml';
import { startEmulator, type EmulatorHandle } from '../../src/emulator';
import { TestClient, faultCode, faultSubcode } from '../support/wsman-test-client';
import { createShell, receive, runToCompletion, send, signal, startCommand } from '../support/winrs';

let emu: EmulatorHandle;
let c: TestClient;

beforeAll(async () => {
  emu = await startEmulator({ allowUnencrypted: true, restartMs: 200, log: () => undefined });
  c = new TestClient(emu.hosts[0]!.endpoint);
});
afterAll(() => emu.stop());

test('a command runs as a local process: stdout, stderr and exit code, in the captured Create echo shape', async () => {
  const shell = await createShell(c);
  expect(shell.status).toBe(200);
  const echo = child(shell.env?.body, NS.rsp, 'Shell');
  expect(childText(echo, NS.rsp, 'IdleTimeOut')).toBe('PT7200.000S');
  expect(childText(echo, NS.rsp, 'Owner')).toBe('vagrant');
  expect(childText(echo, NS.rsp, 'ShellRunTime')).toBe('P0DT0H0M0S');
  const cmd = await startCommand(c, shell.shellId!, 'cmd.exe', ['/c', 'echo', 'hi;', 'echo', 'oops', '>&2;', 'exit', '3']);
  expect(await runToCompletion(c, shell.shellId!, cmd.commandId!)).toEqual({ stdout: 'hi\n', stderr: 'oops\n', exitCode: 3 });
  expect((await c.send(ACTION.Delete, RESOURCE_URI.shellCmd, undefined, { selectors: { ShellId: shell.shellId! } })).status).toBe(200);
});

test('an unknown program fails as cmd.exe does (9009); with WINRS_SKIP_CMD_SHELL it is a file-not-found fault', async () => {
  const shell = await createShell(c);
  const cmd = await startCommand(c, shell.shellId!, 'robocopy.exe', ['C:\\a', 'C:\\b']);
  expect(await runToCompletion(c, shell.shellId!, cmd.commandId!)).toEqual({
    stdout: '',
    stderr: "'robocopy.exe' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n",
    exitCode: 9009,
  });
  const skipped = await startCommand(c, shell.shellId!, 'no-such-program-here', [], { WINRS_SKIP_CMD_SHELL: 'True' });
  expect(skipped.status).toBe(500);
  expect(faultCode(skipped)).toBe(2147942402);
});

test('stdin via Send, long-poll TimedOut, ctrl_c, unknown ids', async () => {
  const shell = await createShell(c);
  const cat = await startCommand(c, shell.shellId!, 'cat');
  const timedOut = await receive(c, shell.shellId!, cat.commandId!, 300);
  expect(timedOut.status).toBe(500);
  expect(faultCode(timedOut)).toBe(2150858793);
  expect(faultSubcode(timedOut)).toBe('w:TimedOut');
  expect((await send(c, shell.shellId!, cat.commandId!, 'line 1\n', false)).status).toBe(200);
  expect((await send(c, shell.shellId!, cat.commandId!, 'line 2\n', true)).status).toBe(200);
  expect(await runToCompletion(c, shell.shellId!, cat.commandId!)).toEqual({ stdout: 'line 1\nline 2\n', stderr: '', exitCode: 0 });

  const sleeper = await startCommand(c, shell.shellId!, 'sleep', ['30']);
  expect((await signal(c, shell.shellId!, sleeper.commandId!, SIGNAL.ctrlC)).status).toBe(200);
  expect((await runToCompletion(c, shell.shellId!, sleeper.commandId!)).exitCode).toBe(3221225786);

  const badCmd = await receive(c, shell.shellId!, '87E77BEB-6761-4C48-9D70-A00266B8459A');
  expect(faultCode(badCmd)).toBe(2150858843);
  const badShell = await receive(c, '00000000-0000-0000-0000-000000000000', cat.commandId!);
  expect(faultCode(badShell)).toBe(2150858843);
  expect(badShell.text).toContain('Shell provider');
});

test('environment, idle timeout expiry, Get and Enumerate of windows/shell', async () => {
  const shell = await createShell(c, RESOURCE_URI.shellCmd, [
    el('rsp:Environment', null, el('rsp:Variable', [['Name', 'GREETING']], 'hello there')),
    el('rsp:IdleTimeOut', null, 'PT1S'),
  ]);
  expect(childText(child(shell.env?.body, NS.rsp, 'Shell'), NS.rsp, 'IdleTimeOut')).toBe('PT1.000S');
  const cmd = await startCommand(c, shell.shellId!, 'echo', ['$GREETING']);
  expect((await runToCompletion(c, shell.shellId!, cmd.commandId!)).stdout).toBe('hello there\n');
  const listed = await c.enumerateShells();
  expect(listed.text).toContain(shell.shellId!);
  expect(listed.text).toContain('<rsp:State>Connected</rsp:State>');
  const getShell = () => c.send(ACTION.Get, RESOURCE_URI.shell, undefined, { selectors: { ShellId: shell.shellId! } });
  expect((await getShell()).status).toBe(200);
  // Idle for its 1 s IdleTimeOut, the shell expires: poll (bounded) rather than bet on one wait.
  let gone = await getShell();
  for (let i = 0; i < 100 && gone.status === 200; i++) {
    await new Promise((r) => setTimeout(r, 200));
    gone = await getShell();
  }
  expect(faultCode(gone)).toBe(2150858843);
});

test('a bad OperationTimeout is refused with the captured addressing fault', async () => {
  const shell = await createShell(c);
  const xml = buildRequest({
    to: c.endpoint,
    action: ACTION.Get,
    resourceUri: RESOURCE_URI.shell,
    selectors: { ShellId: shell.shellId! },
    operationTimeoutMs: 20000,
  });
  const a = await c.post(xml.replace('PT20S', 'PT-1S'));
  expect(a.status).toBe(500);
  expect(faultCode(a)).toBe(2150858767);
});
