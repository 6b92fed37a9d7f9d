/**
 * RC4 in TypeScript, stateful: NTLM sealing runs one keystream per direction for the whole connection,
 * and Node's OpenSSL 3 refuses `rc4` without the legacy provider.
 */
export class Rc4 {
  private readonly s = new Uint8Array(256);
  private i = 0;
  private j = 0;

  constructor(key: Uint8Array) {
    if (key.length === 0 || key.length > 256) throw new RangeError('RC4 key must be 1..256 bytes');
    for (let k = 0; k < 256; k++) this.s[k] = k;
    let j = 0;
    for (let k = 0; k < 256; k++) {
      j = (j + this.s[k]! + key[k % key.length]!) & 0xff;
      this.swap(k, j);
    }
  }

  /** Encrypts or decrypts (the same operation), advancing the keystream. */
  update(data: Uint8Array): Buffer {
    const out = Buffer.alloc(data.length);
    for (let n = 0; n < data.length; n++) {
      this.i = (this.i + 1) & 0xff;
      this.j = (this.j + this.s[this.i]!) & 0xff;
      this.swap(this.i, this.j);
      out[n] = data[n]! ^ this.s[(this.s[this.i]! + this.s[this.j]!) & 0xff]!;
    }
    return out;
  }

  private swap(p: number, q: number): void {
    const t = this.s[p]!;
    this.s[p] = this.s[q]!;
    this.s[q] = t;
  }
}

/** One-shot RC4, as KXKEY's session key encryption uses it. */
export function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  return new Rc4(key).update(data);
}
