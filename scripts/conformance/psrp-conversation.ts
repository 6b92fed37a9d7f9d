import { WsmanTransportError, type MessageTransport } from '../../src/wsman';
import { readEnvelope } from '../../src/wsman/soap';
import { parseXml } from '../../src/wsman/xml';
import { MessageReader } from '../../src/psrp';
import type { FixtureRecord } from './fixture-reader';
import { canonical, firstDifference } from './xml-structure';

/**
 * Plays a recorded PowerShell conversation back to our client: each request our client posts is
 * compared with the next recorded one, and answered with the recorded response (its RelatesTo made to
 * name our MessageID). PSRP payloads are compared as pypsrp's test runner does
 * (tests/tests_pypsrp/conftest.py in jborean93/pypsrp): decoded, by destination, message type and CLIXML, not by ids.
 * A recorded connection failure is raised as the transport would raise it (WsmanTransportError `reset`).
 */
export class RecordedConversation implements MessageTransport {
  readonly differences: string[] = [];
  private next = 0;

  constructor(private readonly records: readonly FixtureRecord[]) {}

  get remaining(): number {
    return this.records.length - this.next;
  }

  async post(xml: string): Promise<{ status: 200 | 500; body: string }> {
    const record = this.records[this.next];
    if (!record) throw new Error(`the client sent request ${this.next + 1}, the recording has ${this.records.length}`);
    this.next += 1;
    const where = `${record.file}#${record.index}`;
    const ours = readEnvelope(withPsrpDescribed(xml));
    const recorded = readEnvelope(withPsrpDescribed(record.request ?? ''));
    const header = firstDifference(canonical(recorded.header!, true), canonical(ours.header!, true));
    if (header) this.differences.push(`${where} header ${header}`);
    const body = firstDifference(canonical(recorded.body), canonical(ours.body));
    if (body) this.differences.push(`${where} body ${body}`);
    // The recording injected a lost connection here (pypsrp `http_error`): the request never got an answer.
    if (record.httpError) throw new WsmanTransportError(`${where}: the recorded connection failed`, 'reset');
    const answer = record.response.replace(/(<(?:[\w-]+:)?RelatesTo>)[^<]*(<)/, `$1${ours.messageId ?? ''}$2`);
    return { status: record.httpStatus === 500 ? 500 : 200, body: answer };
  }

  close(): void {}
}

const PAYLOAD = /(<(?:[\w.-]+:)?(?:creationXml|connectXml|Arguments|Stream)\b[^>]*>)([A-Za-z0-9+/=\s]+)(<\/)/g;

/** Replaces each base64 PSRP payload by a readable list of its messages (ids left out). */
function withPsrpDescribed(xml: string): string {
  if (!/schemas\.microsoft\.com\/powershell\//.test(xml)) return xml;
  return xml.replace(PAYLOAD, (_, open: string, b64: string, close: string) => {
    const messages = new MessageReader().push(Buffer.from(b64.trim(), 'base64'));
    // CLIXML compared as XML structure: `<LST />` and `<LST></LST>`, `&quot;` and `"` are the same.
    const text = messages
      .map((m) => `[${m.destination} ${m.type}] ${m.data === '' ? '' : JSON.stringify(canonical(parseXml(m.data)))}`)
      .join('\n');
    return `${open}${escape(text)}${close}`;
  });
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
