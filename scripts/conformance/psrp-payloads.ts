import type { FixtureRecord } from './fixture-reader';

/**
 * The PSRP bytes inside recorded WS-Man messages: base64 text of `creationXml`, `connectXml`,
 * `connectResponseXml`, `rsp:Arguments` and `rsp:Stream` (MS-PSRP 3.1.5.3). Found by element name so it
 * reads any prefix; the PSRP decoder then checks the bytes themselves.
 */
export interface RecordedPayload {
  readonly file: string;
  readonly index: number;
  readonly side: 'request' | 'response';
  /** The element that held it (local name). */
  readonly element: string;
  /** The stream name and CommandId of a `Stream` element. */
  readonly stream?: string;
  readonly commandId?: string;
  readonly bytes: Buffer;
}

const PAYLOAD =
  /<(?:[\w.-]+:)?(creationXml|connectXml|connectResponseXml|Arguments|Stream)\b([^>]*?)(?:\/>|>([^<]*)<\/(?:[\w.-]+:)?\1\s*>)/g;

/** True when the recorded request went to a PowerShell endpoint (its streams then carry PSRP, not process output). */
export function isPsrpExchange(record: FixtureRecord): boolean {
  return record.request !== undefined && /ResourceURI[^>]*>\s*http:\/\/schemas\.microsoft\.com\/powershell\//.test(record.request);
}

export function recordedPayloads(record: FixtureRecord): RecordedPayload[] {
  const out: RecordedPayload[] = [];
  if (!isPsrpExchange(record)) return out;
  const sides: Array<['request' | 'response', string | undefined]> = [
    ['request', record.request],
    ['response', record.response],
  ];
  for (const [side, xml] of sides) {
    if (!xml) continue;
    for (const m of xml.matchAll(PAYLOAD)) {
      const text = (m[3] ?? '').trim();
      if (text === '') continue;
      const attributes = m[2] ?? '';
      out.push({
        file: record.file,
        index: record.index,
        side,
        element: m[1]!,
        stream: /\bName="([^"]*)"/.exec(attributes)?.[1],
        commandId: /\bCommandId="([^"]*)"/.exec(attributes)?.[1],
        bytes: Buffer.from(text, 'base64'),
      });
    }
  }
  return out;
}
