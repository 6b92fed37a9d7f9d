/** A growable byte buffer: the common part of the protobuf and msgpack writers. */
export class ByteWriter {
  protected buf = Buffer.allocUnsafe(256);
  protected len = 0;

  /** Makes room for n more bytes. */
  protected reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  protected append(bytes: Uint8Array): this {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
    return this;
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}
