import { PsrpError } from './errors';

/**
 * PSRP fragments (MS-PSRP 2.2.4): every message travels as one or more fragments, each a 21-byte header
 * and a slice of the message.
 *
 *   offset 0  ObjectId    uint64 big-endian, one per message
 *   offset 8  FragmentId  uint64 big-endian, 0, 1, 2… within the message
 *   offset 16 flags       0x01 start, 0x02 end
 *   offset 17 BlobLength  uint32 big-endian
 *   offset 21 Blob
 *
 * Hand-written: no JavaScript library implements PSRP framing. Checked against Windows' recordings
 * (pypsrp fixtures, scripts/conformance) and against `pwsh -s` (test/psrp).
 */

export const FRAGMENT_HEADER_LENGTH = 21;

const FLAG_START = 0x01;
const FLAG_END = 0x02;

export interface Fragment {
  readonly objectId: bigint;
  readonly fragmentId: bigint;
  readonly start: boolean;
  readonly end: boolean;
  readonly blob: Uint8Array;
}

/** What a peer may make us hold. Every bound is checked before the memory is taken. */
export interface FragmentLimits {
  /** Largest blob of one fragment (a header announcing more is refused at once). */
  readonly maxBlobLength: number;
  /** Largest message reassembled from fragments. */
  readonly maxMessageLength: number;
  /** Messages whose first fragment came but not their last. */
  readonly maxPendingMessages: number;
}

export const DEFAULT_FRAGMENT_LIMITS: FragmentLimits = {
  // PowerShell fragments to fit MaxEnvelopeSize (512 KiB for protocol >= 2.2, settable by an administrator)
  // and OutOfProc uses 32 KiB (PowerShell fanin/BaseTransportManager.cs DefaultFragmentSize).
  maxBlobLength: 8 * 1024 * 1024,
  // PowerShell's own default MaximumReceivedObjectSizeMB is 10 on the server and 200 on a WS-Man client.
  maxMessageLength: 200 * 1024 * 1024,
  maxPendingMessages: 256,
};

export function encodeFragment(fragment: Fragment): Buffer {
  const out = Buffer.allocUnsafe(FRAGMENT_HEADER_LENGTH + fragment.blob.length);
  out.writeBigUInt64BE(fragment.objectId, 0);
  out.writeBigUInt64BE(fragment.fragmentId, 8);
  out[16] = (fragment.start ? FLAG_START : 0) | (fragment.end ? FLAG_END : 0);
  out.writeUInt32BE(fragment.blob.length, 17);
  out.set(fragment.blob, FRAGMENT_HEADER_LENGTH);
  return out;
}

/**
 * Cuts one message into fragments of at most `maxFragmentLength` bytes each (header included).
 * An empty message is one fragment with an empty blob.
 */
export function fragmentMessage(objectId: bigint, message: Uint8Array, maxFragmentLength: number): Fragment[] {
  const room = Math.floor(maxFragmentLength) - FRAGMENT_HEADER_LENGTH;
  if (!(room >= 1))
    throw new PsrpError('fragment', `a fragment of ${maxFragmentLength} bytes has no room for data after its 21-byte header`);
  const fragments: Fragment[] = [];
  let offset = 0;
  let id = 0n;
  do {
    const blob = message.subarray(offset, offset + room);
    offset += blob.length;
    fragments.push({ objectId, fragmentId: id, start: id === 0n, end: offset >= message.length, blob });
    id += 1n;
  } while (offset < message.length);
  return fragments;
}

/** The ObjectIds one sender gives its messages: 1, 2, 3… (PowerShell's counter is per process and never resets). */
export class ObjectIdSequence {
  private last: bigint;
  constructor(start = 1n) {
    this.last = start - 1n;
  }
  next(): bigint {
    this.last += 1n;
    return this.last;
  }
}

/**
 * Reads fragments from bytes that may be split anywhere (inside a header or a blob) and may hold
 * several fragments at once. Holds at most one partial fragment, bounded by `maxBlobLength`.
 */
export class FragmentReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly limits: FragmentLimits = DEFAULT_FRAGMENT_LIMITS) {}

  /** Bytes of a fragment received only in part. */
  get pendingBytes(): number {
    return this.buffered;
  }

  push(bytes: Uint8Array): Fragment[] {
    if (bytes.length > 0) {
      this.chunks.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      this.buffered += bytes.length;
    }
    const out: Fragment[] = [];
    for (;;) {
      if (this.buffered < FRAGMENT_HEADER_LENGTH) return out;
      const header = this.peek(FRAGMENT_HEADER_LENGTH);
      const blobLength = header.readUInt32BE(17);
      const flags = header[16]!;
      if ((flags & ~(FLAG_START | FLAG_END)) !== 0)
        throw new PsrpError('fragment', `fragment flags 0x${flags.toString(16)} have unknown bits`);
      if (blobLength > this.limits.maxBlobLength) {
        throw new PsrpError(
          'limit',
          `fragment announces a blob of ${blobLength} bytes, more than the limit of ${this.limits.maxBlobLength}`,
        );
      }
      const total = FRAGMENT_HEADER_LENGTH + blobLength;
      if (this.buffered < total) return out;
      const whole = this.take(total);
      out.push({
        objectId: whole.readBigUInt64BE(0),
        fragmentId: whole.readBigUInt64BE(8),
        start: (flags & FLAG_START) !== 0,
        end: (flags & FLAG_END) !== 0,
        blob: whole.subarray(FRAGMENT_HEADER_LENGTH),
      });
    }
  }

  /** Refuses bytes left over when the stream ends (a truncated fragment). */
  finish(): void {
    if (this.buffered > 0)
      throw new PsrpError('fragment', `truncated fragment: ${this.buffered} bytes left without the rest of the fragment`);
  }

  private peek(length: number): Buffer {
    if (this.chunks[0]!.length < length) this.merge();
    return this.chunks[0]!.subarray(0, length);
  }

  private take(length: number): Buffer {
    if (this.chunks[0]!.length < length) this.merge();
    const first = this.chunks[0]!;
    const taken = first.subarray(0, length);
    if (first.length === length) this.chunks.shift();
    else this.chunks[0] = first.subarray(length);
    this.buffered -= length;
    return taken;
  }

  private merge(): void {
    const all = Buffer.concat(this.chunks, this.buffered);
    this.chunks.length = 0;
    this.chunks.push(all);
  }
}

/** All fragments of bytes that must hold whole fragments only (one WS-Man stream element, one OutOfProc packet). */
export function readFragments(bytes: Uint8Array, limits: FragmentLimits = DEFAULT_FRAGMENT_LIMITS): Fragment[] {
  const reader = new FragmentReader(limits);
  const fragments = reader.push(bytes);
  reader.finish();
  return fragments;
}

interface Pending {
  next: bigint;
  length: number;
  parts: Uint8Array[];
}

/**
 * Rebuilds messages from fragments (MS-PSRP 3.1.5.1.2). Fragments of different messages may interleave;
 * those of one message must come in order, starting with a start fragment: anything else is refused,
 * as PowerShell and psrpcore do, since a gap cannot be repaired.
 */
export class Reassembler {
  private readonly pending = new Map<bigint, Pending>();

  constructor(private readonly limits: FragmentLimits = DEFAULT_FRAGMENT_LIMITS) {}

  /** Messages started and not yet finished. */
  get pendingMessages(): number {
    return this.pending.size;
  }

  /** The complete message when `fragment` was its last, else undefined. */
  add(fragment: Fragment): Uint8Array | undefined {
    const { objectId, fragmentId } = fragment;
    let entry = this.pending.get(objectId);
    if (fragment.start) {
      if (entry) throw new PsrpError('fragment', `object ${objectId} started again before its end fragment`);
      if (fragmentId !== 0n) throw new PsrpError('fragment', `object ${objectId} starts with fragment ${fragmentId}, not 0`);
      if (fragment.end) {
        this.checkLength(fragment.blob.length, objectId);
        return fragment.blob;
      }
      if (this.pending.size >= this.limits.maxPendingMessages) {
        throw new PsrpError('limit', `more than ${this.limits.maxPendingMessages} messages are partly received`);
      }
      entry = { next: 0n, length: 0, parts: [] };
      this.pending.set(objectId, entry);
    } else if (!entry) {
      throw new PsrpError('fragment', `fragment ${fragmentId} of object ${objectId} came without a start fragment`);
    }
    if (fragmentId !== entry.next) {
      this.pending.delete(objectId);
      throw new PsrpError('fragment', `object ${objectId}: expected fragment ${entry.next}, got ${fragmentId}`);
    }
    entry.length += fragment.blob.length;
    this.checkLength(entry.length, objectId);
    entry.parts.push(fragment.blob);
    entry.next += 1n;
    if (!fragment.end) return undefined;
    this.pending.delete(objectId);
    return Buffer.concat(entry.parts, entry.length);
  }

  private checkLength(length: number, objectId: bigint): void {
    if (length > this.limits.maxMessageLength) {
      this.pending.delete(objectId);
      throw new PsrpError('limit', `object ${objectId} is longer than the limit of ${this.limits.maxMessageLength} bytes`);
    }
  }
}
