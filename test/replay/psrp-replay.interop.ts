/**
 * Replay of every PSRP recording (../shared/fixtures/pypsrp: test_psrp_*, test_client_execute_ps*) against
 * the emulator, whose PowerShell endpoints run real PowerShell 7 (pwsh -s). Each recorded request is sent
 * (wsa:To rewritten; pypsrp's runner sent them so); each answer must be accepted as Windows accepted it and be
 * structurally equal (replay-normalise.ts), with the PSRP payloads compared after reassembly by message type
 * and body, not by ObjectId, RPID or PID, which each run chooses anew (MS-PSRP 2.2.1, 2.2.4; pypsrp
 * tests/tests_pypsrp/conftest.py).
 *
 * What differs between one server and another and is therefore not compared:
 *  - which Receive carries a message: Windows answered some messages one Receive later than pwsh produces them,
 *    so for each recorded Receive the emulator is asked until it has given as many messages for that target
 *    (or Done); extra messages count for the next Receive of the same target;
 *  - the PROGRESS_RECORD "Preparing modules for first use." of Windows PowerShell 5.1's first command;
 *  - bodies that describe the host rather than the protocol: APPLICATION_PRIVATE_DATA (the PSVersionTable
 *    of 5.1 vs 7.6.9) is compared by its keys' presence, output of Windows-only commands (Get-Service, the
 *    WSMan: drive, $env:USERPROFILE) by message types of the pool and the command's Done only.
 * Faults injected by pypsrp's runner instead of an answer (`http_error`) are left out; recorded faults
 * (`transport_error` 500) are Windows' answers and are compared.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readYamlExchanges, type FixtureRecord } from '../../scripts/conformance/fixture-reader';
import { MessageReader, type PsrpMessage } from '../../src/psrp';
import { parseXml, type XmlElement } from '../../src/wsman/xml';
import { ACTION, RESOURCE_URI } from '../../src/wsman/soap';
import { startEmulator, type EmulatorHandle } from '../../src/emulator';
import { locatePwsh, PWSH_MISSING_MESSAGE } from '../../src/emulator/powershell/pwsh-locator';
import { TestClient } from '../support/wsman-test-client';
import { normalise, type Norm } from './replay-normalise';
import { waitFor } from '../support/wait-for';

const FIXTURES = path.join(__dirname, '../../../shared/fixtures/pypsrp');
/** Recordings whose commands ask Windows-only things of the host; their pipelines' bodies are not compared. */
const HOST_DEPENDENT = new Set(['test_client_execute_ps', 'test_psrp_no_profile', 'test_psrp_with_jea_configuration']);
/** The server's process, clock and memory. */
const VOLATILE = new Set(['ProcessId', 'ShellRunTime', 'ShellInactivity', 'MemoryUsed']);
const FIRST_USE_PROGRESS = 'Preparing modules for first use.';

const PSRP_FILES = fs.existsSync(FIXTURES)
  ? fs
      .readdirSync(FIXTURES)
      .filter((f) => /^test_(psrp_|client_execute_ps)/.test(f))
      .map((f) => f.replace(/\.yml$/, ''))
      .sort()
  : [];

/** What a message says, as far as the comparison goes. */
function digest(m: PsrpMessage, hostDependent: boolean): string {
  const data = m.data;
  const value = (name: string): string => new RegExp(`N="${name}">([^<]*)<`).exec(data)?.[1] ?? '';
  const exception = data.includes('N="ExceptionAsErrorRecord"') ? '+exception' : '';
  switch (m.type) {
    case 'SESSION_CAPABILITY':
    case 'RUNSPACEPOOL_INIT_DATA':
      return `${m.type} ${data}`;
    case 'APPLICATION_PRIVATE_DATA':
      return `${m.type} PSVersionTable:${data.includes('<S N="Key">PSVersionTable</S>')}`;
    case 'RUNSPACEPOOL_STATE':
      return `${m.type} ${value('RunspaceState')}${exception}`;
    case 'PIPELINE_STATE':
      return `${m.type} ${value('PipelineState')}${exception}`;
    case 'PROGRESS_RECORD':
      return `${m.type} ${value('Activity')}`;
    case 'ERROR_RECORD':
    case 'DEBUG_RECORD':
    case 'VERBOSE_RECORD':
    case 'WARNING_RECORD':
    case 'INFORMATION_RECORD':
      return hostDependent ? m.type : `${m.type} ${/<ToString>([^<]*)<\/ToString>/.exec(data)?.[1] ?? ''}`;
    case 'PIPELINE_OUTPUT':
      // Primitives and lists of them are compared whole; an object by its type and ToString (its properties
      // carry the .NET runtime's version and order, 4.0 on Windows PowerShell, 10.0 in PowerShell 7.6).
      if (hostDependent) return m.type;
      return data.startsWith('<Obj') && !data.includes('<LST>')
        ? `${m.type} ${/<T>([^<]*)<\/T>/.exec(data)?.[1] ?? ''} ${/<ToString>([^<]*)<\/ToString>/.exec(data)?.[1] ?? ''}`
        : `${m.type} ${data}`;
    default:
      return `${m.type} ${data}`;
  }
}

function isFirstUseProgress(m: PsrpMessage): boolean {
  return m.type === 'PROGRESS_RECORD' && m.data.includes(FIRST_USE_PROGRESS);
}

const PAYLOAD_ELEMENTS = new Set(['Stream', 'connectResponseXml']);

/** The PSRP messages of an answer's payload elements, in order. */
function payloadMessages(root: XmlElement, reader: (target: string) => MessageReader): Array<{ target: string; message: PsrpMessage }> {
  const out: Array<{ target: string; message: PsrpMessage }> = [];
  const walk = (e: XmlElement): void => {
    if (PAYLOAD_ELEMENTS.has(e.local) && e.text.trim() !== '') {
      const target = e.local === 'Stream' ? (e.attributes.find((a) => a.local === 'CommandId')?.value ?? '').toUpperCase() : 'connect';
      for (const message of reader(target).push(Buffer.from(e.text.trim(), 'base64'))) out.push({ target, message });
      return;
    }
    e.children.forEach(walk);
  };
  walk(root);
  return out;
}

/** The normalised envelope without its payload elements (their messages are compared apart). */
function withoutPayloads(n: Norm): Norm {
  return { ...n, t: /connectResponseXml$/.test(n.n) ? '' : n.t, c: n.c.filter((k) => !/}Stream$/.test(k.n)).map(withoutPayloads) };
}

function withoutCommandState(n: Norm): Norm {
  return { ...n, c: n.c.filter((k) => !/}CommandState$/.test(k.n)).map(withoutCommandState) };
}

/**
 * test_psrp_disconnect_runspaces is stitched from two sessions (the recording shows it: its post-Connect
 * RUNSPACEPOOL_STATE reuses ObjectId 3, which one sender gives a single message, MS-PSRP 2.2.4): the pool messages of its post-Connect Receives are another session's.
 * Their envelopes are compared; their PSRP bodies are not. The unstitched test_psrp_disconnected_commands shows
 * what Windows sends there (APPLICATION_PRIVATE_DATA) and is compared in full.
 */
const STITCHED: Readonly<Record<string, readonly number[]>> = { test_psrp_disconnect_runspaces: [15, 17] };

let emu: EmulatorHandle;
let stateDir: string;

beforeAll(async () => {
  if (!locatePwsh()) throw new Error(PWSH_MISSING_MESSAGE);
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psrp-replay-'));
  emu = await startEmulator({ allowUnencrypted: true, stateDir, log: () => undefined });
  await registerJeaEndpoint(emu);
}, 60000);
afterAll(() => emu?.stop());
// Nothing a recording left open (or a failed replay left behind) stays for the next file.
afterEach(async () => {
  for (const shell of [...emu.virtualHosts[0]!.shells.values()]) await emu.virtualHosts[0]!.closeShell(shell, 'replay finished');
});

/**
 * The JEA recording connects to `…/powershell/JEARole`: registered here as a restricted endpoint (a .pssc
 * applied with pwsh -ConfigurationFile) that, like the recorded one, lets Get-Item through and not Set-Item.
 */
async function registerJeaEndpoint(e: EmulatorHandle): Promise<void> {
  const pssc = path.join(stateDir, 'JEARole.pssc');
  fs.writeFileSync(pssc, "@{ SchemaVersion = '2.0.0.0'; SessionType = 'RestrictedRemoteServer'; VisibleCmdlets = 'Get-Item' }\n");
  const c = new TestClient(e.hosts[0]!.endpoint);
  const doc = (await c.send(ACTION.Get, RESOURCE_URI.configPlugin, undefined, { selectors: { Name: 'microsoft.powershell' } })).text;
  const plugin = doc
    .slice(doc.indexOf('<PlugInConfiguration'), doc.indexOf('</PlugInConfiguration>') + '</PlugInConfiguration>'.length)
    .replace(/Name="microsoft\.powershell"/, 'Name="JEARole"')
    .replace(/powershell\/microsoft\.powershell/i, 'powershell/JEARole')
    .replace('<InitializationParameters>', `<InitializationParameters><Param Name="ConfigFilePath" Value="${pssc}"/>`);
  const created = await c.send(ACTION.Create, RESOURCE_URI.configPlugin, { xml: plugin }, { selectors: { Name: 'JEARole' } });
  if (created.status !== 200) throw new Error(`could not register the JEARole endpoint: ${created.text}`);
  await e.virtualHosts[0]!.restart();
}

test('the PSRP recordings are present', () => {
  expect(PSRP_FILES.length).toBeGreaterThanOrEqual(18);
});

test.each(PSRP_FILES)('%s: every request accepted and answered as Windows did', async (name) => {
  const text = fs.readFileSync(path.join(FIXTURES, `${name}.yml`), 'utf8');
  const records: FixtureRecord[] = readYamlExchanges(`${name}.yml`, text);
  const client = new TestClient(emu.hosts[0]!.endpoint);
  const hostDependent = HOST_DEPENDENT.has(name);
  const readers = new Map<string, MessageReader>();
  const reader = (target: string): MessageReader => {
    const r = readers.get(target) ?? new MessageReader();
    readers.set(target, r);
    return r;
  };
  const recordedReaders = new Map<string, MessageReader>();
  const recordedReader = (target: string): MessageReader => {
    const r = recordedReaders.get(target) ?? new MessageReader();
    recordedReaders.set(target, r);
    return r;
  };
  /** Messages the emulator gave beyond what the recording had by then, per target. */
  const surplus = new Map<string, PsrpMessage[]>();
  /** Targets whose CommandState Done the emulator has already answered. */
  const doneSeen = new Set<string>();
  let lastCreate = 0;

  for (const [i, rec] of records.entries()) {
    if (rec.httpError) continue;
    const request = (rec.request ?? '').replace(/<wsa:To>[^<]*<\/wsa:To>/, `<wsa:To>${emu.hosts[0]!.endpoint}</wsa:To>`);
    // is_alive_state_disconnected: Windows reported an unattended shell Disconnected after its IdleTimeOut
    // (the recording slept 62 s).
    if (name === 'test_psrp_is_alive_state_disconnected' && i === 4)
      await new Promise((r) => setTimeout(r, Math.max(0, lastCreate + 62000 - Date.now())));
    // is_alive_invalid_selectors: between its two Gets the recorded session's host process was ended from
    // outside; the same is done to the session's pwsh here, and the shell must be gone as it was on Windows.
    if (name === 'test_psrp_is_alive_invalid_selectors' && i === 4) {
      for (const shell of emu.virtualHosts[0]!.shells.values())
        if (shell.session?.pid !== undefined) process.kill(shell.session.pid, 'SIGKILL');
      await waitFor(
        () => [...emu.virtualHosts[0]!.shells.values()].every((s) => s.session === undefined),
        'the killed session to be gone',
        20000,
      );
    }
    const recorded = parseXml(rec.response);
    const stitched = STITCHED[name]?.includes(i) === true;
    const expected = stitched ? [] : payloadMessages(recorded, recordedReader).filter((x) => !isFirstUseProgress(x.message));
    const isReceive = request.includes(`<wsa:Action s:mustUnderstand="true">${ACTION.Receive}</wsa:Action>`);
    if (isReceive && rec.httpStatus === 200) {
      // The emulator already gave this Receive's messages with an earlier answer: nothing is left to ask for.
      const target = expected[0]?.target ?? '';
      const early = surplus.get(target) ?? [];
      const recordedDone = /CommandState\/Done/.test(rec.response);
      if (expected.length > 0 && early.length >= expected.length && (!recordedDone || doneSeen.has(target))) {
        const compare = (m: PsrpMessage): string => digest(m, hostDependent && target !== '');
        if (!(hostDependent && target !== '')) {
          expect({ message: i, psrp: early.slice(0, expected.length).map(compare) }).toEqual({
            message: i,
            psrp: expected.map((x) => compare(x.message)),
          });
        }
        surplus.set(target, early.slice(expected.length));
        continue;
      }
    }
    let answer = await client.post(request);
    if (request.includes(`>${ACTION.Create}<`)) lastCreate = Date.now();
    // A Receive Windows answered with w:TimedOut may, on a loaded machine, bring output that the
    // recording got with a later Receive: keep it for that Receive and ask again until the host times out.
    for (
      let round = 0;
      round < 3 && isReceive && rec.httpStatus === 500 && answer.status === 200 && /TimedOut/.test(rec.response);
      round++
    ) {
      const early = payloadMessages(parseXml(answer.text), reader);
      for (const x of early) surplus.set(x.target, [...(surplus.get(x.target) ?? []), x.message]);
      if (early[0] !== undefined && /CommandState\/Done/.test(answer.text)) doneSeen.add(early[0].target);
      answer = await client.post(request);
    }
    expect({ message: i, status: answer.status }).toEqual({ message: i, status: rec.httpStatus });
    let body = parseXml(answer.text);
    const got = payloadMessages(body, reader);
    if (isReceive && answer.status === 200) {
      const target = got[0]?.target ?? expected[0]?.target ?? '';
      const have = [...(surplus.get(target) ?? []), ...got.map((x) => x.message)];
      const recordedDone = /CommandState\/Done/.test(rec.response);
      // Ask again (same request) until this Receive's share of messages, or the Done it recorded, has come.
      for (
        let round = 0;
        round < 40 && (have.length < expected.length || (recordedDone && !/CommandState\/Done/.test(answer.text)));
        round++
      ) {
        const again = await client.post(request);
        if (again.status !== 200) continue;
        answer = again;
        body = parseXml(again.text);
        have.push(...payloadMessages(body, reader).map((x) => x.message));
      }
      if (/CommandState\/Done/.test(answer.text)) doneSeen.add(target);
      const mine = have.filter((m) => !isFirstUseProgress(m));
      surplus.set(target, stitched ? [] : mine.slice(expected.length));
      const pipeline = target !== '';
      const compare = (m: PsrpMessage): string => digest(m, hostDependent && pipeline);
      if (!(hostDependent && pipeline)) {
        expect({ message: i, psrp: mine.slice(0, expected.length).map(compare) }).toEqual({
          message: i,
          psrp: expected.map((x) => compare(x.message)),
        });
      }
    } else {
      expect({ message: i, psrp: got.map((x) => digest(x.message, hostDependent)) }).toEqual({
        message: i,
        psrp: expected.map((x) => digest(x.message, hostDependent)),
      });
    }
    const envelope = (e: XmlElement): Norm => withoutPayloads(normalise(e, VOLATILE));
    // A command that finished sooner here than on Windows reports Done one Receive early; the recorded later
    // Receive is then served from what was already given (above).
    const earlyDone = isReceive && /CommandState\/Done/.test(answer.text) && !/CommandState/.test(rec.response);
    expect({ message: i, body: earlyDone ? withoutCommandState(envelope(body)) : envelope(body) }).toEqual({
      message: i,
      body: envelope(recorded),
    });
  }
});
