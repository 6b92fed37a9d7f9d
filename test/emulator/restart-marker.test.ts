import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RESOURCE_URI, WsmanClient } from '../../src/wsman';
import { startEmulator, type EmulatorHandle, EmulatorControl } from '../../src/emulator';
import { hostSteps } from '../../src/emulator/wmi/restart-command';
import { waitFor } from '../support/wait-for';

const HKLM = '2147483650';
/** The command line the provider's host layer gives Win32_Process.Create to restart WinRM. */
const restartLine = (marker: string): string =>
  `cmd.exe /c net stop WinRM && net start WinRM && reg add "HKLM\\SOFTWARE\\psremoting" /v WinRMRestartMarker /t REG_SZ /d ${marker} /f`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-marker-'));
let emu: EmulatorHandle;
const control = (): EmulatorControl => new EmulatorControl(emu.control);
let client: WsmanClient;

beforeAll(async () => {
  emu = await startEmulator({ restartMs: 200, stateDir: tmp, log: () => undefined });
  client = new WsmanClient({
    endpoint: emu.hosts[0]!.endpoint,
    auth: { kind: 'ntlm', username: 'vagrant', password: 'vagrant' },
    operationTimeoutMs: 10000,
    responseSlackMs: 5000,
  });
});
afterAll(async () => {
  client.close();
  await emu.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function readMarker(): Promise<{ returnValue?: number; value?: string }> {
  const out = await client.invokeWmiMethod(RESOURCE_URI.stdRegProv, 'GetStringValue', {
    hDefKey: HKLM,
    sSubKeyName: 'SOFTWARE\\psremoting',
    sValueName: 'WinRMRestartMarker',
  });
  return { returnValue: out.returnValue, value: out.values.sValue };
}

const hostState = () => control().host('win1');

const markerInRegistry = (): string | undefined => emu.virtualHosts[0]!.registry.get('HKLM\\SOFTWARE\\psremoting', 'WinRMRestartMarker');

test('the marker is absent on a fresh host (ReturnValue 1, sValue nil)', async () => {
  expect(await readMarker()).toEqual({ returnValue: 1, value: undefined });
});

test('the restart chain restarts WinRM and writes the marker only once WinRM runs again', async () => {
  const before = await hostState();
  await client.startProcess(restartLine('2026-11-20T10:00:00.000Z-0a1b2c3d'));
  await waitFor(async () => !(await hostState()).listening, 'WinRM to stop');
  // net stop succeeded; the reg add after net start has not run yet.
  expect(markerInRegistry()).toBeUndefined();
  await waitFor(async () => (await hostState()).service === 'Running' && (await hostState()).listening, 'WinRM to run again');
  // Our client re-authenticates on a new connection after the restart dropped the old one.
  await waitFor(async () => (await readMarker()).value === '2026-11-20T10:00:00.000Z-0a1b2c3d', 'the marker');
  expect((await readMarker()).returnValue).toBe(0);
  expect((await hostState()).restarts).toBe(before.restarts + 1);
});

test('with the restart hanging, net stop fails and the chain never writes the marker', async () => {
  await control().setRestartHang('win1', true);
  await client.startProcess(restartLine('never-written'));
  await waitFor(async () => (await hostState()).service === 'StopPending', 'the stuck stop');
  await control().setRestartHang('win1', false);
  await waitFor(async () => (await hostState()).service === 'Running', 'the service to come back');
  expect((await readMarker()).value).toBe('2026-11-20T10:00:00.000Z-0a1b2c3d');
  expect(markerInRegistry()).toBe('2026-11-20T10:00:00.000Z-0a1b2c3d');
});

test('SetStringValue writes a value that GetStringValue reads back, names case-insensitive, once CreateKey made the key; the registry persists', async () => {
  const args = { hDefKey: HKLM, sSubKeyName: 'SOFTWARE\\Contoso', sValueName: 'Stage', sValue: 'blue green' };
  // As on Windows, SetStringValue does not create a missing key.
  expect((await client.invokeWmiMethod(RESOURCE_URI.stdRegProv, 'SetStringValue', args)).returnValue).toBe(2);
  expect(
    (await client.invokeWmiMethod(RESOURCE_URI.stdRegProv, 'CreateKey', { hDefKey: HKLM, sSubKeyName: 'SOFTWARE\\Contoso' })).returnValue,
  ).toBe(0);
  const set = await client.invokeWmiMethod(RESOURCE_URI.stdRegProv, 'SetStringValue', args);
  expect(set.returnValue).toBe(0);
  const got = await client.invokeWmiMethod(RESOURCE_URI.stdRegProv, 'GetStringValue', {
    hDefKey: HKLM,
    sSubKeyName: 'software\\CONTOSO',
    sValueName: 'stage',
  });
  expect(got.values.sValue).toBe('blue green');
  const state = JSON.parse(fs.readFileSync(path.join(tmp, 'host-win1.json'), 'utf8')) as {
    registry: Record<string, Record<string, string>>;
  };
  expect(state.registry).toEqual({
    'HKLM\\SOFTWARE\\psremoting': { WinRMRestartMarker: '2026-11-20T10:00:00.000Z-0a1b2c3d' },
    'HKLM\\SOFTWARE\\Contoso': { Stage: 'blue green' },
  });
});

test('command lines: a cmd && chain is followed part by part; other restart forms are still recognised', () => {
  expect(hostSteps(restartLine('m1'))).toEqual([
    { kind: 'restart-winrm' },
    { kind: 'set-registry', path: 'HKLM\\SOFTWARE\\psremoting', name: 'WinRMRestartMarker', value: 'm1' },
  ]);
  expect(hostSteps('cmd /c reg add HKEY_LOCAL_MACHINE\\SOFTWARE\\x /f /d "two words" /v Note')).toEqual([
    { kind: 'set-registry', path: 'HKLM\\SOFTWARE\\x', name: 'Note', value: 'two words' },
  ]);
  // A part the emulator does not follow: only the whole-line restart recognition applies.
  expect(hostSteps('cmd /c echo bye && net stop winrm && net start winrm && reg add HKLM\\SOFTWARE\\x /v A /d 1 /f')).toEqual([
    { kind: 'restart-winrm' },
  ]);
  expect(hostSteps('cmd /c reg add HKLM\\SOFTWARE\\x /v A /t REG_DWORD /d 1 /f')).toBeUndefined();
  expect(hostSteps('powershell.exe -NoProfile -Command "Restart-Service WinRM -Force"')).toEqual([{ kind: 'restart-winrm' }]);
  expect(hostSteps(`powershell -EncodedCommand ${Buffer.from('Restart-Service -Name winrm', 'utf16le').toString('base64')}`)).toEqual([
    { kind: 'restart-winrm' },
  ]);
  expect(hostSteps('sc.exe stop winrm & sc.exe start winrm')).toEqual([{ kind: 'restart-winrm' }]);
  expect(hostSteps('cmd /c net stop winrm')).toBeUndefined();
  expect(hostSteps('echo hello')).toBeUndefined();
  expect(hostSteps('net start winrm && net stop winrm')).toBeUndefined();
  expect(hostSteps('Restart-Service Spooler; echo winrm')).toBeUndefined();
});

test('a long hostile command line is classified in linear time', () => {
  for (const unit of ['net stop winrm ', 'sc stop winrm ', 'restart-service ']) {
    const started = Date.now();
    expect(hostSteps(unit.repeat(300_000 / unit.length))).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(500);
  }
});
