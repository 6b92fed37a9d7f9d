import fc from 'fast-check';
import {
  NtlmError,
  NtlmSession,
  decodeAuthenticate,
  decodeChallenge,
  decodeNegotiate,
  decodeNegotiateToken,
} from '../../src/wsman/auth/ntlm';
import { WsmanBadResponseError } from '../../src/wsman/faults';
import { formatDurationMillis, formatDurationSeconds, parseDuration, readEnvelope } from '../../src/wsman/soap';
import { decodeEncryptedBody } from '../../src/wsman/auth/encryption-framing';
import { readReceiveResponse, readShell } from '../../src/wsman/client/shell/shell-messages';
import { readWmiOutput } from '../../src/wsman/client/operations/wmi-messages';

/** Whatever a peer sends, decoders fail with their own error class, never a RangeError or TypeError. */
function onlyThrows(kinds: Array<new (...a: never[]) => Error>, f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (e) {
    return kinds.some((k) => e instanceof k);
  }
}

const ntlmLike = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.tuple(fc.constantFrom(1, 2, 3), fc.uint8Array({ minLength: 0, maxLength: 120 })).map(([type, rest]) => {
    const head = Buffer.alloc(12);
    head.write('NTLMSSP\0', 0, 'latin1');
    head.writeUInt32LE(type, 8);
    return Buffer.concat([head, rest]);
  }),
);

describe('hostile input', () => {
  it('NTLM and SPNEGO decoders only throw NtlmError', () => {
    fc.assert(
      fc.property(ntlmLike, (bytes) => {
        const b = Buffer.from(bytes);
        return [decodeNegotiate, decodeChallenge, decodeAuthenticate, decodeNegotiateToken].every((d) =>
          onlyThrows([NtlmError], () => d(b)),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('encrypted bodies that are not what we sent only throw clear errors', () => {
    const session = new NtlmSession('server', Buffer.alloc(16, 7), 0xe28a8233);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(200), (junk, len) => {
        const framed = Buffer.concat([
          Buffer.from(
            `--Encrypted Boundary\r\n\tOriginalContent: type=x;Length=${len}\r\n--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n`,
          ),
          Buffer.from(junk),
        ]);
        return (
          onlyThrows([WsmanBadResponseError, NtlmError], () => decodeEncryptedBody(session, framed)) &&
          onlyThrows([WsmanBadResponseError, NtlmError], () => decodeEncryptedBody(session, Buffer.from(junk)))
        );
      }),
      { numRuns: 300 },
    );
  });

  it('readEnvelope only throws WsmanBadResponseError', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        (text) =>
          onlyThrows([WsmanBadResponseError], () =>
            readEnvelope(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">${text}</s:Envelope>`),
          ) && onlyThrows([WsmanBadResponseError], () => readEnvelope(text)),
      ),
      { numRuns: 300 },
    );
  });

  it('a large encrypted body built to make header matching quadratic is refused at once', () => {
    const unit = 'OriginalContent: type=;;;;';
    const body = Buffer.from(`--Encrypted Boundary\r\n${unit.repeat(1_000_000 / unit.length)}\r\n--Encrypted Boundary\r\n`, 'latin1');
    const unused = { seal: () => ({ sealed: Buffer.alloc(0), signature: Buffer.alloc(0) }), unseal: () => Buffer.alloc(0) };
    const started = Date.now();
    expect(() => decodeEncryptedBody(unused, body)).toThrow(WsmanBadResponseError);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('Receive answers with any stream names are read, not a TypeError', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'stdout']) {
      const body = readEnvelope(
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell"><s:Body>' +
          `<rsp:ReceiveResponse><rsp:Stream Name="${name}">aGk=</rsp:Stream><rsp:Stream Name="${name}">IQ==</rsp:Stream></rsp:ReceiveResponse></s:Body></s:Envelope>`,
      ).body;
      expect(readReceiveResponse(body).streams[name]?.toString()).toBe('hi!');
    }
  });

  it('shell fields and WMI output values named __proto__ or constructor are kept as values', () => {
    const shell = readEnvelope(
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell"><s:Body>' +
        '<rsp:Shell><rsp:ShellId>S1</rsp:ShellId><rsp:__proto__>p</rsp:__proto__><rsp:constructor>c</rsp:constructor></rsp:Shell></s:Body></s:Envelope>',
    ).body.children[0]!;
    expect(readShell(shell).fields).toMatchObject({ ShellId: 'S1', ['__proto__']: 'p', constructor: 'c' });
    expect(Object.keys(readShell(shell).fields)).toEqual(['ShellId', '__proto__', 'constructor']);
    const wmi = readEnvelope(
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><p:Create_OUTPUT xmlns:p="urn:wmi"><p:__proto__>p</p:__proto__><p:ReturnValue>0</p:ReturnValue></p:Create_OUTPUT></s:Body></s:Envelope>',
    ).body;
    const out = readWmiOutput(wmi, 'Create');
    expect(Object.keys(out.values)).toEqual(['__proto__', 'ReturnValue']);
    expect(out.returnValue).toBe(0);
  });

  it('durations round-trip through both written forms', () => {
    fc.assert(
      fc.property(
        fc.nat(2_147_483_647),
        (ms) => parseDuration(formatDurationMillis(ms)) === ms && parseDuration(formatDurationSeconds(ms)) === ms,
      ),
    );
  });
});
