import { NtlmError, NtlmSession } from '../../src/wsman/auth/ntlm';
import { WsmanBadResponseError } from '../../src/wsman/faults';
import {
  ENCRYPTED_CONTENT_TYPE,
  decodeEncryptedBody,
  encodeEncryptedBody,
  isEncryptedContentType,
} from '../../src/wsman/auth/encryption-framing';

const KEY = Buffer.alloc(16, 0x55);
const FLAGS = 0xe28a8233;
const pair = (): { client: NtlmSession; server: NtlmSession } => ({
  client: new NtlmSession('client', KEY, FLAGS),
  server: new NtlmSession('server', KEY, FLAGS),
});
const soap = Buffer.from('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>é</s:Body></s:Envelope>');

describe('MS-WSMV encrypted body framing', () => {
  it('writes the documented layout', () => {
    const body = encodeEncryptedBody(pair().client, soap).toString('latin1');
    expect(body.startsWith('--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n')).toBe(true);
    expect(body).toContain(
      `\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=${soap.length}\r\n--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n\x10\x00\x00\x00`,
    );
    expect(body.endsWith('--Encrypted Boundary--\r\n')).toBe(true);
    expect(isEncryptedContentType(ENCRYPTED_CONTENT_TYPE)).toBe(true);
    expect(isEncryptedContentType('application/soap+xml;charset=UTF-8')).toBe(false);
  });

  it('round-trips both directions in sequence', () => {
    const { client, server } = pair();
    for (let i = 0; i < 3; i++) {
      const req = decodeEncryptedBody(server, encodeEncryptedBody(client, soap));
      expect(req.plaintext.equals(soap)).toBe(true);
      expect(req.originalType).toBe('application/soap+xml;charset=UTF-8');
      expect(decodeEncryptedBody(client, encodeEncryptedBody(server, soap)).plaintext.equals(soap)).toBe(true);
    }
  });

  it('tolerates "-- Encrypted Boundary" with a space', () => {
    const { client, server } = pair();
    const spaced = Buffer.from(
      encodeEncryptedBody(client, soap)
        .toString('latin1')
        .replace(/--Encrypted Boundary/g, '-- Encrypted Boundary'),
      'latin1',
    );
    expect(decodeEncryptedBody(server, spaced).plaintext.equals(soap)).toBe(true);
  });

  it('rejects tampered or truncated bodies with clear errors', () => {
    const { client, server } = pair();
    const body = encodeEncryptedBody(client, soap);
    const flipped = Buffer.from(body);
    flipped[flipped.length - 30]! ^= 1;
    expect(() => decodeEncryptedBody(server, flipped)).toThrow(NtlmError);
    expect(() => decodeEncryptedBody(pair().server, body.subarray(0, body.length - 40))).toThrow(WsmanBadResponseError);
    expect(() => decodeEncryptedBody(pair().server, Buffer.from('hello'))).toThrow(WsmanBadResponseError);
    const lying = Buffer.from(body.toString('latin1').replace(`Length=${soap.length}`, 'Length=99999'), 'latin1');
    expect(() => decodeEncryptedBody(pair().server, lying)).toThrow(WsmanBadResponseError);
  });
});
