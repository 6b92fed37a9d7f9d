import { createCipheriv, createDecipheriv } from 'node:crypto';
import { KerberosError } from '../kerberos-error';

/**
 * AES in CBC mode with ciphertext stealing as RFC 3962 section 5 defines it for Kerberos (the last two
 * blocks always swapped, the CBC-CS3 variant), built on node:crypto's AES-CBC, which has no CTS mode.
 * Checked against the RFC 3962 Appendix B vectors (test/wsman/kerberos/kerberos-crypto.test.ts).
 */

const BLOCK = 16;

function algorithm(key: Uint8Array): string {
  if (key.length === 16) return 'aes-128-cbc';
  if (key.length === 32) return 'aes-256-cbc';
  throw new KerberosError('unsupported-etype', `AES key of ${key.length} bytes`);
}

function cbc(key: Uint8Array, iv: Uint8Array, data: Uint8Array, encrypt: boolean): Buffer {
  const c = encrypt ? createCipheriv(algorithm(key), key, iv) : createDecipheriv(algorithm(key), key, iv);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

export function ctsEncrypt(key: Uint8Array, iv: Uint8Array, plain: Uint8Array): Buffer {
  if (plain.length < BLOCK) throw new KerberosError('bad-message', 'AES-CTS needs at least one block');
  if (plain.length === BLOCK) return cbc(key, iv, plain, true);
  const n = Math.ceil(plain.length / BLOCK);
  const tail = plain.length - (n - 1) * BLOCK;
  const padded = Buffer.alloc(n * BLOCK);
  Buffer.from(plain).copy(padded);
  const c = cbc(key, iv, padded, true);
  // C1..C(n-2), then Cn, then C(n-1) cut to the length of the last plaintext block.
  return Buffer.concat([c.subarray(0, (n - 2) * BLOCK), c.subarray((n - 1) * BLOCK), c.subarray((n - 2) * BLOCK, (n - 2) * BLOCK + tail)]);
}

export function ctsDecrypt(key: Uint8Array, iv: Uint8Array, cipher: Uint8Array): Buffer {
  if (cipher.length < BLOCK) throw new KerberosError('integrity', 'AES-CTS ciphertext shorter than one block');
  if (cipher.length === BLOCK) return cbc(key, iv, cipher, false);
  const c = Buffer.from(cipher);
  const n = Math.ceil(c.length / BLOCK);
  const tail = c.length - (n - 1) * BLOCK;
  const lastFull = c.subarray((n - 2) * BLOCK, (n - 1) * BLOCK); // the original Cn
  const stolen = c.subarray((n - 1) * BLOCK); // the original C(n-1), cut to `tail` bytes
  const d = cbc(key, Buffer.alloc(BLOCK), lastFull, false); // Pn (zero padded) XOR C(n-1)
  const prev = Buffer.concat([stolen, d.subarray(tail)]); // C(n-1) whole again
  const pn = Buffer.alloc(tail);
  for (let i = 0; i < tail; i++) pn[i] = d[i]! ^ prev[i]!;
  const head = cbc(key, iv, Buffer.concat([c.subarray(0, (n - 2) * BLOCK), prev]), false);
  return Buffer.concat([head, pn]);
}
