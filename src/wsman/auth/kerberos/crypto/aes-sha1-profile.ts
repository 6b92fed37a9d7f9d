import { createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { KerberosError } from '../kerberos-error';
import { ctsDecrypt, ctsEncrypt } from './aes-cts';
import { nfold } from './nfold';

/**
 * The two Kerberos encryption types this client offers: aes256-cts-hmac-sha1-96 (18) and
 * aes128-cts-hmac-sha1-96 (17), RFC 3962 on the simplified profile of RFC 3961 section 5.3.
 * Every Windows domain since 2008 supports them; RC4-HMAC and DES are not offered (no host needing them
 * was found, and both are disabled by default on current Windows Server).
 */

export const ENCTYPE = { aes128: 17, aes256: 18 } as const;
export type Enctype = (typeof ENCTYPE)[keyof typeof ENCTYPE];
/** Checksum types of the same profile (RFC 3962 section 7). */
export const CKSUMTYPE: Readonly<Record<Enctype, number>> = { [ENCTYPE.aes128]: 15, [ENCTYPE.aes256]: 16 };
/** Our preference, strongest first, as sent in the KDC-REQ etype list. */
export const SUPPORTED_ENCTYPES: readonly Enctype[] = [ENCTYPE.aes256, ENCTYPE.aes128];

const BLOCK = 16;
const HMAC_BYTES = 12;
/** RFC 3962 section 4: the default PBKDF2 iteration count when the KDC sends no s2kparams. */
const DEFAULT_ITERATIONS = 4096;

export interface EncryptionKey {
  readonly etype: Enctype;
  readonly value: Buffer;
}

export function isSupportedEnctype(etype: number): etype is Enctype {
  return etype === ENCTYPE.aes128 || etype === ENCTYPE.aes256;
}

export function keyBytes(etype: Enctype): number {
  return etype === ENCTYPE.aes256 ? 32 : 16;
}

export function enctypeName(etype: number): string {
  if (etype === ENCTYPE.aes256) return 'aes256-cts-hmac-sha1-96';
  if (etype === ENCTYPE.aes128) return 'aes128-cts-hmac-sha1-96';
  if (etype === 23) return 'rc4-hmac';
  return `enctype ${etype}`;
}

export function asKey(etype: number, value: Buffer): EncryptionKey {
  if (!isSupportedEnctype(etype))
    throw new KerberosError('unsupported-etype', `${enctypeName(etype)} is not supported (only AES256/AES128-CTS-HMAC-SHA1-96)`);
  if (value.length !== keyBytes(etype)) throw new KerberosError('bad-message', `${enctypeName(etype)} key of ${value.length} bytes`);
  return { etype, value };
}

export function randomKey(etype: Enctype): EncryptionKey {
  return { etype, value: randomBytes(keyBytes(etype)) };
}

/** DK(base, constant) of RFC 3961 section 5.1; for AES random-to-key is the identity. */
export function deriveKey(base: EncryptionKey, constant: Uint8Array): Buffer {
  let block: Buffer = constant.length === BLOCK ? Buffer.from(constant) : nfold(constant, BLOCK);
  const out: Buffer[] = [];
  for (let have = 0; have < base.value.length; have += BLOCK) {
    block = ctsEncrypt(base.value, Buffer.alloc(BLOCK), block);
    out.push(block);
  }
  return Buffer.concat(out).subarray(0, base.value.length);
}

/** string-to-key (RFC 3962 section 4): PBKDF2-HMAC-SHA1, then DK with the constant "kerberos". */
export function stringToKey(etype: Enctype, password: string, salt: string, s2kparams?: Buffer): EncryptionKey {
  let iterations = DEFAULT_ITERATIONS;
  if (s2kparams !== undefined) {
    if (s2kparams.length !== 4) throw new KerberosError('bad-message', 'AES s2kparams must be 4 bytes');
    iterations = s2kparams.readUInt32BE(0);
    // Zero means 2^32 (RFC 3962): far beyond anything a KDC should ask; refuse rather than spin.
    if (iterations === 0 || iterations > 10_000_000)
      throw new KerberosError('bad-message', `refusing a PBKDF2 iteration count of ${iterations || 2 ** 32}`);
  }
  const tkey = pbkdf2Sync(Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), iterations, keyBytes(etype), 'sha1');
  return { etype, value: deriveKey({ etype, value: tkey }, Buffer.from('kerberos', 'ascii')) };
}

/** The three keys one key usage derives (RFC 3961 section 5.3: Kc 0x99, Ke 0xAA, Ki 0x55). */
export interface UsageKeys {
  readonly usage: number;
  readonly ke: Buffer;
  readonly ki: Buffer;
  readonly kc: Buffer;
}

export function usageKeys(key: EncryptionKey, usage: number): UsageKeys {
  const constant = (suffix: number): Buffer => {
    const b = Buffer.alloc(5);
    b.writeUInt32BE(usage, 0);
    b[4] = suffix;
    return b;
  };
  return { usage, ke: deriveKey(key, constant(0xaa)), ki: deriveKey(key, constant(0x55)), kc: deriveKey(key, constant(0x99)) };
}

const hmac96 = (key: Buffer, ...data: Uint8Array[]): Buffer => {
  const h = createHmac('sha1', key);
  for (const d of data) h.update(d);
  return h.digest().subarray(0, HMAC_BYTES);
};

/** encrypt (RFC 3961 5.3): AES-CTS(Ke, confounder | plaintext) | HMAC-SHA1-96(Ki, confounder | plaintext). */
export function encrypt(keys: UsageKeys, plaintext: Uint8Array, confounder: Buffer = randomBytes(BLOCK)): Buffer {
  const plain = Buffer.concat([confounder, plaintext]);
  return Buffer.concat([ctsEncrypt(keys.ke, Buffer.alloc(BLOCK), plain), hmac96(keys.ki, plain)]);
}

/** decrypt: the plaintext without its confounder, or KerberosError('integrity') when the HMAC does not verify. */
export function decrypt(keys: UsageKeys, ciphertext: Uint8Array): Buffer {
  if (ciphertext.length < BLOCK + HMAC_BYTES) throw new KerberosError('integrity', 'ciphertext too short');
  const c = ciphertext.subarray(0, ciphertext.length - HMAC_BYTES);
  const mac = ciphertext.subarray(ciphertext.length - HMAC_BYTES);
  const plain = ctsDecrypt(keys.ke, Buffer.alloc(BLOCK), c);
  if (!timingSafeEqual(hmac96(keys.ki, plain), mac))
    throw new KerberosError('integrity', `decryption integrity check failed (key usage ${keys.usage})`);
  return plain.subarray(BLOCK);
}

/** The keyed checksum of the profile: HMAC-SHA1-96 with Kc. */
export function checksum(keys: UsageKeys, ...data: Uint8Array[]): Buffer {
  return hmac96(keys.kc, ...data);
}

export function verifyChecksum(keys: UsageKeys, expected: Uint8Array, ...data: Uint8Array[]): boolean {
  const actual = checksum(keys, ...data);
  return expected.length === HMAC_BYTES && timingSafeEqual(actual, expected);
}

export const encrypted = { overhead: BLOCK + HMAC_BYTES, confounder: BLOCK, hmac: HMAC_BYTES } as const;
