/**
 * n-fold (RFC 3961 5.1): stretches or folds a constant to n bits by concatenating copies of it, each
 * rotated right by 13 bits more than the last, and adding them in ones'-complement arithmetic in
 * n-bit chunks. Hand-written (no npm package offers it on its own); checked against RFC 3961 A.1.
 */
export function nfold(input: Uint8Array, outBytes: number): Buffer {
  const inBytes = input.length;
  const lcm = leastCommonMultiple(inBytes, outBytes);
  const out = new Array<number>(outBytes).fill(0);
  let carry = 0;
  // Walk the lcm-long concatenation from its last byte, as the MIT reference implementation does.
  for (let i = lcm - 1; i >= 0; i--) {
    const copy = Math.floor(i / inBytes);
    // Bit offset of this byte's most significant bit inside the rotated copy.
    const msbit = ((inBytes << 3) - 1 + ((inBytes << 3) + 13) * copy + ((inBytes - (i % inBytes)) << 3)) % (inBytes << 3);
    const hi = input[(inBytes - 1 - (msbit >>> 3)) % inBytes]!;
    const lo = input[(inBytes - (msbit >>> 3)) % inBytes]!;
    const byte = (((hi << 8) | lo) >>> ((msbit & 7) + 1)) & 0xff;
    carry += byte + out[i % outBytes]!;
    out[i % outBytes] = carry & 0xff;
    carry >>>= 8;
  }
  // End-around carry: one more pass, as in MIT krb5 lib/crypto/krb/nfold.c.
  for (let i = outBytes - 1; carry !== 0 && i >= 0; i--) {
    carry += out[i]!;
    out[i] = carry & 0xff;
    carry >>>= 8;
  }
  return Buffer.from(out);
}

function leastCommonMultiple(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return (a * b) / x;
}
