/**
 * auth = "certificate" under real terraform: a psremoting_command inside an endpoint over HTTPS with a
 * client certificate the emulated host maps to a local account (winrm/config/service/certmapping), and
 * the same configuration refused once the host's Service/Auth/Certificate is false.
 */
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_USER, startEmulator, type EmulatorHandle } from '../../src/emulator';
import { hcl } from '../support/command-e2e';
import { createWorkdir, installProviders, requiredProviders, succeeded, type Workdir } from '../support/terraform';
import { makeTestPki } from '../support/test-certificates';

jest.setTimeout(240_000);

const pki = makeTestPki({ clientUpn: 'ops@win1' });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'psr-e2e-cert-'));
let emu: EmulatorHandle;
let wd: Workdir;
const setCertificateAuth = (enabled: boolean): void => {
  emu.virtualHosts[0]!.stored.config.service!.auth!.certificate = String(enabled);
};

beforeAll(async () => {
  installProviders();
  const file = (name: string, text: string): string => {
    const f = path.join(tmp, name);
    fs.writeFileSync(f, text, { mode: 0o600 });
    return f;
  };
  emu = await startEmulator({
    tls: true,
    users: [DEFAULT_USER, { name: 'ops', password: 'not-used-by-certificates' }],
    clientCaFiles: [file('client-ca.pem', pki.caCert)],
    certMappings: [{ subject: 'ops@win1', issuer: new X509Certificate(pki.caCert).fingerprint.replace(/:/g, ''), userName: 'ops' }],
    log: () => undefined,
  });
  wd = createWorkdir('certificate-auth', {
    'main.tf': `${requiredProviders('psremoting')}
provider "psremoting" {
  auth             = "certificate"
  scheme           = "https"
  client_cert_file = ${hcl(file('client.pem', pki.clientCert))}
  client_key_file  = ${hcl(file('client.key', pki.clientKey))}
  ca_file          = ${hcl(emu.caFile!)}
}
resource "psremoting_command" "c" {
  host               = ${hcl(emu.hosts[0]!.endpoint)}
  configuration_name = "microsoft.powershell"
  command            = "$PSSenderInfo.UserInfo.Identity.Name"
}
output "stdout" { value = psremoting_command.c.stdout }
`,
  });
  succeeded(await wd.terraform(['init']));
}, 120_000);
afterAll(async () => {
  wd?.remove();
  await emu?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('Certificate auth disabled on the host (the Windows default): the apply fails with the refusal', async () => {
  setCertificateAuth(false);
  const r = await wd.terraform(['apply', '-auto-approve']);
  expect(r.code).toBe(1);
  expect(r.stderr.replace(/[\s│]+/g, ' ')).toContain('HTTP 401: the host refused certificate authentication');
});

test('a mapped client certificate runs the command inside the endpoint as the mapped account', async () => {
  setCertificateAuth(true);
  succeeded(await wd.terraform(['apply', '-auto-approve']));
  const out = JSON.parse(succeeded(await wd.terraform(['output', '-json'])).stdout) as Record<string, { value: unknown }>;
  expect(out.stdout!.value).toBe('WIN1\\ops\n');
  expect((await wd.terraform(['plan', '-detailed-exitcode'])).code).toBe(0);
});
