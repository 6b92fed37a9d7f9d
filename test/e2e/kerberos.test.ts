/**
 * auth = "kerberos" under real terraform: a real MIT KDC issues the tickets, the emulator accepts them
 * with its keytab. Over http every message is sealed (AllowUnencrypted=false); over https the host
 * demands channel binding (CbtHardeningLevel=Strict). A wrong password and a KDC that is down fail
 * with one clear error before any WS-Man request. The KDC's own log counts its round trips.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EmulatorControl, startEmulator, type EmulatorHandle, type HostCountersSnapshot } from '../../src/emulator';
import { createWorkdir, installProviders, requiredProviders, type Workdir } from '../support/terraform';
import { startMitKdc, type MitKdc } from '../support/mit-kdc';
import { endpointBlock, terraformIn } from '../support/session-configuration-env';

jest.setTimeout(240_000);

let kdc: MitKdc;
let keytab: string;
const cleanup: Array<() => Promise<void> | void> = [];
const flat = (text: string): string => text.replace(/[\s│]+/g, ' ');

beforeAll(async () => {
  installProviders();
  kdc = await startMitKdc();
  await kdc.addUser('alice', 'Alice-Pass-1');
  keytab = await kdc.addService('HTTP/localhost');
}, 60_000);
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
  await kdc?.stop();
});

async function emulator(tls: boolean): Promise<EmulatorHandle> {
  const emu = await startEmulator({ kerberosKeytab: keytab, tls, auth: ['ntlm'], restartMs: 300, log: () => undefined });
  cleanup.push(() => emu.stop());
  if (tls) emu.virtualHosts[0]!.stored.config.service!.auth!.cbtHardeningLevel = 'Strict';
  return emu;
}

function counters(emu: EmulatorHandle): Promise<HostCountersSnapshot> {
  return new EmulatorControl(emu.control).counters('win1');
}

/** AS and TGS requests in the KDC's log since `from` (its byte length then). */
function kdcRequests(from: number): { as: number; tgs: number } {
  const log = fs.readFileSync(path.join(kdc.dir, 'kdc.log'), 'utf8').slice(from);
  return { as: (log.match(/ AS_REQ /g) ?? []).length, tgs: (log.match(/ TGS_REQ /g) ?? []).length };
}
const kdcLogSize = (): number => fs.statSync(path.join(kdc.dir, 'kdc.log')).size;

/** Settings only: the realm and KDC come from the provider block, no krb5.conf is read. */
function workdir(name: string, emu: EmulatorHandle, scheme: 'http' | 'https', kdcAddress = `127.0.0.1:${kdc.port}`): Workdir {
  const wd = createWorkdir(name, {});
  cleanup.push(() => wd.remove());
  const port = emu.hosts[0]!.port;
  const tls = scheme === 'https' ? `  ca_file = ${JSON.stringify(emu.caFile)}\n` : '';
  wd.write(
    'main.tf',
    `${requiredProviders('psremoting')}provider "psremoting" {\n  auth = "kerberos"\n  scheme = "${scheme}"\n  kerberos_realm = "${kdc.realm}"\n  kerberos_kdc = ["${kdcAddress}"]\n  restart_timeout_sec = 10\n  operation_timeout_sec = 10\n${tls}}\n` +
      endpointBlock('kerb', `localhost:${port}`, 'tf.kerberos', { idle_timeout_sec: 600 }),
  );
  return wd;
}

const env = (password = 'Alice-Pass-1'): NodeJS.ProcessEnv => ({
  PSREMOTING_USERNAME: 'alice',
  PSREMOTING_PASSWORD: password,
  KRB5_CONFIG: path.join(kdc.dir, 'no-krb5.conf'),
  KRB5CCNAME: `FILE:${path.join(kdc.dir, 'no-ccache')}`,
});

test.each([
  ['http with message encryption', 'http'],
  ['https with channel binding (CbtHardeningLevel=Strict)', 'https'],
] as const)('%s: apply creates the session configuration; plan is clean; destroy removes it', async (_name, scheme) => {
  const emu = await emulator(scheme === 'https');
  const wd = workdir(`kerberos-${scheme}`, emu, scheme);
  expect((await terraformIn(wd, ['init'], env())).code).toBe(0);
  const before = kdcLogSize();
  const applied = await terraformIn(wd, ['apply', '-auto-approve'], env());
  expect(applied.stderr).toBe('');
  expect(applied.code).toBe(0);
  expect(emu.virtualHosts[0]!.stored.plugins.has('tf.kerberos')).toBe(true);
  const applyRoundTrips = kdcRequests(before);
  // Each provider process that reaches the host: one AS pre-authentication probe, one AS, one TGS.
  expect(applyRoundTrips.tgs).toBeGreaterThanOrEqual(1);
  expect(applyRoundTrips.as).toBe(2 * applyRoundTrips.tgs);
  const plan = await terraformIn(wd, ['plan', '-detailed-exitcode'], env());
  expect(plan.code).toBe(0);
  expect((await terraformIn(wd, ['destroy', '-auto-approve'], env())).code).toBe(0);
  expect(emu.virtualHosts[0]!.stored.plugins.has('tf.kerberos')).toBe(false);
});

test.each([
  ['a wrong password', 'wrong', undefined, /AS exchange for alice@PSREMOTING.TEST: pre-authentication failed/],
  ['a KDC that is down', 'Alice-Pass-1', '127.0.0.1:9', /KDC unreachable for realm PSREMOTING.TEST/],
])('%s: one clear error and no WS-Man request', async (_name, password, kdcAddress, message) => {
  const environment = env(password);
  const emu = await emulator(false);
  const wd = workdir('kerberos-fail', emu, 'http', kdcAddress);
  expect((await terraformIn(wd, ['init'], environment)).code).toBe(0);
  const r = await terraformIn(wd, ['apply', '-auto-approve'], environment);
  expect(r.code).toBe(1);
  expect(flat(r.stderr)).toMatch(message);
  expect(r.stderr.match(/Error: /g)).toHaveLength(1);
  expect(r.stderr).not.toContain('Alice-Pass-1');
  expect(await counters(emu)).toMatchObject({ total: 0, authHandshakes: 0 });
});
