import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_USER, startEmulator, type EmulatorHandle } from '../../src/emulator';
import { locatePwsh, PWSH_MISSING_MESSAGE } from '../../src/emulator/powershell/pwsh-locator';
import { PowerShellSession } from '../../src/host';
import { registerDocument } from '../../src/host/session-configuration/plugin-documents';
import { RESOURCE_URI, WsmanClient, type WsmanAuth } from '../../src/wsman';
import { pluginConfigSpec } from '../../src/wsman/config';
import { waitFor } from '../support/wait-for';

/**
 * Command discovery (GET_COMMAND_METADATA) and runspace-pool sizing (SET_MAX_RUNSPACES, SET_MIN_RUNSPACES,
 * GET_AVAILABLE_RUNSPACES) of the host layer's PowerShell session against real PowerShell 7.6.9 through the
 * emulator, on the default endpoint and on a restricted (JEA-style) one.
 */
jest.setTimeout(120_000);

let emu: EmulatorHandle;
let stateDir: string;
const clients: WsmanClient[] = [];
const BASIC: WsmanAuth = { kind: 'basic', username: DEFAULT_USER.name, password: DEFAULT_USER.password, allowUnencrypted: true };

function client(): WsmanClient {
  const c = new WsmanClient({ endpoint: emu.hosts[0]!.endpoint, auth: BASIC, operationTimeoutMs: 30_000, receiveTimeoutMs: 3_000 });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  if (!locatePwsh()) throw new Error(PWSH_MISSING_MESSAGE);
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psrp-discovery-'));
  emu = await startEmulator({ allowUnencrypted: true, restartMs: 200, log: () => undefined });
}, 60_000);
afterAll(async () => {
  for (const c of clients) c.close();
  await emu?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

describe('the runspace pool of a session', () => {
  let session: PowerShellSession;
  beforeAll(async () => {
    session = await PowerShellSession.open(client());
  });
  afterAll(() => session?.close());

  it('is resized by SET_MAX_RUNSPACES and SET_MIN_RUNSPACES, and reports its free runspaces', async () => {
    expect([session.pool.minRunspaces, session.pool.maxRunspaces]).toEqual([1, 1]);
    expect(await session.availableRunspaces()).toBe(1);
    expect(await session.setMaxRunspaces(3)).toBe(true);
    expect(session.pool.maxRunspaces).toBe(3);
    expect(await session.availableRunspaces()).toBe(3);
    expect(await session.setMinRunspaces(2)).toBe(true);
    expect(session.pool.minRunspaces).toBe(2);
    // PowerShell keeps the maximum when asked for one below the minimum, and says so.
    expect(await session.setMaxRunspaces(1)).toBe(false);
    expect(session.pool.maxRunspaces).toBe(3);
    const busy = await session.start({ statements: [[{ command: 'Start-Sleep -Seconds 30', isScript: true }]] });
    await waitFor(async () => (await session.availableRunspaces()) === 2, 'a runspace taken by the running pipeline', 20_000);
    await busy.stop();
    expect((await busy.result).state).toBe('Stopped');
  });

  it('lists command metadata as Get-Command does over PSRP', async () => {
    const found = await session.commandMetadata({ names: ['Get-Item', 'gci'] });
    const byName = new Map(found.map((c) => [c.name, c]));
    expect(byName.get('Get-Item')).toMatchObject({ commandType: 'Cmdlet', namespace: 'Microsoft.PowerShell.Management' });
    expect(byName.get('Get-Item')?.parameters).toEqual(expect.arrayContaining(['Path', 'LiteralPath']));
    expect(byName.get('gci')).toMatchObject({ commandType: 'Alias', resolvedCommandName: 'Get-ChildItem' });
    expect(await session.commandMetadata({ names: ['No-SuchCommand'] })).toEqual([]);
    const functions = await session.commandMetadata({ names: ['*'], commandTypes: ['Function'] });
    expect(functions.length).toBeGreaterThan(0);
    expect(functions.every((c) => c.commandType === 'Function')).toBe(true);
  });
});

describe('a restricted endpoint', () => {
  it('reports only the commands its session configuration file makes visible', async () => {
    const pssc = path.join(stateDir, 'restricted.pssc');
    fs.writeFileSync(
      pssc,
      "@{ SchemaVersion = '2.0.0.0'; SessionType = 'RestrictedRemoteServer'; VisibleCmdlets = 'Get-Item'; VisibleFunctions = 'Get-Greeting'; " +
        "FunctionDefinitions = @{ Name = 'Get-Greeting'; ScriptBlock = { 'hello' } } }\n",
    );
    const c = client();
    const doc = registerDocument('psrp.restricted', {});
    doc.initializationParameters.push({ ...doc.initializationParameters[0]!, name: 'ConfigFilePath', value: pssc });
    await c.create(RESOURCE_URI.configPlugin, { Name: 'psrp.restricted' }, pluginConfigSpec(doc));
    await c.startProcess('powershell.exe -Command "Restart-Service WinRM"');
    let session: PowerShellSession | undefined;
    await waitFor(
      async () => {
        session = await PowerShellSession.open(client(), { configurationName: 'psrp.restricted' }).catch(() => undefined);
        return session !== undefined;
      },
      'the restricted endpoint after the restart',
      30_000,
    );
    if (!session) throw new Error('unreachable');
    try {
      const visible = await session.visibleCommands();
      const names = visible.map((v) => v.name);
      // RestrictedRemoteServer's own proxies (about_Session_Configuration_Files) and what the file adds.
      expect(names).toEqual(
        expect.arrayContaining(['Get-Item', 'Get-Greeting', 'Get-Command', 'Select-Object', 'Measure-Object', 'Exit-PSSession']),
      );
      expect(names).not.toContain('Set-Item');
      expect(names).not.toContain('Invoke-Expression');
      expect(visible.find((v) => v.name === 'Get-Greeting')?.commandType).toBe('Function');
      expect(visible.find((v) => v.name === 'Get-Item')?.commandType).toBe('Cmdlet');
    } finally {
      await session.close();
    }
  });
});
