/**
 * Our WS-Man client and the emulator, both speaking Kerberos with tickets from a real MIT KDC: sealed
 * messages over HTTP, channel binding over HTTPS under CbtHardeningLevel=Strict, and the failures that
 * must stop before any WS-Man request leaves.
 */
import * as https from 'node:https';
import * as fs from 'node:fs';
import { WsmanClient, RESOURCE_URI, runCommand, type WsmanAuth } from '../../src/wsman';
import { KerberosClient, KerberosInitiator, type KerberosClientSettings } from '../../src/wsman/auth/kerberos';
import { EmulatorControl, startEmulator, type EmulatorHandle } from '../../src/emulator';
import { startMitKdc, type MitKdc } from '../support/mit-kdc';

let kdc: MitKdc;
let keytab: string;
const opened: Array<{ close(): void }> = [];
const emulators: EmulatorHandle[] = [];

beforeAll(async () => {
  kdc = await startMitKdc();
  await kdc.addUser('alice', 'Alice-Pass-1');
  keytab = await kdc.addService('HTTP/localhost');
}, 60000);
afterEach(async () => {
  for (const c of opened.splice(0)) c.close();
  await Promise.all(emulators.splice(0).map((e) => e.stop()));
});
afterAll(() => kdc?.stop());

async function emulator(tls = false): Promise<{ emu: EmulatorHandle; endpoint: string }> {
  const emu = await startEmulator({ kerberosKeytab: keytab, tls, auth: ['ntlm'], log: () => undefined });
  emulators.push(emu);
  // The SPN is HTTP/<host as written in the URL>: the listener answers on loopback as "localhost".
  return { emu, endpoint: emu.hosts[0]!.endpoint.replace('127.0.0.1', 'localhost') };
}

function kerberosAuth(settings: Partial<KerberosClientSettings> = {}): WsmanAuth & { kind: 'kerberos' } {
  return {
    kind: 'kerberos',
    tickets: new KerberosClient(
      { principal: 'alice', password: 'Alice-Pass-1', krb5Conf: kdc.krb5Conf, kdcTimeoutMs: 3000, ...settings },
      {},
    ),
  };
}

function client(endpoint: string, auth: WsmanAuth, caFile?: string): WsmanClient {
  const c = new WsmanClient({ endpoint, auth, maxConnections: 1, ...(caFile ? { tls: { ca: [fs.readFileSync(caFile)] } } : {}) });
  opened.push(c);
  return c;
}

const counters = (emu: EmulatorHandle) => new EmulatorControl(emu.control).counters('win1');

test('HTTP with message encryption: one AS, one TGS, one AP-REQ; every request sealed on the one connection', async () => {
  const { emu, endpoint } = await emulator();
  const auth = kerberosAuth();
  const c = client(endpoint, auth);
  expect((await c.get(RESOURCE_URI.config)).local).toBe('Config');
  const result = await runCommand(c, 'echo', ['sealed with kerberos']);
  expect(result.stdout.toString()).toContain('sealed with kerberos');
  // AllowUnencrypted is false: a request in clear would have been refused, so these were sealed.
  expect((await counters(emu)).authHandshakes).toBe(1);
  expect(auth.tickets.roundTrips()).toEqual({ as: 2, tgs: 1 });
  // A second client of the same provider process reuses the ticket: no KDC round trip.
  await client(endpoint, auth).get(RESOURCE_URI.config);
  expect(auth.tickets.roundTrips()).toEqual({ as: 2, tgs: 1 });
});

test('HTTPS with channel binding under CbtHardeningLevel=Strict; a token without bindings is refused with 401', async () => {
  const { emu, endpoint } = await emulator(true);
  emu.virtualHosts[0]!.stored.config.service!.auth!.cbtHardeningLevel = 'Strict';
  const auth = kerberosAuth();
  const c = client(endpoint, auth, emu.caFile);
  expect((await c.get(RESOURCE_URI.config)).local).toBe('Config');
  expect((await runCommand(c, 'echo', ['bound'])).stdout.toString()).toContain('bound');

  const grant = await auth.tickets.serviceTicket(await auth.tickets.servicePrincipal('localhost'));
  const unbound = new KerberosInitiator({ grant, spnego: true }).initialToken();
  const status = await new Promise<number>((resolve, reject) => {
    const req = https.request(
      endpoint,
      {
        method: 'POST',
        ca: fs.readFileSync(emu.caFile!),
        headers: { Authorization: `Negotiate ${unbound.toString('base64')}`, 'Content-Length': '0' },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
  expect(status).toBe(401);
});

test.each([
  ['wrong password', { password: 'wrong' }, /pre-authentication failed/],
  ['unknown principal', { principal: 'nobody' }, /does not know the client principal/],
  ['clock skewed by 10 minutes', { now: () => new Date(Date.now() - 600_000) }, /clock skew too great/],
  ['KDC down', { kdcs: ['127.0.0.1:9'] }, /KDC unreachable/],
])('%s: one clear error and no WS-Man request sent', async (_name, settings, message) => {
  const { emu, endpoint } = await emulator();
  await expect(client(endpoint, kerberosAuth(settings)).get(RESOURCE_URI.config)).rejects.toThrow(message);
  expect(await counters(emu)).toMatchObject({ total: 0, authHandshakes: 0 });
});

test('Negotiate falls back to NTLM when the host has no Kerberos for us (host given by IP address)', async () => {
  const { emu } = await emulator();
  const auth: WsmanAuth = { ...kerberosAuth(), ntlmFallback: { username: 'vagrant', password: 'vagrant' } };
  const c = client(emu.hosts[0]!.endpoint, auth);
  expect((await c.get(RESOURCE_URI.config)).local).toBe('Config');
  expect((auth as { tickets: KerberosClient }).tickets.roundTrips()).toEqual({ as: 0, tgs: 0 });
});
