/**
 * Independent Kerberos initiators against the emulator over HTTPS, with tickets from a real MIT KDC
 * (kinit): curl --negotiate (SPNEGO through MIT GSS-API) and Debian's python3-winrm with
 * requests-kerberos (raw Kerberos tokens through pykerberos, channel bindings sent). Needs krb5-kdc,
 * krb5-admin-server, krb5-user, curl, python3-winrm and python3-requests-kerberos.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { EmulatorControl, startEmulator, type EmulatorHandle } from '../../src/emulator';
import { ACTION, RESOURCE_URI, buildRequest } from '../../src/wsman';
import { startMitKdc, type MitKdc } from '../support/mit-kdc';
import { expectFaithful, type Observed } from './pywinrm-observed';

const run = promisify(execFile);
let kdc: MitKdc;
let emu: EmulatorHandle;
let endpoint: string;
let ccacheEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  kdc = await startMitKdc();
  await kdc.addUser('alice', 'Alice-Pass-1');
  const keytab = await kdc.addService('HTTP/localhost');
  ccacheEnv = { ...kdc.env, KRB5CCNAME: `FILE:${await kdc.kinit('alice', 'Alice-Pass-1')}` };
  emu = await startEmulator({ kerberosKeytab: keytab, tls: true, auth: ['ntlm'], log: () => undefined });
  endpoint = emu.hosts[0]!.endpoint.replace('127.0.0.1', 'localhost');
}, 60000);
afterAll(async () => {
  await emu?.stop();
  await kdc?.stop();
});

/** A WS-Man Get of the service configuration, as winrm get winrm/config sends it. */
const getConfig = (): string =>
  buildRequest({ to: endpoint, action: ACTION.Get, resourceUri: RESOURCE_URI.config, operationTimeoutMs: 20000 });

async function curl(extra: string[] = []): Promise<{ status: string; body: string }> {
  const args = [
    '--silent',
    '--show-error',
    '--negotiate',
    '-u',
    ':',
    '--cacert',
    emu.caFile!,
    '-H',
    'Content-Type: application/soap+xml;charset=UTF-8',
    '--data-binary',
    getConfig(),
    '-w',
    '\n%{http_code}',
    ...extra,
    endpoint,
  ];
  const { stdout } = await run('curl', args, { env: ccacheEnv, timeout: 30000 });
  const cut = stdout.lastIndexOf('\n');
  return { body: stdout.slice(0, cut), status: stdout.slice(cut + 1) };
}

test('curl --negotiate (MIT GSS-API, SPNEGO) authenticates with Kerberos over HTTPS', async () => {
  await new EmulatorControl(emu.control).resetCounters('win1');
  const { status, body } = await curl();
  expect(status).toBe('200');
  expect(body).toContain('<cfg:Config');
  expect((await new EmulatorControl(emu.control).counters('win1')).authHandshakes).toBeGreaterThanOrEqual(1);
});

test('curl without a ticket is refused with 401', async () => {
  const noTicket = await run(
    'curl',
    [
      '--silent',
      '--negotiate',
      '-u',
      ':',
      '--cacert',
      emu.caFile!,
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '--data-binary',
      getConfig(),
      endpoint,
    ],
    {
      env: { ...kdc.env, KRB5CCNAME: `FILE:${path.join(kdc.dir, 'empty-ccache')}` },
      timeout: 30000,
    },
  );
  expect(noTicket.stdout).toBe('401');
});

test('python3-winrm with requests-kerberos over HTTPS (mutual authentication required): commands and raw envelopes', async () => {
  const driver = path.join(__dirname, 'pywinrm-driver.py');
  const { stdout } = await run('/usr/bin/python3', [driver, endpoint, 'kerberos', emu.caFile!], { env: ccacheEnv, timeout: 60000 });
  expectFaithful(JSON.parse(stdout) as Observed);
});

test('CbtHardeningLevel=Strict refuses python3-winrm, whose Debian pykerberos cannot send channel bindings (as Windows refuses it)', async () => {
  emu.virtualHosts[0]!.stored.config.service!.auth!.cbtHardeningLevel = 'Strict';
  try {
    const refused = await run('/usr/bin/python3', [path.join(__dirname, 'pywinrm-driver.py'), endpoint, 'kerberos', emu.caFile!], {
      env: ccacheEnv,
      timeout: 60000,
    }).catch((e: { stderr?: string }) => e);
    expect(refused.stderr).toContain('InvalidCredentialsError: the specified credentials were rejected by the server');
  } finally {
    emu.virtualHosts[0]!.stored.config.service!.auth!.cbtHardeningLevel = 'Relaxed';
  }
});
