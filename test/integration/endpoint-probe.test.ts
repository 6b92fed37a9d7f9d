/**
 * What the verifying session sees, against the emulator's real PowerShell: a default endpoint is
 * FullLanguage and its commands are not listed; a restricted endpoint (a session configuration file
 * with RestrictedRemoteServer) is NoLanguage, or the language mode its file sets, and lists what it makes
 * visible, sorted.
 */
import * as fs from 'node:fs';
import { DEFAULT_USER, startEmulator, type EmulatorHandle } from '../../src/emulator';
import { probeEndpoint, type Host, type HostPool } from '../../src/host';
import { registerDocument } from '../../src/host/session-configuration/plugin-documents';
import { RESOURCE_URI, WsmanClient } from '../../src/wsman';
import { pluginConfigSpec } from '../../src/wsman/config';
import { emulatorPool } from '../support/host-pool';
import { waitFor } from '../support/wait-for';

jest.setTimeout(180_000);

let emulator: EmulatorHandle;
let pool: HostPool;
let host: Host;
const signal = new AbortController().signal;
const probe = (name: string) => host.powershell((client, gate) => probeEndpoint(client, gate, name, signal), signal);

beforeAll(async () => {
  emulator = await startEmulator({ hosts: ['win1'], allowUnencrypted: true, auth: ['basic'], restartMs: 200, log: () => undefined });
  pool = emulatorPool();
  host = pool.host(emulator.hosts[0]!.endpoint);
});
afterAll(async () => {
  await emulator?.stop();
});

test('a default endpoint: FullLanguage, the pipeline runs, no command list', async () => {
  const view = await probe('Microsoft.PowerShell');
  expect(view).toMatchObject({ pipeline: 'ran', languageMode: 'FullLanguage' });
  expect(view.visibleCommands).toBeUndefined();
});

test('restricted endpoints: the language mode their file sets (NoLanguage by default) and their visible commands, sorted', async () => {
  const drive = emulator.virtualHosts[0]!.drive;
  const write = (windowsPath: string, text: string): void => {
    const local = drive.localPath(windowsPath)!;
    fs.mkdirSync(local.slice(0, local.lastIndexOf('/')), { recursive: true });
    fs.writeFileSync(local, text);
  };
  write(
    'C:\\ProgramData\\JeaProbe\\restricted.pssc',
    "@{ SchemaVersion = '2.0.0.0'; SessionType = 'RestrictedRemoteServer'; VisibleCmdlets = 'Get-Date'; VisibleFunctions = 'Get-Greeting'; " +
      "FunctionDefinitions = @{ Name = 'Get-Greeting'; ScriptBlock = { 'hello' } } }\n",
  );
  write(
    'C:\\ProgramData\\JeaProbe\\restricted-language.pssc',
    "@{ SchemaVersion = '2.0.0.0'; SessionType = 'RestrictedRemoteServer'; LanguageMode = 'RestrictedLanguage'; VisibleCmdlets = 'Get-Date' }\n",
  );
  const client = new WsmanClient({
    endpoint: emulator.hosts[0]!.endpoint,
    auth: { kind: 'basic', username: DEFAULT_USER.name, password: DEFAULT_USER.password, allowUnencrypted: true },
    operationTimeoutMs: 30_000,
  });
  for (const [name, file] of [
    ['Jea.Probe', 'restricted.pssc'],
    ['Jea.ProbeRestricted', 'restricted-language.pssc'],
  ] as const) {
    const doc = registerDocument(name, {});
    doc.initializationParameters.push({
      ...doc.initializationParameters[0]!,
      name: 'ConfigFilePath',
      value: `C:\\ProgramData\\JeaProbe\\${file}`,
    });
    await client.create(RESOURCE_URI.configPlugin, { Name: name }, pluginConfigSpec(doc));
  }
  await client.startProcess('powershell.exe -Command "Restart-Service WinRM"');
  let view: Awaited<ReturnType<typeof probe>> | undefined;
  await waitFor(
    async () => (view = await probe('Jea.Probe').catch(() => undefined)) !== undefined,
    'the endpoint after the restart',
    60_000,
  );
  expect(view).toMatchObject({ pipeline: 'ran', languageMode: 'NoLanguage' });
  // RestrictedRemoteServer's own proxies (about_Session_Configuration_Files) and what the file adds.
  expect(view!.visibleCommands).toEqual(
    expect.arrayContaining(['Get-Command', 'Get-Date', 'Get-Greeting', 'Exit-PSSession', 'Select-Object']),
  );
  expect(view!.visibleCommands).not.toContain('Set-Item');
  const lower = view!.visibleCommands!.map((n) => n.toLowerCase());
  expect(lower).toEqual([...new Set(lower)].sort());

  const restricted = await probe('Jea.ProbeRestricted');
  expect(restricted.languageMode).toBe('RestrictedLanguage');
  expect(restricted.visibleCommands).not.toContain('Get-Greeting');
  client.close();
});
