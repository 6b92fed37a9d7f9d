import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { load as loadYaml } from 'js-yaml';

/**
 * Reads folders of recorded WS-Management traffic in the formats of the shared fixtures: pypsrp YAML
 * exchanges (`{messages: [{request, response, transport_error?}]}`), loose XML files holding one
 * response or one request, and text files holding several requests. The emulator's replay test reuses it.
 */

export interface FixtureRecord {
  /** Path relative to the folder read, with forward slashes. */
  readonly file: string;
  /** Position within the file (0 for single-message files). */
  readonly index: number;
  readonly request?: string;
  readonly response: string;
  /** As recorded (pypsrp `transport_error.code`), else 500 for a SOAP fault and 200 otherwise. */
  readonly httpStatus: number;
  /** True when httpStatus was inferred rather than recorded. */
  readonly statusInferred: boolean;
  /**
   * The recording injected a connection failure instead of an answer (pypsrp `http_error`):
   * then response is '' and httpStatus 0.
   */
  readonly httpError?: boolean;
}

/** A request recorded without its response (sample request files). */
export interface RecordedRequest {
  readonly file: string;
  readonly index: number;
  readonly request: string;
}

export interface FixtureSet {
  readonly records: FixtureRecord[];
  readonly requests: RecordedRequest[];
  /** Files looked at and left out, with the reason (templates, licences, non-SOAP data). */
  readonly skipped: Array<{ file: string; reason: string }>;
}

const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** Every record of a folder (recursively), in a stable order. */
export function readFixtures(dir: string): FixtureSet {
  const set: FixtureSet = { records: [], requests: [], skipped: [] };
  for (const path of listFiles(dir)) {
    const file = relative(dir, path).split(sep).join('/');
    const name = file.slice(file.lastIndexOf('/') + 1);
    if (!/\.(ya?ml|xml|txt)$/i.test(name)) {
      if (/\.(xml\.erb|erb)$/i.test(name))
        set.skipped.push({ file, reason: 'ERB template (CLIXML with placeholders), not a WS-Management message' });
      continue;
    }
    if (name.startsWith('_')) {
      set.skipped.push({ file, reason: 'template' });
      continue;
    }
    if (statSync(path).size > MAX_FILE_BYTES) {
      set.skipped.push({ file, reason: `larger than ${MAX_FILE_BYTES} bytes` });
      continue;
    }
    const text = readFileSync(path, 'utf8');
    if (/\.ya?ml$/i.test(name)) set.records.push(...readYamlExchanges(file, text));
    else readLooseFile(file, text, set);
  }
  return set;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

interface YamlMessage {
  request?: unknown;
  response?: unknown;
  transport_error?: { code?: unknown } | null;
  http_error?: unknown;
}

export function readYamlExchanges(file: string, text: string): FixtureRecord[] {
  const doc = loadYaml(text) as { messages?: unknown } | null;
  if (!doc || !Array.isArray(doc.messages)) throw new Error(`${file}: expected a YAML mapping with a 'messages' list`);
  return (doc.messages as YamlMessage[]).map((m, index): FixtureRecord => {
    const request = typeof m?.request === 'string' ? m.request : undefined;
    if (m?.http_error === true || m?.http_error === 'yes') {
      return { file, index, request, response: '', httpStatus: 0, statusInferred: false, httpError: true };
    }
    if (typeof m?.response !== 'string') throw new Error(`${file}: message ${index} has no response text`);
    const recorded = typeof m.transport_error?.code === 'number' ? m.transport_error.code : undefined;
    return {
      file,
      index,
      request,
      response: m.response,
      httpStatus: recorded ?? inferStatus(m.response),
      statusInferred: recorded === undefined,
    };
  });
}

const ENVELOPE = /<([\w.-]+:)?Envelope\b[\s\S]*?<\/\1?Envelope\s*>/g;

function readLooseFile(file: string, text: string, set: FixtureSet): void {
  const envelopes = [...text.matchAll(ENVELOPE)].map((m) => m[0]);
  if (envelopes.length === 0) {
    set.skipped.push({ file, reason: 'no SOAP envelope' });
    return;
  }
  envelopes.forEach((xml, index) => {
    if (isRequest(xml)) set.requests.push({ file, index, request: xml });
    else set.records.push({ file, index, response: xml, httpStatus: inferStatus(xml), statusInferred: true });
  });
}

/** Every WS-Management request names where to reply (ReplyTo); responses never do. */
function isRequest(xml: string): boolean {
  return /<([\w.-]+:)?ReplyTo\b/.test(xml);
}

/** Windows sends every SOAP fault with HTTP 500 and everything else with 200. */
function inferStatus(xml: string): number {
  return /<([\w.-]+:)?Fault\b/.test(xml) ? 500 : 200;
}
