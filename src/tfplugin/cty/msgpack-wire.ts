/**
 * MessagePack tokens, read and written one at a time so the cty codec can drive them by type
 * (a str may be a string or a big number; a bin is a dynamic value's type; ext is an unknown).
 */
import { ByteWriter } from '../binary/byte-writer';

export type Token =
  | { kind: 'nil' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: number | bigint } // bigint only beyond 2^53
  | { kind: 'float'; value: number }
  | { kind: 'str'; value: string }
  | { kind: 'bin'; value: Uint8Array }
  | { kind: 'array'; length: number }
  | { kind: 'map'; length: number }
  | { kind: 'ext'; type: number; data: Uint8Array };

export class MsgpackReader {
  private pos = 0;
  private readonly view: DataView;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  next(): Token {
    const b = this.u8();
    if (b <= 0x7f) return { kind: 'int', value: b };
    if (b >= 0xe0) return { kind: 'int', value: b - 0x100 };
    if (b >= 0xa0 && b <= 0xbf) return this.str(b & 0x1f);
    if (b >= 0x90 && b <= 0x9f) return { kind: 'array', length: b & 0x0f };
    if (b >= 0x80 && b <= 0x8f) return { kind: 'map', length: b & 0x0f };
    switch (b) {
      case 0xc0:
        return { kind: 'nil' };
      case 0xc2:
        return { kind: 'bool', value: false };
      case 0xc3:
        return { kind: 'bool', value: true };
      case 0xc4:
        return { kind: 'bin', value: this.take(this.u8()) };
      case 0xc5:
        return { kind: 'bin', value: this.take(this.u16()) };
      case 0xc6:
        return { kind: 'bin', value: this.take(this.u32()) };
      case 0xc7:
        return this.ext(this.u8());
      case 0xc8:
        return this.ext(this.u16());
      case 0xc9:
        return this.ext(this.u32());
      case 0xca:
        return { kind: 'float', value: this.advance(4, (p) => this.view.getFloat32(p)) };
      case 0xcb:
        return { kind: 'float', value: this.advance(8, (p) => this.view.getFloat64(p)) };
      case 0xcc:
        return { kind: 'int', value: this.u8() };
      case 0xcd:
        return { kind: 'int', value: this.u16() };
      case 0xce:
        return { kind: 'int', value: this.u32() };
      case 0xcf:
        return { kind: 'int', value: safe(this.advance(8, (p) => this.view.getBigUint64(p))) };
      case 0xd0:
        return { kind: 'int', value: this.advance(1, (p) => this.view.getInt8(p)) };
      case 0xd1:
        return { kind: 'int', value: this.advance(2, (p) => this.view.getInt16(p)) };
      case 0xd2:
        return { kind: 'int', value: this.advance(4, (p) => this.view.getInt32(p)) };
      case 0xd3:
        return { kind: 'int', value: safe(this.advance(8, (p) => this.view.getBigInt64(p))) };
      case 0xd4:
        return this.ext(1);
      case 0xd5:
        return this.ext(2);
      case 0xd6:
        return this.ext(4);
      case 0xd7:
        return this.ext(8);
      case 0xd8:
        return this.ext(16);
      case 0xd9:
        return this.str(this.u8());
      case 0xda:
        return this.str(this.u16());
      case 0xdb:
        return this.str(this.u32());
      case 0xdc:
        return { kind: 'array', length: this.u16() };
      case 0xdd:
        return { kind: 'array', length: this.u32() };
      case 0xde:
        return { kind: 'map', length: this.u16() };
      case 0xdf:
        return { kind: 'map', length: this.u32() };
      default:
        throw new RangeError(`msgpack: unsupported format byte 0x${b.toString(16)}`);
    }
  }

  private advance<T>(n: number, read: (pos: number) => T): T {
    if (this.pos + n > this.buf.length) throw new RangeError('msgpack: truncated input');
    const v = read(this.pos);
    this.pos += n;
    return v;
  }
  private u8(): number {
    return this.advance(1, (p) => this.view.getUint8(p));
  }
  private u16(): number {
    return this.advance(2, (p) => this.view.getUint16(p));
  }
  private u32(): number {
    return this.advance(4, (p) => this.view.getUint32(p));
  }
  private take(n: number): Uint8Array {
    return this.advance(n, (p) => this.buf.subarray(p, p + n));
  }
  private str(n: number): Token {
    const bytes = this.take(n);
    return { kind: 'str', value: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8') };
  }
  private ext(n: number): Token {
    const type = this.advance(1, (p) => this.view.getInt8(p));
    return { kind: 'ext', type, data: this.take(n) };
  }
}

const safe = (v: bigint): number | bigint => (v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v);

export class MsgpackWriter extends ByteWriter {
  private byte(b: number): this {
    this.reserve(1);
    this.buf[this.len++] = b;
    return this;
  }
  private head(b: number, n: number, size: 1 | 2 | 4): this {
    this.reserve(1 + size);
    this.buf[this.len++] = b;
    if (size === 1) this.buf.writeUInt8(n, this.len);
    else if (size === 2) this.buf.writeUInt16BE(n, this.len);
    else this.buf.writeUInt32BE(n, this.len);
    this.len += size;
    return this;
  }
  private sized(n: number, fix: number | undefined, fixMax: number, b8: number | undefined, b16: number, b32: number): this {
    if (fix !== undefined && n <= fixMax) return this.byte(fix | n);
    if (b8 !== undefined && n <= 0xff) return this.head(b8, n, 1);
    if (n <= 0xffff) return this.head(b16, n, 2);
    return this.head(b32, n, 4);
  }

  nil(): this {
    return this.byte(0xc0);
  }
  bool(v: boolean): this {
    return this.byte(v ? 0xc3 : 0xc2);
  }
  /** The smallest int format holding v (any int64). */
  int(v: bigint): this {
    if (v >= -32n && v <= 0x7fn) return this.byte(Number(v) & 0xff); // positive or negative fixint
    this.reserve(9);
    const at = this.len + 1;
    if (v >= 0n) {
      if (v <= 0xffn) return this.head(0xcc, Number(v), 1);
      if (v <= 0xffffn) return this.head(0xcd, Number(v), 2);
      if (v <= 0xffffffffn) return this.head(0xce, Number(v), 4);
      this.buf[this.len] = 0xcf;
      this.buf.writeBigUInt64BE(v, at);
      this.len += 9;
    } else if (v >= -0x80n) {
      this.buf[this.len] = 0xd0;
      this.len = this.buf.writeInt8(Number(v), at);
    } else if (v >= -0x8000n) {
      this.buf[this.len] = 0xd1;
      this.len = this.buf.writeInt16BE(Number(v), at);
    } else if (v >= -0x80000000n) {
      this.buf[this.len] = 0xd2;
      this.len = this.buf.writeInt32BE(Number(v), at);
    } else {
      this.buf[this.len] = 0xd3;
      this.len = this.buf.writeBigInt64BE(v, at);
    }
    return this;
  }
  float64(v: number): this {
    this.reserve(9);
    this.buf[this.len++] = 0xcb;
    this.buf.writeDoubleBE(v, this.len);
    this.len += 8;
    return this;
  }
  str(v: string): this {
    const bytes = Buffer.from(v, 'utf8');
    return this.sized(bytes.length, 0xa0, 31, 0xd9, 0xda, 0xdb).append(bytes);
  }
  bin(v: Uint8Array): this {
    return this.sized(v.length, undefined, -1, 0xc4, 0xc5, 0xc6).append(v);
  }
  array(length: number): this {
    return this.sized(length, 0x90, 15, undefined, 0xdc, 0xdd);
  }
  map(length: number): this {
    return this.sized(length, 0x80, 15, undefined, 0xde, 0xdf);
  }
  ext(type: number, data: Uint8Array): this {
    const fixed = [1, 2, 4, 8, 16].indexOf(data.length);
    if (fixed >= 0) this.byte(0xd4 + fixed);
    else this.sized(data.length, undefined, -1, 0xc7, 0xc8, 0xc9);
    return this.byte(type & 0xff).append(data);
  }
}
