/**
 * Independent-client fidelity: Debian's python3-winrm (pywinrm, what Ansible uses against Windows)
 * drives the emulator. Needs `/usr/bin/python3 -c "import winrm"` (apt-get install python3-winrm).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator';
import { EmulatorControl } from '../../src/emulator';
import { expectFaithful, type Observed } from './pywinrm-observed';
import { PWSH_MISSING_MESSAGE, locatePwsh } from '../../src/emulator/powershell/pwsh-locator';

beforeAll(() => {
  if (!locatePwsh()) throw new Error(PWSH_MISSING_MESSAGE);
});

const run = promisify(execFile);
const DRIVER = path.join(__dirname, 'pywinrm-driver.py');

/**
 * ntlm-auth computes NT hashes with hashlib's MD4, which OpenSSL 3 only offers from its legacy provider;
 * Ansible users on current distributions meet the same "unsupported hash type md4" and load it this way.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pywinrm-interop-'));
const OPENSSL_CONF = path.join(tmp, 'openssl.cnf');
fs.writeFileSync(
  OPENSSL_CONF,
  [
    'openssl_conf = openssl_init',
    '[openssl_init]',
    'providers = provider_sect',
    '[provider_sect]',
    'default = default_sect',
    'legacy = legacy_sect',
    '[default_sect]',
    'activate = 1',
    '[legacy_sect]',
    'activate = 1',
    '',
  ].join('\n'),
);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the driver against a fresh emulator and checks what it observed; `more` checks the emulator after. */
async function driveFresh(options: EmulatorOptions, transport: string, more?: (emu: EmulatorHandle) => Promise<void>): Promise<void> {
  const emu = await startEmulator({ ...options, log: () => undefined });
  try {
    const args = [DRIVER, emu.hosts[0]!.endpoint, transport, ...(emu.caFile ? [emu.caFile] : [])];
    const { stdout } = await run('/usr/bin/python3', args, { timeout: 60000, env: { ...process.env, OPENSSL_CONF } });
    expectFaithful(JSON.parse(stdout) as Observed);
    await more?.(emu);
  } finally {
    await emu.stop();
  }
}

test('Basic over HTTP with AllowUnencrypted: commands and raw config/plugin envelopes', () =>
  driveFresh({ allowUnencrypted: true }, 'basic'));

test('NTLM with message encryption over HTTP (AllowUnencrypted=false, Basic off): commands and raw envelopes', () =>
  driveFresh({ auth: ['ntlm'] }, 'ntlm', async (emu) => {
    const counters = await new EmulatorControl(emu.control).counters('win1');
    // pywinrm keeps one authenticated connection per client object for the whole run; the driver has two
    // (its Protocol, and the Session run_ps needs).
    expect(counters.total).toBeGreaterThan(10);
    expect(counters.authHandshakes).toBeLessThanOrEqual(4);
  }));

test('Basic over HTTPS with the emulator CA validated', () => driveFresh({ tls: true }, 'ssl'));
