import {
  DEFAULT_FRAGMENT_LIMITS,
  FragmentReader,
  ObjectIdSequence,
  Reassembler,
  encodeFragment,
  fragmentMessage,
  type Fragment,
  type FragmentLimits,
} from './fragment';
import { decodeMessage, encodeMessage, type EncodeMessageOptions, type PsrpMessage } from './message';

/**
 * Bytes in, messages out: fragments split anywhere are read, reassembled and decoded. One reader per
 * direction of one connection (ObjectIds are the sender's, so two senders need two readers).
 */
export class MessageReader {
  private readonly fragments: FragmentReader;
  private readonly reassembler: Reassembler;

  constructor(limits: FragmentLimits = DEFAULT_FRAGMENT_LIMITS) {
    this.fragments = new FragmentReader(limits);
    this.reassembler = new Reassembler(limits);
  }

  push(bytes: Uint8Array): PsrpMessage[] {
    const out: PsrpMessage[] = [];
    for (const fragment of this.fragments.push(bytes)) {
      const whole = this.reassembler.add(fragment);
      if (whole) out.push(decodeMessage(whole));
    }
    return out;
  }

  /** True when no fragment or message is partly received. */
  get idle(): boolean {
    return this.fragments.pendingBytes === 0 && this.reassembler.pendingMessages === 0;
  }

  /** Refuses a stream that ended inside a fragment. */
  finish(): void {
    this.fragments.finish();
  }
}

/** Messages in, fragments out, each message with the next ObjectId of this sender. */
export class MessageWriter {
  constructor(
    private readonly objectIds: ObjectIdSequence = new ObjectIdSequence(),
    private readonly options: EncodeMessageOptions = {},
  ) {}

  fragments(message: PsrpMessage, maxFragmentLength: number): Fragment[] {
    return fragmentMessage(this.objectIds.next(), encodeMessage(message, this.options), maxFragmentLength);
  }

  /** The fragments of `message` as one byte string. */
  encode(message: PsrpMessage, maxFragmentLength: number): Buffer {
    return Buffer.concat(this.fragments(message, maxFragmentLength).map(encodeFragment));
  }
}
