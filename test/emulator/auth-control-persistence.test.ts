import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as https from 'node:https';
import { ACTION, RESOURCE_URI } from '../../src/wsman/soap';
import { EmulatorControl, EmulatorError, startEmulator } from '../../src/emulator';
import { startEmulatorCli } from '../support/emulator-cli';
import { TestClient } from '../support/wsman-test-client';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('401 has an empty body and one WWW-Authenticate per scheme; Basic over HTTP needs AllowUnencrypted', async () => {
  const emu = await startEmulator({ log: () => undefined });
  const control = (): EmulatorControl => new EmulatorControl(emu.control);
  try {
    const c = new TestClient(emu.hosts[0]!.endpoint);
    const refused = await c.send(ACTION.Get, RESOURCE_URI.config);
    expect(refused.status).toBe(401);
    expect(refused.text).toBe('');
    expect(refused.headers.get('www-authenticate')).toBe('Negotiate');
    expect(refused.headers.get('server')).toBe('Microsoft-HTTPAPI/2.0');
    const counters = await control().counters('win1');
    expect(counters.authHandshakes).toBe(1);
  } finally {
    await emu.stop();
  }
});

test('wrong password is 401 offering Basic realm="WSMAN" when Basic is allowed', async () => {
  const emu = await startEmulator({ allowUnencrypted: true, users: [{ name: 'ops', password: 's3cret' }], log: () => undefined });
  try {
    const bad = await new TestClient(emu.hosts[0]!.endpoint, 'ops', 'wrong').send(ACTION.Get, RESOURCE_URI.config);
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe('Negotiate, Basic realm="WSMAN"');
    expect((await new TestClient(emu.hosts[0]!.endpoint, 'DOMAIN\\ops', 's3cret').send(ACTION.Get, RESOURCE_URI.config)).status).toBe(200);
  } finally {
    await emu.stop();
  }
});

test('TLS: Basic over HTTPS with the generated CA verified', async () => {
  const emu = await startEmulator({ tls: true, stateDir: path.join(tmp, 'tls'), log: () => undefined });
  try {
    expect(emu.hosts[0]!.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/wsman$/);
    const ca = fs.readFileSync(emu.caFile!, 'utf8');
    const status = await new Promise<number>((resolve, reject) => {
      const req = https.request(
        emu.hosts[0]!.endpoint,
        { method: 'POST', ca, auth: 'vagrant:vagrant', headers: { 'Content-Type': 'application/soap+xml;charset=UTF-8' }, timeout: 10000 },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header/><s:Body/></s:Envelope>`);
    });
    // Authenticated: the unaddressed envelope is answered with a SOAP fault, not a 401.
    expect(status).toBe(500);
  } finally {
    await emu.stop();
  }
});

test('control API: counters by operation, injected 503/drop/latency, down and up', async () => {
  const emu = await startEmulator({ allowUnencrypted: true, log: () => undefined });
  const control = (): EmulatorControl => new EmulatorControl(emu.control);
  try {
    const c = new TestClient(emu.hosts[0]!.endpoint);
    await c.send(ACTION.Get, RESOURCE_URI.config);
    await c.send(ACTION.Get, RESOURCE_URI.configPlugin, undefined, { selectors: { Name: 'microsoft.powershell' } });
    expect(await control().counters('win1')).toMatchObject({ total: 2, byOperation: { Get: 2 } });
    await control().resetCounters('win1');
    await control().injectFault('win1', { kind: 'http503', count: 1 });
    expect((await c.send(ACTION.Get, RESOURCE_URI.config)).status).toBe(503);
    expect((await c.send(ACTION.Get, RESOURCE_URI.config)).status).toBe(200);
    await control().injectFault('win1', { kind: 'drop' });
    await expect(c.send(ACTION.Get, RESOURCE_URI.config)).rejects.toThrow();
    await control().setLatency('win1', 300);
    // A lower bound on monotonic time: load can only make the answer later.
    const t0 = performance.now();
    await c.send(ACTION.Get, RESOURCE_URI.config);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    await control().setLatency('win1', 0);
    expect(await control().down('win1')).toMatchObject({ listening: false });
    await expect(c.send(ACTION.Get, RESOURCE_URI.config)).rejects.toThrow();
    expect(await control().up('win1')).toMatchObject({ listening: true });
    expect((await c.send(ACTION.Get, RESOURCE_URI.config)).status).toBe(200);
    await expect(control().host('nope')).rejects.toThrow(new EmulatorError('control-request', 'GET /hosts/nope: no host named nope'));
    const config = await control().config('win1');
    expect(Object.keys(config.stored.plugins)).toContain('microsoft.powershell');
  } finally {
    await emu.stop();
  }
});

test('state survives an emulator restart', async () => {
  const stateDir = path.join(tmp, 'persist');
  const first = await startEmulator({ allowUnencrypted: true, stateDir, log: () => undefined });
  const c1 = new TestClient(first.hosts[0]!.endpoint);
  await c1.send(ACTION.Put, RESOURCE_URI.configWinrs, {
    xml: '<cfg:Winrs xmlns:cfg="http://schemas.microsoft.com/wbem/wsman/1/config"><cfg:MaxShellsPerUser>7</cfg:MaxShellsPerUser></cfg:Winrs>',
  });
  await first.stop();
  const second = await startEmulator({ allowUnencrypted: true, stateDir, log: () => undefined });
  try {
    expect((await new TestClient(second.hosts[0]!.endpoint).send(ACTION.Get, RESOURCE_URI.configWinrs)).text).toContain(
      '<cfg:MaxShellsPerUser>7</cfg:MaxShellsPerUser>',
    );
  } finally {
    await second.stop();
  }
});

test('kill -9 during a write loop leaves the state file old or new, never torn; the CLI prints one JSON line', async () => {
  const stateDir = path.join(tmp, 'crash');
  const { child, line } = await startEmulatorCli(tmp, ['--host', 'crashy', '--allow-unencrypted', '--state-dir', stateDir]);
  try {
    expect(line.endsWith('\n') && line.indexOf('\n') === line.length - 1).toBe(true);
    const info = JSON.parse(line) as { hosts: Array<{ name: string; endpoint: string }>; control: string };
    expect(info.hosts[0]!.name).toBe('crashy');
    const c = new TestClient(info.hosts[0]!.endpoint);
    const writes: Array<Promise<unknown>> = [];
    for (let i = 1; i <= 200; i++) {
      writes.push(
        c
          .send(ACTION.Put, RESOURCE_URI.configWinrs, {
            xml: `<cfg:Winrs xmlns:cfg="http://schemas.microsoft.com/wbem/wsman/1/config"><cfg:MaxShellsPerUser>${i}</cfg:MaxShellsPerUser></cfg:Winrs>`,
          })
          .catch(() => undefined),
      );
      if (i === 120) child.kill('SIGKILL');
    }
    await Promise.all(writes);
  } finally {
    child.kill('SIGKILL');
  }
  const file = path.join(stateDir, 'host-crashy.json');
  const state = JSON.parse(fs.readFileSync(file, 'utf8')) as { version: number; config: string };
  expect(state.version).toBe(2);
  expect(state.config).toMatch(/<cfg:MaxShellsPerUser>\d+<\/cfg:MaxShellsPerUser>/);
});
