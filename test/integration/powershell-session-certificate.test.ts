import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_USER, EmulatorControl, startEmulator, type EmulatorHandle } from '../../src/emulator';
import { locatePwsh, PWSH_MISSING_MESSAGE } from '../../src/emulator/powershell/pwsh-locator';
import { PowerShellSession } from '../../src/host';
import { toPlain } from '../../src/psrp';
import { RESOURCE_URI, WsmanClient, type WsmanAuth } from '../../src/wsman';
import { NS } from '../../src/wsman/xml';
import { makeTestPki, type TestPki } from '../support/test-certificates';

/**
 * Certificate authentication as WinRM does it (client certificate in the TLS handshake, the
 * secprofile/https/mutual Authorization, a certmapping naming the local account), with a PSRP session
 * bridged to real PowerShell 7.6.9.
 */
jest.setTimeout(120_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cert-auth-'));
// Mapped: its CA is trusted and a mapping names its issuer and UPN.
const mapped = makeTestPki({ clientUpn: 'ops@win1' });
// Trusted CA, but the only mapping for that issuer is for another UPN.
const unmapped = makeTestPki({ clientUpn: 'eve@win1' });
// A CA the host does not trust, with the UPN the mappings accept.
const untrusted = makeTestPki({ clientUpn: 'ops@win1' });
const thumbprint = (pki: TestPki): string => new X509Certificate(pki.caCert).fingerprint.replace(/:/g, '');

const REFUSED = /HTTP 401: the host refused certificate authentication/;

let emu: EmulatorHandle;
/** The emulator's log: why each certificate was refused (the client only sees the 401). */
const log: string[] = [];
const clients: WsmanClient[] = [];

function client(auth: WsmanAuth): WsmanClient {
  const ca = fs.readFileSync(emu.caFile!, 'utf8');
  const c = new WsmanClient({ endpoint: emu.hosts[0]!.endpoint, auth, tls: { ca }, operationTimeoutMs: 30_000, receiveTimeoutMs: 3_000 });
  clients.push(c);
  return c;
}
const certificate = (pki: TestPki): WsmanAuth => ({ kind: 'certificate', cert: pki.clientCert, key: pki.clientKey });

async function setCertificateAuth(enabled: boolean): Promise<void> {
  const admin = client({ kind: 'basic', username: DEFAULT_USER.name, password: DEFAULT_USER.password });
  await admin.put(RESOURCE_URI.configServiceAuth, undefined, {
    xml: `<cfg:Auth xmlns:cfg="${NS.cfg}"><cfg:Certificate>${String(enabled)}</cfg:Certificate></cfg:Auth>`,
  });
}

beforeAll(async () => {
  if (!locatePwsh()) throw new Error(PWSH_MISSING_MESSAGE);
  const caFiles = [mapped, unmapped].map((pki, i) => {
    const f = path.join(tmp, `client-ca-${i}.pem`);
    fs.writeFileSync(f, pki.caCert);
    return f;
  });
  emu = await startEmulator({
    tls: true,
    users: [DEFAULT_USER, { name: 'ops', password: 'not-used-by-certificates' }],
    clientCaFiles: caFiles,
    certMappings: [
      { subject: 'ops@*', issuer: thumbprint(mapped), userName: 'ops' },
      { subject: 'ops@*', issuer: thumbprint(unmapped), userName: 'ops' },
      { subject: 'ops@*', issuer: thumbprint(untrusted), userName: 'ops' },
    ],
    restartMs: 200,
    log: (m) => log.push(m),
  });
}, 60_000);
afterAll(async () => {
  for (const c of clients) c.close();
  await emu?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('with Service/Auth/Certificate = true', () => {
  beforeAll(() => setCertificateAuth(true));

  it('a mapped certificate opens a PSRP session that runs as the mapped account', async () => {
    const session = await PowerShellSession.open(client(certificate(mapped)), { name: 'cert-tests' });
    try {
      const r = await session.runScript('$PSSenderInfo.UserInfo.Identity.Name; $PSSenderInfo.ConfigurationName; 6 * 7');
      expect(r.output.map(toPlain)).toEqual(['WIN1\\ops', 'microsoft.powershell', 42]);
    } finally {
      await session.close();
    }
  });

  it('a trusted certificate no mapping matches is refused with 401', async () => {
    await expect(PowerShellSession.open(client(certificate(unmapped)), { name: 'cert-tests' })).rejects.toThrow(REFUSED);
    expect(log.at(-1)).toMatch(new RegExp(`no certificate mapping for eve@win1 issued by ${thumbprint(unmapped)}`));
  });

  it('a certificate from a CA the host does not trust is refused with 401, mapping or not', async () => {
    await expect(PowerShellSession.open(client(certificate(untrusted)), { name: 'cert-tests' })).rejects.toThrow(REFUSED);
    expect(log.at(-1)).toMatch(/client certificate CN=ops not trusted/);
  });

  it('a CA trusted and a mapping added through the control API take effect on new connections', async () => {
    const control = new EmulatorControl(emu.control);
    const trust = await control.trustClientCa('win1', untrusted.caCert);
    expect(trust.cas.map((c) => c.thumbprint)).toEqual([mapped, unmapped, untrusted].map(thumbprint));
    const session = await PowerShellSession.open(client(certificate(untrusted)), { name: 'cert-tests' });
    try {
      expect((await session.runScript('$PSSenderInfo.UserInfo.Identity.Name')).output.map(toPlain)).toEqual(['WIN1\\ops']);
    } finally {
      await session.close();
    }
    await control.addCertMapping('win1', { subject: 'eve@win1', issuer: thumbprint(unmapped), userName: DEFAULT_USER.name });
    const eve = await PowerShellSession.open(client(certificate(unmapped)), { name: 'cert-tests' });
    try {
      expect((await eve.runScript('$PSSenderInfo.UserInfo.Identity.Name')).output.map(toPlain)).toEqual([`WIN1\\${DEFAULT_USER.name}`]);
    } finally {
      await eve.close();
    }
    await expect(control.addCertMapping('win1', { subject: 'a*b', issuer: thumbprint(unmapped), userName: 'ops' })).rejects.toThrow(
      /at most one \*, first or last/,
    );
  });
});

describe('with Service/Auth/Certificate = false (the Windows default)', () => {
  beforeAll(() => setCertificateAuth(false));

  it('even a mapped certificate is refused', async () => {
    await expect(PowerShellSession.open(client(certificate(mapped)), { name: 'cert-tests' })).rejects.toThrow(REFUSED);
    expect(log.at(-1)).toMatch(/Service\/Auth\/Certificate is false/);
  });
});
