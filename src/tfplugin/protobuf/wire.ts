/**
 * Protocol-buffers wire primitives for the generated codecs in ../generated. Only what the project's own
 * .proto files use: varints (bool, enum, uint32, int64 as JS numbers), length-delimited strings, bytes
 * and sub-messages. int64 values in these protocols are versions, counts and indexes, far below 2^53.
 * Generated encoders write precomputed tag varints (field number * 8 + wire type).
 */
import { ByteWriter } from '../binary/byte-writer';

export interface MessageCodec<T> {
  encode(message: DeepPartial<T>, writer: ProtoWriter): void;
  decode(reader: ProtoReader, end: number): T;
}

/** What encoders accept: any field may be left out and is then written as its proto3 default. */
export type DeepPartial<T> = T extends Uint8Array
  ? T
  : T extends readonly (infer E)[]
    ? DeepPartial<E>[]
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : T;

export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

/** Sub-messages stay below 2^35 bytes (terraform's limit is 256 MiB): five varint bytes hold the length. */
const MAX_LENGTH_VARINT = 5;
/** Strings up to this many UTF-16 units take at most 126 UTF-8 bytes: a one-byte length. */
const SHORT_STRING = 42;

export class ProtoWriter extends ByteWriter {
  /** Unsigned varint of a non-negative safe integer; negative int64 use the 10-byte two's complement. */
  varint(value: number): this {
    if (value < 0) return this.negativeVarint(value);
    this.reserve(10);
    let v = value;
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
    return this;
  }

  private negativeVarint(value: number): this {
    let v = BigInt.asUintN(64, BigInt(value));
    this.reserve(10);
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
    return this;
  }

  bool(value: boolean): this {
    return this.varint(value ? 1 : 0);
  }

  bytes(value: Uint8Array): this {
    return this.varint(value.length).append(value);
  }

  string(value: string): this {
    if (value.length <= SHORT_STRING) {
      // At most 3 UTF-8 bytes per UTF-16 unit: the length fits one varint byte, written after the text.
      this.reserve(1 + 3 * value.length);
      const n = this.buf.write(value, this.len + 1, 'utf8');
      this.buf[this.len] = n;
      this.len += 1 + n;
      return this;
    }
    const n = Buffer.byteLength(value);
    this.varint(n);
    this.reserve(n);
    this.len += this.buf.write(value, this.len, 'utf8');
    return this;
  }

  /**
   * A length-delimited sub-message, encoded in place: room for the longest length varint is left before
   * it, and the message moved back over what the actual length did not need (no writer per message).
   */
  message<T>(codec: MessageCodec<T>, value: DeepPartial<T>): this {
    const at = this.len;
    this.reserve(MAX_LENGTH_VARINT);
    this.len += MAX_LENGTH_VARINT;
    codec.encode(value, this);
    const n = this.len - at - MAX_LENGTH_VARINT;
    let prefix = 1;
    for (let v = n; v >= 0x80; v = Math.floor(v / 0x80)) prefix++;
    if (prefix < MAX_LENGTH_VARINT) this.buf.copyWithin(at + prefix, at + MAX_LENGTH_VARINT, this.len);
    // The length goes into the slot left for it (no reserve: growing now would drop the message bytes).
    let v = n;
    for (let i = 0; i < prefix - 1; i++, v = Math.floor(v / 0x80)) this.buf[at + i] = (v % 0x80) | 0x80;
    this.buf[at + prefix - 1] = v;
    this.len = at + prefix + n;
    return this;
  }
}

export class ProtoReader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  /** Varint as a JS number; int64 negatives (ten bytes, two's complement) come back negative. */
  varint(): number {
    const start = this.pos;
    let value = 0;
    let scale = 1;
    // Seven groups (49 bits) add up exactly in a double; anything longer takes the BigInt path.
    for (let i = 0; i < 7; i++) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
    }
    this.pos = start;
    return this.longVarint();
  }

  private longVarint(): number {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.byte();
      value |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return Number(BigInt.asIntN(64, value));
    }
    throw new RangeError('protobuf: varint longer than 10 bytes');
  }

  private byte(): number {
    const b = this.buf[this.pos++];
    if (b === undefined) throw new RangeError('protobuf: truncated varint');
    return b;
  }

  bool(): boolean {
    return this.varint() !== 0;
  }

  bytes(): Uint8Array {
    const n = this.varint();
    const end = this.pos + n;
    if (end > this.buf.length) throw new RangeError('protobuf: truncated length-delimited field');
    const out = this.buf.subarray(this.pos, end);
    this.pos = end;
    return out;
  }

  string(): string {
    const b = this.bytes();
    return Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8');
  }

  message<T>(codec: MessageCodec<T>): T {
    const n = this.varint();
    const end = this.pos + n;
    if (end > this.buf.length) throw new RangeError('protobuf: truncated sub-message');
    return codec.decode(this, end);
  }

  skip(wire: number): void {
    switch (wire) {
      case 0: // varint
        this.varint();
        return;
      case 1: // fixed64
        this.pos += 8;
        return;
      case 2: // length-delimited
        this.bytes();
        return;
      case 5: // fixed32
        this.pos += 4;
        return;
      default:
        throw new RangeError(`protobuf: unsupported wire type ${wire}`);
    }
  }
}

export function encodeMessage<T>(codec: MessageCodec<T>, message: DeepPartial<T>): Uint8Array {
  const w = new ProtoWriter();
  codec.encode(message, w);
  return w.finish();
}

export function decodeMessage<T>(codec: MessageCodec<T>, bytes: Uint8Array): T {
  const r = new ProtoReader(bytes);
  return codec.decode(r, bytes.length);
}
