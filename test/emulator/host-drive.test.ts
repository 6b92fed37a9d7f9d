/**
 * Each emulated host's C: drive is a folder of the state directory that every pwsh of the host sees (the
 * PSRP sessions' pwsh -s and WinRS powershell command lines), and PSRP sessions carry $PSSenderInfo.
 * Needs pwsh (PSREMOTING_PWSH, PATH or .tools/pwsh).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_USER, startEmulator, type EmulatorHandle } from '../../src/emulator';
import { locatePwsh, PWSH_MISSING_MESSAGE } from '../../src/emulator/powershell/pwsh-locator';
import { HostDrive } from '../../src/emulator/virtual-host/host-drive';
import { PowerShellSession, type PipelineResult } from '../../src/host';
import { toPlain } from '../../src/psrp';
import { WsmanClient } from '../../src/wsman';
import { TestClient } from '../support/wsman-test-client';
import { createShell, runToCompletion, startCommand } from '../support/winrs';

jest.setTimeout(120_000);

let emu: EmulatorHandle;
const clients: WsmanClient[] = [];

function client(host: number): WsmanClient {
  const c = new WsmanClient({
    endpoint: emu.hosts[host]!.endpoint,
    auth: { kind: 'basic', username: DEFAULT_USER.name, password: DEFAULT_USER.password, allowUnencrypted: true },
    operationTimeoutMs: 30_000,
    receiveTimeoutMs: 3_000,
  });
  clients.push(c);
  return c;
}

const texts = (r: PipelineResult): unknown[] => r.output.map(toPlain);

beforeAll(async () => {
  if (!locatePwsh()) throw new Error(PWSH_MISSING_MESSAGE);
  emu = await startEmulator({ hosts: ['win1', 'win2'], allowUnencrypted: true, log: () => undefined });
}, 60_000);
afterAll(async () => {
  for (const c of clients) c.close();
  await emu?.stop();
});

describe('the mapping of Windows paths', () => {
  test('C:\\ paths resolve under the host folder, case-insensitively for existing names; others are not on the drive', () => {
    const drive = emu.virtualHosts[0]!.drive;
    expect(drive.localPath('C:\\x\\y.txt')).toBe(path.join(drive.root, 'x', 'y.txt'));
    expect(drive.localPath('c:/PROGRAM FILES/windowspowershell/modules')).toBe(
      path.join(drive.root, 'Program Files', 'WindowsPowerShell', 'Modules'),
    );
    expect(drive.localPath('C:\\Windows\\..\\Windows\\.\\Temp')).toBe(path.join(drive.root, 'Windows', 'Temp'));
    expect(drive.localPath('C:\\..\\escape')).toBeUndefined();
    expect(drive.localPath('D:\\x')).toBeUndefined();
    expect(drive.localPath('relative\\x')).toBeUndefined();
    expect(fs.statSync(drive.localPath('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\SessionConfig')!).isDirectory()).toBe(true);
  });

  test('each host has its own folder', () => {
    const [a, b] = emu.virtualHosts.map((h) => h.drive.root);
    expect(a).not.toBe(b);
    expect(new HostDrive(emu.stateDir, 'win1').root).toBe(a);
  });
});

describe('PowerShell sessions see their host drive', () => {
  let s1: PowerShellSession;
  let s2: PowerShellSession;
  beforeAll(async () => {
    [s1, s2] = await Promise.all([PowerShellSession.open(client(0)), PowerShellSession.open(client(1))]);
  });
  afterAll(() => Promise.all([s1?.close(), s2?.close()]));

  test('a file written to C:\\x\\y.txt lands in that host folder only', async () => {
    const write = await s1.runScript(
      "New-Item -ItemType Directory -Path C:\\x -Force | Out-Null; Set-Content -Path C:\\x\\y.txt -Value 'from win1'; [string](Get-Content C:\\x\\y.txt)",
    );
    expect(write.errors).toEqual([]);
    expect(texts(write)).toEqual(['from win1']);
    expect(fs.readFileSync(path.join(emu.virtualHosts[0]!.drive.root, 'x', 'y.txt'), 'utf8').trim()).toBe('from win1');
    expect(fs.existsSync(path.join(emu.virtualHosts[1]!.drive.root, 'x'))).toBe(false);
    expect(texts(await s2.runScript('Test-Path C:\\x\\y.txt'))).toEqual([false]);
  });

  test('the seeded folders and the modules folder on PSModulePath are there', async () => {
    const r = await s1.runScript(
      "(Test-Path C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\SessionConfig), ($env:PSModulePath -split [IO.Path]::PathSeparator -contains $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath('C:\\Program Files\\WindowsPowerShell\\Modules'))",
    );
    expect(texts(r)).toEqual([true, true]);
  });

  test('a module written to the host modules folder is found by name', async () => {
    const r = await s1.runScript(
      "$null = New-Item -ItemType Directory -Force -Path 'C:\\Program Files\\WindowsPowerShell\\Modules\\DriveProbe'; Set-Content -Path 'C:\\Program Files\\WindowsPowerShell\\Modules\\DriveProbe\\DriveProbe.psm1' -Value 'function Get-DriveProbe { 42 }'; Import-Module DriveProbe; Get-DriveProbe",
    );
    expect(r.errors).toEqual([]);
    expect(texts(r)).toEqual([42]);
  });

  test('$PSSenderInfo names the endpoint, the user and the address', async () => {
    const r = await s1.runScript('$PSSenderInfo.ConfigurationName; $PSSenderInfo.UserInfo.Identity.Name; $PSSenderInfo.ConnectionString');
    expect(texts(r)).toEqual(['microsoft.powershell', `WIN1\\${DEFAULT_USER.name}`, emu.hosts[0]!.endpoint]);
  });
});

test('a WinRS powershell command line sees the same drive', async () => {
  const c = new TestClient(emu.hosts[1]!.endpoint);
  const shell = await createShell(c);
  const script = 'Set-Content -Path C:\\Windows\\Temp\\winrs.txt -Value winrs; (Get-Item C:\\Windows\\Temp\\winrs.txt).FullName';
  const cmd = await startCommand(
    c,
    shell.shellId!,
    `powershell.exe -NoProfile -EncodedCommand ${Buffer.from(script, 'utf16le').toString('base64')}`,
  );
  const r = await runToCompletion(c, shell.shellId!, cmd.commandId!);
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  expect(fs.readFileSync(path.join(emu.virtualHosts[1]!.drive.root, 'Windows', 'Temp', 'winrs.txt'), 'utf8').trim()).toBe('winrs');
});
