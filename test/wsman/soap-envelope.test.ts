import {
  ACTION,
  RESOURCE_URI,
  buildRequest,
  readEnvelope,
  parseDuration,
  formatDurationSeconds,
  formatDurationMillis,
  formatDurationDays,
} from '../../src/wsman/soap';
import { WsmanBadResponseError } from '../../src/wsman/faults';

describe('xs:duration', () => {
  it.each([
    ['PT20S', 20_000],
    ['PT7200.000S', 7_200_000],
    ['PT2147483.647S', 2_147_483_647],
    ['P0DT0H0M0S', 0],
    ['P1DT2H3M4S', ((24 + 2) * 60 + 3) * 60_000 + 4000],
    ['PT0.5S', 500],
  ])('parses %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['PT-1S', 'P', 'PT', '20S', 'P1Y', 'P1M', 'PTS', ''])('refuses %s', (text) => expect(parseDuration(text)).toBeUndefined());

  it('formats in the three forms Windows uses', () => {
    expect(formatDurationSeconds(60_000)).toBe('PT60S');
    expect(formatDurationSeconds(1500)).toBe('PT1.5S');
    expect(formatDurationMillis(7_200_000)).toBe('PT7200.000S');
    expect(formatDurationMillis(60_005)).toBe('PT60.005S');
    expect(formatDurationDays(90_061_000)).toBe('P1DT1H1M1S');
    expect(() => formatDurationSeconds(-1)).toThrow(RangeError);
  });
});

describe('request envelope', () => {
  const xml = buildRequest(
    {
      to: 'http://host:5985/wsman',
      resourceUri: RESOURCE_URI.shellCmd,
      action: ACTION.Command,
      messageId: 'uuid:11111111-1111-1111-1111-111111111111',
      operationTimeoutMs: 20_000,
      selectors: { ShellId: 'ABC' },
      options: { WINRS_CONSOLEMODE_STDIN: 'TRUE', WINRS_NOPROFILE: { value: 'TRUE', mustComply: true } },
      sessionId: 'uuid:22222222-2222-2222-2222-222222222222',
    },
    { xml: '<?xml version="1.0"?><q:Thing xmlns:q="urn:q">a &amp; $&amp; b</q:Thing>' },
  );

  it('carries every header and reads back through readEnvelope', () => {
    const env = readEnvelope(xml);
    expect(env).toMatchObject({
      action: ACTION.Command,
      to: 'http://host:5985/wsman',
      resourceUri: RESOURCE_URI.shellCmd,
      messageId: 'uuid:11111111-1111-1111-1111-111111111111',
      replyTo: 'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous',
      maxEnvelopeSize: 153600,
      operationTimeout: 'PT20S',
      operationTimeoutMs: 20_000,
      locale: 'en-US',
      dataLocale: 'en-US',
      sessionId: 'uuid:22222222-2222-2222-2222-222222222222',
      optionSetMustUnderstand: true,
    });
    expect({ ...env.selectors }).toEqual({ ShellId: 'ABC' });
    expect({ ...env.options }).toEqual({
      WINRS_CONSOLEMODE_STDIN: { value: 'TRUE' },
      WINRS_NOPROFILE: { value: 'TRUE', mustComply: true },
    });
    expect(env.body.children[0]).toMatchObject({ ns: 'urn:q', local: 'Thing', text: 'a & $& b' });
  });

  it('refuses a malformed raw body', () => {
    expect(() => buildRequest({ to: 'x', resourceUri: 'y', action: 'z' }, { xml: '<a><b></a>' })).toThrow();
  });
});

describe('readEnvelope on responses', () => {
  const response =
    '<s:Envelope xml:lang="en-US" xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:p="http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd"><s:Header><a:Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse</a:Action><a:MessageID>uuid:A</a:MessageID><p:ActivityId>X</p:ActivityId><a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To><a:RelatesTo>uuid:B</a:RelatesTo></s:Header><s:Body></s:Body></s:Envelope>';

  it('reads response headers and leaves request-only ones undefined', () => {
    const env = readEnvelope(response);
    expect(env.action).toBe(ACTION.DeleteResponse);
    expect(env.relatesTo).toBe('uuid:B');
    expect(env.activityId).toBe('X');
    expect(env.resourceUri).toBeUndefined();
    expect(env.operationTimeoutMs).toBeUndefined();
    expect(env.body.children).toHaveLength(0);
  });

  it('keeps an invalid OperationTimeout raw so a server can fault on it', () => {
    const env = readEnvelope(
      response.replace(
        '<s:Header>',
        '<s:Header><w:OperationTimeout xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd">PT-1S</w:OperationTimeout>',
      ),
    );
    expect(env.operationTimeout).toBe('PT-1S');
    expect(env.operationTimeoutMs).toBeUndefined();
  });

  it.each([
    ['not XML', 'hello'],
    ['a SOAP 1.1 envelope', '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>'],
    ['no Body', '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"/>'],
    [
      'a DTD',
      '<!DOCTYPE x [<!ENTITY e "e">]><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>&e;</s:Body></s:Envelope>',
    ],
  ])('refuses %s with a bad-response error', (_what, text) => {
    expect(() => readEnvelope(text)).toThrow(WsmanBadResponseError);
  });
});
