import { readEnvelope } from '../../src/wsman/soap';
import { readFixtures } from './fixture-reader';
import { replayRequest } from './request-replay';
import { checkResponse } from './response-checks';
import { recordedPayloads } from './psrp-payloads';
import { MessageReader, deserializeClixml } from '../../src/psrp';
import { errorMessage } from '../../src/common';

/**
 * `npm run conformance -- <dir>`: parses every recorded response with the client's readers and replays
 * every recorded request our client can perform, comparing structure. Exits 1 on any failure.
 */
async function main(dir: string | undefined): Promise<number> {
  if (!dir) {
    console.error('usage: npm run conformance -- <fixtures folder>');
    return 2;
  }
  const set = readFixtures(dir);
  let passed = 0;
  let skipped = 0;
  const failures: string[] = [];
  const fail = (what: string, detail: string): void => {
    failures.push(`FAIL ${what}: ${detail}`);
  };
  for (const r of set.records) {
    const where = `${r.file}#${r.index}`;
    if (r.httpError) {
      skipped += 1;
      continue;
    }
    // Every PSRP payload (creationXml, Arguments, Stream, connectXml, connectResponseXml) decodes to whole
    // messages, and the CLIXML of each message with a body deserializes.
    for (const p of recordedPayloads(r)) {
      try {
        const reader = new MessageReader();
        const messages = reader.push(p.bytes);
        if (messages.length === 0 || !reader.idle) throw new Error('no whole message');
        for (const m of messages) {
          try {
            if (m.data !== '') deserializeClixml(m.data);
          } catch (e) {
            throw new Error(`${m.type} CLIXML: ${errorMessage(e)}`, { cause: e });
          }
        }
        passed += 1;
      } catch (e) {
        fail(`${where} ${p.side} ${p.element} PSRP`, errorMessage(e));
      }
    }
    const check = checkResponse(r);
    if (check.ok) passed += 1;
    else fail(`${where} response (${check.kind})`, check.detail ?? '');
    if (r.request !== undefined) {
      const replay = await replayRequest(r);
      if (replay.status === 'passed') passed += 1;
      else if (replay.status === 'skipped') skipped += 1;
      else fail(`${where} request`, replay.detail);
    }
  }
  for (const q of set.requests) {
    try {
      readEnvelope(q.request);
      passed += 1;
    } catch (e) {
      fail(`${q.file}#${q.index} request`, errorMessage(e));
    }
  }
  for (const f of failures) console.log(f);
  console.log(
    `${passed} passed, ${failures.length} failed (${skipped} not applicable: PowerShell shell requests (replayed by test/psrp/recorded-conversations.test.ts), injected connection errors; ${set.skipped.length} files skipped)`,
  );
  return failures.length === 0 ? 0 : 1;
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`conformance: ${errorMessage(e)}`);
    process.exit(2);
  },
);
