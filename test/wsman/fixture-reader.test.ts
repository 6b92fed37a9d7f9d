import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFixtures } from '../../scripts/conformance/fixture-reader';

const FAULT = '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault/></s:Body></s:Envelope>';
const OK = '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>';
const REQ =
  '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"><env:Header><a:ReplyTo/></env:Header><env:Body/></env:Envelope>';

describe('fixture reader', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wsman-fixtures-'));
    mkdirSync(join(dir, 'yaml'));
    mkdirSync(join(dir, 'loose'));
    writeFileSync(
      join(dir, 'yaml', 'exchange.yml'),
      `messages:\n- request: ${JSON.stringify(REQ)}\n  response: ${JSON.stringify(OK)}\n- request: r2\n  response: ${JSON.stringify(FAULT)}\n  transport_error:\n    protocol: http\n    code: 500\n- request: r3\n  response: ${JSON.stringify(FAULT)}\n- request: r4\n  response:\n  http_error: yes\n`,
    );
    writeFileSync(join(dir, 'yaml', '_template.yml'), 'messages: []');
    writeFileSync(join(dir, 'loose', 'fault.xml'), `<?xml version="1.0"?>\n${FAULT}`);
    writeFileSync(join(dir, 'loose', 'requests.txt'), `<!-- one -->\n<?xml version="1.0"?>\n${REQ}\n<!-- two -->\n${REQ}\n`);
    writeFileSync(join(dir, 'loose', 'clixml.xml.erb'), '<Objs/>');
    writeFileSync(join(dir, 'LICENSE'), 'MIT');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads YAML exchanges, loose responses and request files', () => {
    const set = readFixtures(dir);
    expect(set.records.map((r) => [r.file, r.index, r.httpStatus, r.statusInferred])).toEqual([
      ['loose/fault.xml', 0, 500, true],
      ['yaml/exchange.yml', 0, 200, true],
      ['yaml/exchange.yml', 1, 500, false],
      ['yaml/exchange.yml', 2, 500, true],
      ['yaml/exchange.yml', 3, 0, false],
    ]);
    expect(set.records[4]).toMatchObject({ response: '', httpError: true, request: 'r4' });
    expect(set.records[1]?.request).toBe(REQ);
    expect(set.requests.map((r) => [r.file, r.index])).toEqual([
      ['loose/requests.txt', 0],
      ['loose/requests.txt', 1],
    ]);
    expect(set.skipped.map((s) => s.file).sort()).toEqual(['loose/clixml.xml.erb', 'yaml/_template.yml']);
  });

  it('names the file when a YAML document is not an exchange list', () => {
    writeFileSync(join(dir, 'yaml', 'broken.yml'), 'just: text');
    expect(() => readFixtures(dir)).toThrow('yaml/broken.yml');
    rmSync(join(dir, 'yaml', 'broken.yml'));
  });
});
