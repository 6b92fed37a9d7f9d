import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_USER, EmulatorControl, startEmulator, type EmulatorHandle, type HostCountersSnapshot } from '../../src/emulator';
import { FAULT_CODE, RESOURCE_URI, WinrsShell, WsmanAuthError, WsmanClient, WsmanFault, runCommand, type WsmanAuth } from '../../src/wsman';
import { attr } from '../../src/wsman/xml';

let emulator: EmulatorHandle;
let stateDir: string;
const clients: WsmanClient[] = [];

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'wsman-it-'));
  emulator = await startEmulator({ hosts: ['win1'], auth: ['basic', 'ntlm'], allowUnencrypted: true, stateDir });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await emulator.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

const AUTHS: Record<string, WsmanAuth> = {
  basic: { kind: 'basic', username: DEFAULT_USER.name, password: DEFAULT_USER.password, allowUnencrypted: true },
  ntlm: { kind: 'ntlm', username: DEFAULT_USER.name, password: DEFAULT_USER.password },
};

function client(auth: WsmanAuth): WsmanClient {
  const c = new WsmanClient({ endpoint: emulator.hosts[0]!.endpoint, auth, operationTimeoutMs: 10_000, receiveTimeoutMs: 2_000 });
  clients.push(c);
  return c;
}

const counters = (): Promise<HostCountersSnapshot> => new EmulatorControl(emulator.control).counters('win1');

describe.each(Object.keys(AUTHS))('client <-> emulator with %s', (kind) => {
  const auth = AUTHS[kind]!;

  it('reads the service configuration and the session configurations', async () => {
    const c = client(auth);
    const config = await c.get(RESOURCE_URI.config);
    expect(config.local).toBe('Config');
    const plugins = await c.enumerate(RESOURCE_URI.configPlugin);
    const names = plugins.map((p) => attr(p, 'Name'));
    expect(names).toContain('microsoft.powershell');
    const one = await c.get(RESOURCE_URI.configPlugin, { Name: 'microsoft.powershell' });
    expect(attr(one, 'Name')).toBe('microsoft.powershell');
  });

  it('answers with typed faults', async () => {
    const c = client(auth);
    const missing = await c.get(RESOURCE_URI.configPlugin, { Name: 'no-such-plugin' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(WsmanFault);
    const shell = WinrsShell.attach(c, '00000000-0000-0000-0000-000000000000');
    await expect(shell.receive('11111111-1111-1111-1111-111111111111')).rejects.toMatchObject({ code: FAULT_CODE.invalidSelectors });
  });

  it('runs commands in a WinRS shell: stdout, stderr, exit code, stdin', async () => {
    const c = client(auth);
    const hi = await runCommand(c, 'cmd', ['/c', 'echo hi']);
    expect(hi.stdout.toString().trim()).toBe('hi');
    const failing = await runCommand(c, 'cmd', ['/c', 'echo oops 1>&2 && exit 3']);
    expect(failing.stderr.toString()).toContain('oops');
    expect(failing.exitCode).toBe(3);
    const echoed = await runCommand(c, 'cat', [], { stdin: 'from stdin', command: { skipCmdShell: true } });
    expect(echoed.stdout.toString()).toBe('from stdin');
  });
});

describe('authentication against the emulator', () => {
  it('NTLM authenticates each connection once and refuses a wrong password', async () => {
    const c = client(AUTHS.ntlm!);
    const before = await counters();
    for (let i = 0; i < 3; i++) await c.get(RESOURCE_URI.config);
    const after = await counters();
    expect(after.authHandshakes - before.authHandshakes).toBe(1);
    expect(c.stats()).toMatchObject({ ntlmHandshakes: 1, connections: 1, httpRequests: 2 + 3 });
    const wrong = client({ kind: 'ntlm', username: DEFAULT_USER.name, password: 'not-the-password' });
    await expect(wrong.get(RESOURCE_URI.config)).rejects.toBeInstanceOf(WsmanAuthError);
  });
});
