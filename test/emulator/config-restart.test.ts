import * as net from 'node:net';
import { ACTION, RESOURCE_URI } from '../../src/wsman/soap';
import { NS, child, childText, el, childrenNamed } from '../../src/wsman/xml';
import { startEmulator, type EmulatorHandle, EmulatorControl } from '../../src/emulator';
import { QUOTA_NAMES, getQuota, parsePluginConfig } from '../../src/wsman/config';
import { TestClient, faultCode, faultSubcode } from '../support/wsman-test-client';
import { PsrpTestClient } from '../support/psrp-shell';
import { createShell } from '../support/winrs';
import { waitFor } from '../support/wait-for';
import { validatePluginConfig } from '../../src/wsman/server';

let emu: EmulatorHandle;
const control = (): EmulatorControl => new EmulatorControl(emu.control);
let c: TestClient;
const PS = 'http://schemas.microsoft.com/powershell/microsoft.powershell';
/** The eight quotas Register writes (the rest of QUOTA_NAMES are spec-only). */
const REGISTER_QUOTAS = QUOTA_NAMES.slice(0, 8);

beforeAll(async () => {
  emu = await startEmulator({ allowUnencrypted: true, restartMs: 300, log: () => undefined });
  c = new TestClient(emu.hosts[0]!.endpoint);
});
afterAll(() => emu.stop());

const getPlugin = (name: string) => c.send(ACTION.Get, RESOURCE_URI.configPlugin, undefined, { selectors: { Name: name } });
const putPlugin = (name: string, xml: string) => c.send(ACTION.Put, RESOURCE_URI.configPlugin, { xml }, { selectors: { Name: name } });
const winrsPut = (xml: string) =>
  c.send(ACTION.Put, RESOURCE_URI.configWinrs, { xml: `<cfg:Winrs xmlns:cfg="${NS.cfg}">${xml}</cfg:Winrs>` });

async function restartWinrm(): Promise<void> {
  const body = {
    xml: `<p:Create_INPUT xmlns:p="${RESOURCE_URI.win32Process}"><p:CommandLine>powershell.exe -NoProfile -Command "Restart-Service WinRM -Force"</p:CommandLine></p:Create_INPUT>`,
  };
  const a = await c.send(`${RESOURCE_URI.win32Process}/Create`, RESOURCE_URI.win32Process, body);
  expect(a.status).toBe(200);
  expect(childText(child(a.env?.body, RESOURCE_URI.win32Process, 'Create_OUTPUT'), RESOURCE_URI.win32Process, 'ReturnValue')).toBe('0');
  // The service goes down shortly after answering, then comes back.
  await waitFor(async () => !(await accepts(emu.hosts[0]!.port)), 'WinRM to stop');
  await waitFor(async () => accepts(emu.hosts[0]!.port), 'WinRM to run again');
}

test('winrm/config is the captured cfg:Config shape; a Put on winrs is validated and merged', async () => {
  const cfg = await c.send(ACTION.Get, RESOURCE_URI.config);
  expect(childText(child(child(cfg.env?.body, NS.cfg, 'Config'), NS.cfg, 'Winrs'), NS.cfg, 'IdleTimeout')).toBe('7200000');
  const bad = await winrsPut('<cfg:MaxShellsPerUser>zero</cfg:MaxShellsPerUser>');
  expect(bad.status).toBe(500);
  expect(faultCode(bad)).toBe(2150858817);
  const unknown = await winrsPut('<cfg:NoSuchSetting>1</cfg:NoSuchSetting>');
  expect(faultSubcode(unknown)).toBe('w:SchemaValidationError');
  const ok = await winrsPut('<cfg:MaxShellsPerUser>40</cfg:MaxShellsPerUser>');
  expect(childText(child(ok.env?.body, NS.cfg, 'Winrs'), NS.cfg, 'MaxShellsPerUser')).toBe('40');
});

test('config parts share one model: a nested part merges into its section, the root takes Puts, unknown settings are refused', async () => {
  const cfgPut = (uri: string, xml: string) => c.send(ACTION.Put, uri, { xml });
  const auth = await cfgPut(
    RESOURCE_URI.configServiceAuth,
    `<cfg:Auth xmlns:cfg="${NS.cfg}"><cfg:Kerberos>false</cfg:Kerberos></cfg:Auth>`,
  );
  expect(auth.status).toBe(200);
  expect(childText(child(auth.env?.body, NS.cfg, 'Auth'), NS.cfg, 'Kerberos')).toBe('false');
  const service = child((await c.send(ACTION.Get, RESOURCE_URI.configService)).env?.body, NS.cfg, 'Service');
  expect(childText(child(service, NS.cfg, 'Auth'), NS.cfg, 'Kerberos')).toBe('false');
  expect(childText(child(service, NS.cfg, 'Auth'), NS.cfg, 'Negotiate')).toBe('true');
  expect(childText(service, NS.cfg, 'MaxConnections')).toBe('300');

  expect(
    (await cfgPut(RESOURCE_URI.config, `<cfg:Config xmlns:cfg="${NS.cfg}"><cfg:MaxEnvelopeSizekb>500</cfg:MaxEnvelopeSizekb></cfg:Config>`))
      .status,
  ).toBe(200);
  expect(childText(child((await c.send(ACTION.Get, RESOURCE_URI.config)).env?.body, NS.cfg, 'Config'), NS.cfg, 'MaxEnvelopeSizekb')).toBe(
    '500',
  );
  const small = await cfgPut(
    RESOURCE_URI.config,
    `<cfg:Config xmlns:cfg="${NS.cfg}"><cfg:MaxEnvelopeSizekb>8</cfg:MaxEnvelopeSizekb></cfg:Config>`,
  );
  expect(faultCode(small)).toBe(2150858817);
  const nested = await cfgPut(
    RESOURCE_URI.configService,
    `<cfg:Service xmlns:cfg="${NS.cfg}"><cfg:Auth><cfg:Nope>true</cfg:Nope></cfg:Auth></cfg:Service>`,
  );
  expect(faultSubcode(nested)).toBe('w:SchemaValidationError');
  expect(nested.text).toContain('Config/Service/Auth/Nope');
  const wrongPart = await cfgPut(RESOURCE_URI.configWinrs, `<cfg:Service xmlns:cfg="${NS.cfg}"/>`);
  expect(faultSubcode(wrongPart)).toBe('w:SchemaValidationError');
});

test('plugins: seeded set, Get, duplicate Create, unknown name, invalid Put, Create/Delete, Enumerate+Pull', async () => {
  const started = await c.send(ACTION.Enumerate, RESOURCE_URI.configPlugin, el('n:Enumerate', [['xmlns:n', NS.n]]));
  const context = childText(child(started.env?.body, NS.n, 'EnumerateResponse'), NS.n, 'EnumerationContext')!;
  const names: string[] = [];
  for (let i = 0; i < 20; i++) {
    const pulled = await c.send(
      ACTION.Pull,
      RESOURCE_URI.configPlugin,
      el('n:Pull', [['xmlns:n', NS.n]], el('n:EnumerationContext', null, context), el('n:MaxElements', null, '3')),
    );
    const resp = child(pulled.env?.body, NS.n, 'PullResponse');
    for (const p of childrenNamed(child(resp, NS.n, 'Items'), NS.plugin, 'PlugInConfiguration'))
      names.push(p.attributes.find((a) => a.local === 'Name')!.value);
    if (child(resp, NS.n, 'EndOfSequence')) break;
  }
  expect(names).toEqual([
    'Event Forwarding Plugin',
    'microsoft.powershell',
    'microsoft.powershell.workflow',
    'microsoft.powershell32',
    'microsoft.windows.servermanagerworkflows',
    'SEL Plugin',
    'WMI Provider',
  ]);

  const ps = await getPlugin('Microsoft.PowerShell');
  expect(ps.status).toBe(200);
  // Seeded as a current Register-PSSessionConfiguration writes it, and valid as WinRM judges documents.
  for (const name of ['microsoft.powershell', 'microsoft.powershell32', 'microsoft.powershell.workflow']) {
    const seeded = parsePluginConfig(child((await getPlugin(name)).env?.body, NS.plugin, 'PlugInConfiguration')!);
    expect(validatePluginConfig(seeded)).toEqual([]);
    expect(seeded.outputBufferingMode).toBe('Block');
    const quotas = Object.fromEntries(REGISTER_QUOTAS.map((q) => [q, getQuota(seeded, q)]));
    expect(quotas).toEqual({ ...Object.fromEntries(REGISTER_QUOTAS.map((q) => [q, '2147483647'])), IdleTimeoutms: '7200000' });
  }
  const doc = ps.text.slice(
    ps.text.indexOf('<PlugInConfiguration'),
    ps.text.indexOf('</PlugInConfiguration>') + '</PlugInConfiguration>'.length,
  );
  expect(faultCode(await getPlugin('nope'))).toBe(2150858843);
  const dup = await c.send(ACTION.Create, RESOURCE_URI.configPlugin, { xml: doc }, { selectors: { Name: 'microsoft.powershell' } });
  expect(faultSubcode(dup)).toBe('w:AlreadyExists');
  expect(faultCode(dup)).toBe(2150858803);
  const inverted = await putPlugin(
    'microsoft.powershell',
    doc
      .replace('IdleTimeoutms="7200000"', 'IdleTimeoutms="2147483647"')
      .replace('MaxIdleTimeoutms="2147483647"', 'MaxIdleTimeoutms="60000"'),
  );
  expect(inverted.status).toBe(500);
  const drop = await putPlugin('microsoft.powershell', doc.replace('MaxShells="2147483647"', 'MaxShells="0"'));
  expect(faultCode(drop)).toBe(2150858817);

  const custom = doc.replace(/microsoft\.powershell/g, 'ops.endpoint');
  const created = await c.send(ACTION.Create, RESOURCE_URI.configPlugin, { xml: custom }, { selectors: { Name: 'ops.endpoint' } });
  expect(created.status).toBe(200);
  expect(created.text).toContain('x:ResourceCreated');
  expect((await getPlugin('ops.endpoint')).status).toBe(200);
  expect((await c.send(ACTION.Delete, RESOURCE_URI.configPlugin, undefined, { selectors: { Name: 'ops.endpoint' } })).status).toBe(200);
  expect(faultCode(await getPlugin('ops.endpoint'))).toBe(2150858843);
});

test('stored vs effective: a plugin write shows in Get at once but shells obey it only after a WinRM restart through WMI', async () => {
  const doc = (await getPlugin('microsoft.powershell')).text;
  const plugin = doc.slice(doc.indexOf('<PlugInConfiguration'), doc.indexOf('</PlugInConfiguration>') + '</PlugInConfiguration>'.length);
  const changed = plugin
    .replace('IdleTimeoutms="7200000"', 'IdleTimeoutms="600000"')
    .replace('MaxShellsPerUser="2147483647"', 'MaxShellsPerUser="1"')
    .replace('OutputBufferingMode="Block"', 'OutputBufferingMode="Drop"');
  expect((await putPlugin('microsoft.powershell', changed)).status).toBe(200);
  expect((await getPlugin('microsoft.powershell')).text).toContain('IdleTimeoutms="600000"');

  const ps = new PsrpTestClient(c, PS);
  const before = await ps.create();
  const echo = child(before.create.env?.body, NS.rsp, 'Shell');
  expect(childText(echo, NS.rsp, 'IdleTimeOut')).toBe('PT7200.000S');
  expect(childText(echo, NS.rsp, 'BufferMode')).toBe('Block');
  expect(childText(echo, NS.rsp, 'MaxIdleTimeOut')).toBe('PT2147483.647S');

  await restartWinrm();
  // The restart closed every shell.
  expect(faultCode(await c.send(ACTION.Get, RESOURCE_URI.shell, undefined, { selectors: { ShellId: before.shellId } }))).toBe(2150858843);
  const after = await ps.create();
  expect(childText(child(after.create.env?.body, NS.rsp, 'Shell'), NS.rsp, 'IdleTimeOut')).toBe('PT600.000S');
  expect(childText(child(after.create.env?.body, NS.rsp, 'Shell'), NS.rsp, 'BufferMode')).toBe('Drop');
  const second = await ps.create();
  expect(faultCode(second.create)).toBe(2150859236);
  expect(faultSubcode(second.create)).toBe('w:QuotaLimit');
});

test('global MaxShellsPerUser applies after restart with the captured quota code; the restart hang holds the service down', async () => {
  for (const s of [...emu.virtualHosts[0]!.shells.values()]) void emu.virtualHosts[0]!.closeShell(s, 'test cleanup');
  expect((await winrsPut('<cfg:MaxShellsPerUser>2</cfg:MaxShellsPerUser>')).status).toBe(200);
  await restartWinrm();
  expect((await createShell(c)).status).toBe(200);
  expect((await createShell(c)).status).toBe(200);
  const third = await createShell(c);
  expect(faultCode(third)).toBe(2150859173);
  expect(third.text).toContain('maximum number of 2 concurrent shells');

  await control().setRestartHang('win1', true);
  await control().restart('win1');
  await waitFor(async () => !(await accepts(emu.hosts[0]!.port)), 'WinRM to stop');
  await new Promise((r) => setTimeout(r, 600));
  expect(await accepts(emu.hosts[0]!.port)).toBe(false);
  const state = await control().host('win1');
  expect(state.service).toBe('StopPending');
  await control().setRestartHang('win1', false);
  await waitFor(async () => accepts(emu.hosts[0]!.port), 'WinRM to run again');
});

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
