/**
 * Collects a command's output stream within a byte budget: keeps the head and the tail (where
 * errors usually are) and says how much was dropped between them. Decoding happens once at the
 * end, so multi-byte UTF-8 characters split across chunks decode correctly.
 */
export class BoundedOutput {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer = Buffer.alloc(0);
  private dropped = 0;

  constructor(private readonly maxBytes: number) {
    if (!Number.isInteger(maxBytes) || maxBytes < 2) throw new RangeError('maxBytes must be an integer >= 2');
  }

  get totalBytes(): number {
    return this.headBytes + this.dropped + this.tail.length;
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  push(chunk: Buffer): void {
    const headRoom = Math.floor(this.maxBytes / 2) - this.headBytes;
    if (headRoom > 0) {
      const taken = chunk.subarray(0, headRoom);
      this.head.push(taken);
      this.headBytes += taken.length;
      chunk = chunk.subarray(taken.length);
    }
    if (chunk.length === 0) return;
    const tailMax = this.maxBytes - Math.floor(this.maxBytes / 2);
    const joined = Buffer.concat([this.tail, chunk]);
    const excess = Math.max(0, joined.length - tailMax);
    this.dropped += excess;
    this.tail = joined.subarray(excess);
  }

  /** The text, with a marker naming the number of bytes left out when the budget was exceeded. */
  text(): string {
    const head = Buffer.concat(this.head);
    if (this.dropped === 0) return Buffer.concat([head, this.tail]).toString('utf8');
    // Cut points may split a UTF-8 sequence: the replacement characters make that visible, not silent.
    return `${head.toString('utf8')}\n[... ${this.dropped} bytes of output truncated ...]\n${this.tail.toString('utf8')}`;
  }
}
