/**
 * gRPC length-prefixed messages: 1 byte compressed flag, 4 bytes big-endian length, then the payload.
 */
import { GrpcError, Status } from './status';

export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024; // as terraform-plugin-go, so large schemas/states pass

export function frame(payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(5 + payload.length);
  out[0] = 0;
  out.writeUInt32BE(payload.length, 1);
  out.set(payload, 5);
  return out;
}

/** Splits a byte stream into messages; bytes arrive in arbitrary chunks (one message may span many). */
export class MessageReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): Uint8Array[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: Uint8Array[] = [];
    for (;;) {
      if (this.buffered < 5) return out;
      const head = this.peek(5);
      if (head[0] !== 0) throw new GrpcError(Status.UNIMPLEMENTED, 'compressed messages are not supported');
      const len = head.readUInt32BE(1);
      if (len > MAX_MESSAGE_BYTES) throw new GrpcError(Status.RESOURCE_EXHAUSTED, `message of ${len} bytes exceeds ${MAX_MESSAGE_BYTES}`);
      if (this.buffered < 5 + len) return out;
      out.push(this.take(5 + len).subarray(5));
    }
  }

  get pending(): number {
    return this.buffered;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!;
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = all.length > n ? [all.subarray(n)] : [];
    this.buffered -= n;
    return all.subarray(0, n);
  }
}
