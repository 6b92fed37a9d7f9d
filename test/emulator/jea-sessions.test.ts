/**
 * JEA endpoints on the emulator, through the project's PSRP client and real pwsh: the endpoint's .pssc on
 * the host's drive, the connecting user's roles resolved to role capabilities (a module's RoleCapabilities
 * folder, RoleCapabilityFiles), merged and applied with pwsh -ConfigurationFile.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_USER, startEmulator, type EmulatorHandle } from '../../src/emulator';
import { locatePwsh, PWSH_MISSING_MESSAGE } from '../../src/emulator/powershell/pwsh-locator';
import { PowerShellSession, type PipelineResult } from '../../src/host';
import { toPlain } from '../../src/psrp';
import { WsmanClient } from '../../src/wsman';
import { registerEndpoint } from '../support/emulated-endpoint';
import { waitFor } from '../support/wait-for';

jest.setTimeout(180_000);

let emu: EmulatorHandle;
const clients: WsmanClient[] = [];
const PASSWORD = 'Jea-pass-1';

function open(user: string, configurationName: string): Promise<PowerShellSession> {
  const c = new WsmanClient({
    endpoint: emu.hosts[0]!.endpoint,
    auth: {
      kind: 'basic',
      username: user,
      password: user === DEFAULT_USER.name ? DEFAULT_USER.password : PASSWORD,
      allowUnencrypted: true,
    },
    operationTimeoutMs: 30_000,
    receiveTimeoutMs: 3_000,
  });
  clients.push(c);
  return PowerShellSession.open(c, { configurationName });
}

/** Writes a file on the host's drive, as New-PSSessionConfigurationFile does (UTF-16 LE with a BOM) when `unicode`. */
function writeOnHost(windowsPath: string, text: string, unicode = false): void {
  const local = emu.virtualHosts[0]!.drive.localPath(windowsPath)!;
  fs.mkdirSync(path.dirname(local), { recursive: true });
  fs.writeFileSync(local, unicode ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) : text);
}

const run = (s: PowerShellSession, command: string, parameters: Array<{ name: string; value: string }> = []): Promise<PipelineResult> =>
  s.invoke({ statements: [[{ command, parameters }]] });
const outputs = (r: PipelineResult): unknown[] => r.output.map(toPlain);
const errorIds = (r: PipelineResult): string[] => [...r.errors, ...(r.reason ? [r.reason] : [])].map((e) => e.fullyQualifiedErrorId ?? '');

const OPS_PSSC = `@{
SchemaVersion = '2.0.0.0'
GUID = '4d0e1f52-6a0b-4c1e-9a57-6f3f0b7d2a11'
SessionType = 'RestrictedRemoteServer'
LanguageMode = 'NoLanguage'
RunAsVirtualAccount = $true
TranscriptDirectory = 'C:\\Transcripts'
# Operators get the module's role capability; auditors a capability file.
RoleDefinitions = @{
    'JEA_Operators' = @{
        'RoleCapabilities' = 'Maintenance' }
    'CONTOSO\\JEA_Auditors' = @{
        'RoleCapabilityFiles' = 'C:\\caps\\Audit.psrc' } }
}
`;

const MAINTENANCE_PSRC = `@{
GUID = '0f4d1b22-5a69-4b32-8d53-0e3c2f8b1a11'
Author = 'ops'
VisibleCmdlets = 'Get-Date', @{ Name = 'Write-Output'; Parameters = @{ Name = 'InputObject'; ValidateSet = 'allowed' } }
VisibleFunctions = 'Get-OpsStatus'
FunctionDefinitions = @{ Name = 'Get-OpsStatus'; ScriptBlock = { 'ops ok' } }
}
`;

beforeAll(async () => {
  if (!locatePwsh()) throw new Error(PWSH_MISSING_MESSAGE);
  emu = await startEmulator({
    allowUnencrypted: true,
    restartMs: 100,
    users: [
      DEFAULT_USER,
      { name: 'alice', password: PASSWORD, groups: ['JEA_Operators'] },
      { name: 'carol', password: PASSWORD, groups: ['CONTOSO\\JEA_Auditors'] },
      { name: 'bob', password: PASSWORD, groups: [] },
      { name: 'dave', password: PASSWORD, groups: ['JEA_Operators', 'CONTOSO\\JEA_Auditors'] },
    ],
    log: () => undefined,
  });
  writeOnHost(
    'C:\\Program Files\\WindowsPowerShell\\Modules\\JeaOps\\JeaOps.psd1',
    "@{ ModuleVersion = '1.0.0'; GUID = 'b7a0c1de-1f5e-4a51-9d44-2b0e0f1c9a01' }\n",
  );
  writeOnHost('C:\\Program Files\\WindowsPowerShell\\Modules\\JeaOps\\RoleCapabilities\\Maintenance.psrc', MAINTENANCE_PSRC, true);
  writeOnHost(
    'C:\\caps\\Audit.psrc',
    "@{ VisibleCmdlets = 'Get-Random', @{ Name = 'Write-Output'; Parameters = @{ Name = 'InputObject'; ValidateSet = 'audited' } } }\n",
  );
  const sessionConfig = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\SessionConfig';
  writeOnHost(`${sessionConfig}\\JeaOps_4d0e1f52.pssc`, OPS_PSSC, true);
  writeOnHost(
    `${sessionConfig}\\JeaConstrained.pssc`,
    "@{ SchemaVersion = '2.0.0.0'; SessionType = 'Default'; LanguageMode = 'ConstrainedLanguage'; RunAsVirtualAccount = $true; RequiredGroups = @{ And = 'JEA_Operators' } }\n",
  );
  // Everyone in BUILTIN\Users passes the SDDL: the roles, not the SDDL, keep bob and vagrant out.
  const sddl = 'O:NSG:BAD:P(A;;GA;;;BA)(A;;GA;;;BU)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)';
  await registerEndpoint(emu, 0, 'JeaOps', { sddl, configFilePath: `${sessionConfig}\\JeaOps_4d0e1f52.pssc` });
  await registerEndpoint(emu, 0, 'JeaConstrained', { sddl, configFilePath: `${sessionConfig}\\JeaConstrained.pssc` });
  writeOnHost(`${sessionConfig}\\JeaCode.pssc`, '@{ SessionType = \'RestrictedRemoteServer\'\nScriptsToProcess = "$env:TEMP\\x.ps1" }\n');
  await registerEndpoint(emu, 0, 'JeaCode', { sddl, configFilePath: `${sessionConfig}\\JeaCode.pssc` });
}, 90_000);
afterAll(async () => {
  for (const c of clients) c.close();
  await emu?.stop();
});

describe('a JEA endpoint', () => {
  let alice: PowerShellSession;
  beforeAll(async () => {
    alice = await open('alice', 'JeaOps');
  });

  test('a role capability from a module: its commands run, parameter constraints hold, the rest is hidden', async () => {
    expect(outputs(await run(alice, 'Get-OpsStatus'))).toEqual(['ops ok']);
    expect((await run(alice, 'Get-Date')).errors).toEqual([]);
    expect(outputs(await run(alice, 'Write-Output', [{ name: 'InputObject', value: 'allowed' }]))).toEqual(['allowed']);
    expect(errorIds(await run(alice, 'Write-Output', [{ name: 'InputObject', value: 'other' }])).join()).toMatch(
      /ParameterArgumentValidationError/,
    );
    expect(errorIds(await run(alice, 'Get-ChildItem')).join()).toMatch(/CommandNotFoundException/);
    expect(errorIds(await run(alice, 'Get-Random')).join()).toMatch(/CommandNotFoundException/);
  });

  test('the declared NoLanguage mode: no script runs', async () => {
    const r = await alice.runScript('1 + 1');
    expect(r.output).toEqual([]);
    expect(errorIds(r).join()).toMatch(/ScriptsNotAllowed/);
  });

  test('a user in another role gets that role command set', async () => {
    const carol = await open('carol', 'JeaOps');
    try {
      expect(outputs(await run(carol, 'Get-Random', [{ name: 'Maximum', value: '2' }])).length).toBe(1);
      expect(errorIds(await run(carol, 'Get-OpsStatus')).join()).toMatch(/CommandNotFoundException/);
      expect(errorIds(await run(carol, 'Get-Date')).join()).toMatch(/CommandNotFoundException/);
    } finally {
      await carol.close();
    }
  });

  test('a user in two roles gets both command sets, with the parameter constraints merged', async () => {
    const dave = await open('dave', 'JeaOps');
    try {
      expect(outputs(await run(dave, 'Get-OpsStatus'))).toEqual(['ops ok']);
      expect(outputs(await run(dave, 'Get-Random', [{ name: 'Maximum', value: '2' }])).length).toBe(1);
      expect(outputs(await run(dave, 'Write-Output', [{ name: 'InputObject', value: 'allowed' }]))).toEqual(['allowed']);
      expect(outputs(await run(dave, 'Write-Output', [{ name: 'InputObject', value: 'audited' }]))).toEqual(['audited']);
      expect(errorIds(await run(dave, 'Write-Output', [{ name: 'InputObject', value: 'other' }])).join()).toMatch(
        /ParameterArgumentValidationError/,
      );
    } finally {
      await dave.close();
    }
  });

  test('users in no role are refused, administrators included', async () => {
    await expect(open('bob', 'JeaOps')).rejects.toMatchObject({ code: 5, subcode: 'w:AccessDenied' });
    await expect(open(DEFAULT_USER.name, 'JeaOps')).rejects.toMatchObject({ code: 5 });
  });

  test('the session writes its transcript into TranscriptDirectory on the host drive; the effective file is removed with the shell', async () => {
    const shellId = alice.shellId;
    await alice.close();
    const transcripts = emu.virtualHosts[0]!.drive.localPath('C:\\Transcripts')!;
    await waitFor(() => fs.existsSync(transcripts) && fs.readdirSync(transcripts).length > 0, 'a transcript', 20_000);
    expect(fs.existsSync(emu.virtualHosts[0]!.drive.sessionFile(shellId))).toBe(false);
  });
});

describe('a constrained endpoint with RequiredGroups', () => {
  test('a member sees ConstrainedLanguage and $PSSenderInfo naming the endpoint, the user and the virtual account', async () => {
    const s = await open('alice', 'JeaConstrained');
    try {
      const r = await s.runScript(
        '$ExecutionContext.SessionState.LanguageMode.ToString(); $PSSenderInfo.ConfigurationName; $PSSenderInfo.ConnectedUser; $PSSenderInfo.RunAsUser',
      );
      expect(outputs(r)).toEqual(['ConstrainedLanguage', 'JeaConstrained', 'WIN1\\alice', 'WinRM Virtual Users\\WinRM VA_1_WIN1_alice']);
    } finally {
      await s.close();
    }
  });

  test('a user outside RequiredGroups is refused', async () => {
    await expect(open('carol', 'JeaConstrained')).rejects.toMatchObject({ code: 5 });
  });
});

describe('an endpoint whose file holds code', () => {
  test('the Create fails naming the file and where the code is', async () => {
    await expect(open('alice', 'JeaCode')).rejects.toThrow(/JeaCode\.pssc: line 2, column 21: .*would be expanded/);
  });
});
