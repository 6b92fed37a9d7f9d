/**
 * Replay: the WinRS requests recorded against real Windows (../shared/fixtures/pypsrp/test_winrs_*.yml)
 * are sent to the emulator and each answer must be structurally equal to the recorded one: same elements,
 * attributes and values, with UUIDs, MessageIDs, addresses, owners, client IPs and machine names
 * normalised, ActivityId (optional since 2016) ignored, and consecutive output chunks of one stream
 * merged (how a process's output is chunked is not part of the contract). Files whose commands need
 * PowerShell (absent on the emulated host) are replayed up to and including the shell Create.
 * Runs under `npm run test:interop`, because it reads the shared fixtures outside this repository.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { readYamlExchanges } from '../../scripts/conformance/fixture-reader';
import { NS, descend, parseXml, type XmlElement } from '../../src/wsman/xml';
import { normalise } from './replay-normalise';
import { startEmulator, type EmulatorHandle } from '../../src/emulator';
import { TestClient } from '../support/wsman-test-client';

const FIXTURES = path.join(__dirname, '../../../shared/fixtures/pypsrp');
const FULL = [
  'test_winrs_standard',
  'test_winrs_stderr_rc',
  'test_winrs_bad_cmd_id',
  'test_winrs_environment',
  'test_winrs_noprofile',
  'test_winrs_open_already_opened',
];
const CREATE_ONLY = [
  'test_winrs_extra_opts',
  'test_winrs_no_cmd_shell',
  'test_winrs_operation_timeout',
  'test_winrs_send',
  'test_winrs_unicode',
];
/** ShellIds and CommandIds a server hands out, in order of appearance. */
const HANDED_OUT = /(?:Name="ShellId">|<rsp:ShellId>|<rsp:CommandId>)([0-9A-Fa-f-]{36})</g;
const RUNNING = /<rsp:CommandState [^>]*State="[^"]*\/CommandState\/Running"/;

/**
 * Windows answered with the output and Done together; on a loaded machine the process may exit just
 * after the emulator answered. Which Receive carries the exit is timing, not contract: Receive again and
 * merge the answers' streams, keeping the last CommandState.
 */
async function receiveUntilDone(client: TestClient, request: string, first: string): Promise<XmlElement> {
  const texts = [first];
  for (let i = 0; i < 20 && RUNNING.test(texts[texts.length - 1]!); i++) texts.push((await client.post(request)).text);
  const answers = texts.map((t) => parseXml(t));
  const responses = answers.map((a) => descend(a, [NS.s, 'Body'], [NS.rsp, 'ReceiveResponse'])!);
  const last = responses[responses.length - 1]!;
  const merged: XmlElement = {
    ...last,
    children: [
      ...responses.flatMap((r) => r.children.filter((c) => c.local === 'Stream')),
      ...last.children.filter((c) => c.local === 'CommandState'),
    ],
  };
  const envelope = answers[answers.length - 1]!;
  return { ...envelope, children: envelope.children.map((c) => (c.local === 'Body' ? { ...c, children: [merged] } : c)) };
}

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ allowUnencrypted: true, log: () => undefined });
});
afterAll(() => emu.stop());

test('the fixtures are present', () => {
  expect(fs.existsSync(FIXTURES)).toBe(true);
});

test.each([...FULL.map((f) => [f, false] as const), ...CREATE_ONLY.map((f) => [f, true] as const)])(
  '%s answers as Windows did',
  async (name, createOnly) => {
    const file = path.join(FIXTURES, `${name}.yml`);
    const text = fs.readFileSync(file, 'utf8');
    const records = readYamlExchanges(`${name}.yml`, text);
    const raw = (load(text) as { messages: Array<{ overrides?: Array<{ path: string; attributes?: Record<string, string> }> }> }).messages;
    const client = new TestClient(emu.hosts[0]!.endpoint);
    const ids = new Map<string, string>();
    for (const [i, rec] of records.entries()) {
      if (createOnly && i > 0) break;
      let request = rec.request ?? '';
      for (const [recorded, ours] of ids) request = request.split(recorded).join(ours);
      // pypsrp's runner rewrote these attributes before sending (e.g. a bogus CommandId).
      for (const o of raw[i]?.overrides ?? []) {
        for (const [attrName, value] of Object.entries(o.attributes ?? {}))
          request = request.replace(new RegExp(`(<${o.path.split('/').pop()}[^>]*\\s${attrName}=")[^"]*"`), `$1${value}"`);
      }
      const answer = await client.post(request);
      expect({ message: i, status: answer.status }).toEqual({ message: i, status: rec.httpStatus });
      const body =
        RUNNING.test(answer.text) && !RUNNING.test(rec.response)
          ? await receiveUntilDone(client, request, answer.text)
          : parseXml(answer.text);
      // Map the ids Windows handed out to the ones the emulator handed out, in order of appearance.
      const handedOut = (xml: string): string[] => [...xml.matchAll(HANDED_OUT)].map((m) => m[1] as string);
      const recordedIds = handedOut(rec.response);
      const ourIds = handedOut(answer.text);
      recordedIds.forEach((id, k) => {
        const ours = ourIds[k];
        if (ours && !ids.has(id) && !request.includes(id)) ids.set(id, ours);
      });
      expect({ message: i, body: normalise(body) }).toEqual({ message: i, body: normalise(parseXml(rec.response)) });
    }
  },
);
