import { encodeOidBody } from '../../common';

/**
 * The few ASN.1 DER encoders an X.509 certificate needs. Each returns the complete TLV as a Buffer.
 */

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.of(n);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.of(tag), len, content]);
}

export const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
export const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
export const boolean = (v: boolean): Buffer => tlv(0x01, Buffer.of(v ? 0xff : 0x00));
export const octetString = (content: Buffer): Buffer => tlv(0x04, content);
export const utf8String = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
/** A context-specific tag: constructed (explicit wrapper) or primitive (implicit, e.g. SAN dNSName [2]). */
export const contextTag = (n: number, content: Buffer, constructed: boolean): Buffer => tlv((constructed ? 0xa0 : 0x80) | n, content);

/** A non-negative INTEGER from big-endian magnitude bytes (a leading 0x00 keeps it positive). */
export function unsignedInteger(magnitude: Buffer): Buffer {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const body = magnitude.subarray(i);
  return tlv(0x02, body[0]! & 0x80 ? Buffer.concat([Buffer.of(0), body]) : body);
}

/** BIT STRING with a count of unused trailing bits (0 for signatures, >0 for KeyUsage flags). */
export const bitString = (content: Buffer, unusedBits = 0): Buffer => tlv(0x03, Buffer.concat([Buffer.of(unusedBits), content]));

export const oid = (dotted: string): Buffer => tlv(0x06, encodeOidBody(dotted));

/** UTCTime (YYMMDDHHMMSSZ); valid for years 1950..2049, which covers any certificate made now. */
export function utcTime(d: Date): Buffer {
  const text = d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return tlv(0x17, Buffer.from(text, 'ascii'));
}
