/**
 * Independent-client fidelity: Debian's python3-winrm (pywinrm, what Ansible uses against Windows)
 * drives the emulator. Needs `/usr/bin/python3 -c "import winrm"` (apt-get install python3-winrm).
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type EmulatorHandle } from '../../src/emulator';

const run = promisify(execFile);
const DRIVER = path.join(__dirname, 'pywinrm-driver.py');

interface Observed {
  echo: { stdout: string; stderr: string; code: number };
  fail: { stdout: string; stderr: string; code: number };
  get: string;
  enumerate: string;
  put: string;
  put_bad: string;
}

async function drive(emu: EmulatorHandle, transport: string): Promise<Observed> {
  const args = [DRIVER, emu.hosts[0]!.endpoint, transport, ...(emu.caFile ? [emu.caFile] : [])];
  const { stdout } = await run('/usr/bin/python3', args, { timeout: 60000 });
  return JSON.parse(stdout) as Observed;
}

function expectFaithful(o: Observed): void {
  expect(o.echo).toEqual({ stdout: 'hello from pywinrm\n', stderr: '', code: 0 });
  expect(o.fail).toEqual({ stdout: '', stderr: 'err\n', code: 4 });
  expect(o.get).toContain('Name="microsoft.powershell"');
  for (const name of ['Event Forwarding Plugin', 'microsoft.powershell32', 'WMI Provider', 'SEL Plugin']) expect(o.enumerate).toContain(`Name="${name}"`);
  expect(o.enumerate).toContain('EndOfSequence');
  expect(o.put).toContain('MaxShells="30"');
  expect(o.put_bad).toMatch(/^FAULT:WinRMError:.*'wsmanfault_code': '2150858817'/);
}

test('Basic over HTTP with AllowUnencrypted: commands and raw config/plugin envelopes', async () => {
  const emu = await startEmulator({ allowUnencrypted: true, log: () => undefined });
  try {
    expectFaithful(await drive(emu, 'basic'));
  } finally {
    await emu.stop();
  }
});

test('Basic over HTTPS with the emulator CA validated', async () => {
  const emu = await startEmulator({ tls: true, log: () => undefined });
  try {
    expectFaithful(await drive(emu, 'ssl'));
  } finally {
    await emu.stop();
  }
});
