/**
 * ASN.1 OBJECT IDENTIFIER content octets (X.690 8.19), both ways: X.509 certificates (tfplugin) and
 * Kerberos/SPNEGO mechanism OIDs (wsman) use the same encoding.
 */
export function encodeOidBody(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes = [parts[0]! * 40 + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk = [part & 0x7f];
    for (let v = Math.floor(part / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return Buffer.from(bytes);
}

/** The dotted form of OID content octets; undefined for an empty or oversized encoding. */
export function decodeOidBody(body: Uint8Array): string | undefined {
  if (body.length === 0) return undefined;
  const parts = [Math.floor(body[0]! / 40), body[0]! % 40];
  let v = 0;
  for (const byte of body.subarray(1)) {
    v = v * 128 + (byte & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) return undefined;
    if ((byte & 0x80) === 0) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}
