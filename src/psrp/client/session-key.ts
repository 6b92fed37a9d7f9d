import { createCipheriv, createDecipheriv, generateKeyPairSync, privateDecrypt, constants, type KeyObject } from 'node:crypto';
import { PsrpError } from '../errors';

/**
 * The session key exchange of MS-PSRP 3.2.5.4.2–3.2.5.4.3, needed below protocol 2.4 to carry
 * SecureStrings: the client sends its RSA public key as a CAPI PUBLICKEYBLOB, the server answers with a
 * 256-bit AES key encrypted to it (PKCS#1 v1.5, CAPI SIMPLEBLOB, ciphertext byte-reversed), and every
 * `<SS>` is then AES-256-CBC with a zero IV over UTF-16LE text (PowerShell utils/CryptoUtils.cs).
 *
 * Hand-written: no library speaks CAPI blobs. Node 20 refuses PKCS#1 v1.5 private decryption
 * (CVE-2023-46809), so the RSA step decrypts without padding and checks the v1.5 layout here.
 * Checked against real PowerShell (test/psrp/pwsh-stdio.test.ts).
 */
export class SessionKeyExchange {
  private readonly privateKey: KeyObject;
  /** The base64 PUBLICKEYBLOB for PUBLIC_KEY. */
  readonly publicKeyBlob: string;
  private key: Buffer | undefined;

  constructor() {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    const modulus = Buffer.from(jwk.n ?? '', 'base64url');
    const exponent = Buffer.from(jwk.e ?? '', 'base64url');
    // PUBLICKEYBLOB: bType 6, bVersion 2, reserved, aiKeyAlg CALG_RSA_KEYX (0xA400), "RSA1", bit length, exponent, modulus (little-endian).
    const header = Buffer.from([0x06, 0x02, 0x00, 0x00, 0x00, 0xa4, 0x00, 0x00, 0x52, 0x53, 0x41, 0x31]);
    const bits = Buffer.alloc(4);
    bits.writeUInt32LE(modulus.length * 8);
    const exp = Buffer.alloc(4);
    exponent.reverse().copy(exp);
    this.publicKeyBlob = Buffer.concat([header, bits, exp, Buffer.from(modulus).reverse()]).toString('base64');
  }

  get ready(): boolean {
    return this.key !== undefined;
  }

  /** Takes the server's ENCRYPTED_SESSION_KEY (base64 SIMPLEBLOB). */
  acceptEncryptedKey(base64: string): void {
    const blob = Buffer.from(base64, 'base64');
    if (blob.length !== 12 + 256) throw new PsrpError('protocol', `an encrypted session key blob is ${12 + 256} bytes, got ${blob.length}`);
    const cipher = Buffer.from(blob.subarray(12)).reverse();
    const block = privateDecrypt({ key: this.privateKey, padding: constants.RSA_NO_PADDING }, cipher);
    // EME-PKCS1-v1_5: 00 02 <at least 8 non-zero bytes> 00 <message>
    const separator = block.indexOf(0, 2);
    if (block[0] !== 0 || block[1] !== 2 || separator < 10 || block.length - separator - 1 !== 32) {
      throw new PsrpError('protocol', 'the encrypted session key is not a PKCS#1 v1.5 block of a 32-byte key');
    }
    this.key = Buffer.from(block.subarray(separator + 1));
  }

  decrypt(base64: string): string {
    const d = createDecipheriv('aes-256-cbc', this.requireKey(), Buffer.alloc(16));
    try {
      return Buffer.concat([d.update(Buffer.from(base64, 'base64')), d.final()]).toString('utf16le');
    } catch (e) {
      throw new PsrpError('protocol', 'a SecureString did not decrypt with the session key', { cause: e });
    }
  }

  encrypt(text: string): string {
    const c = createCipheriv('aes-256-cbc', this.requireKey(), Buffer.alloc(16));
    return Buffer.concat([c.update(Buffer.from(text, 'utf16le')), c.final()]).toString('base64');
  }

  private requireKey(): Buffer {
    if (!this.key) throw new PsrpError('protocol', 'no session key has been exchanged yet');
    return this.key;
  }
}
