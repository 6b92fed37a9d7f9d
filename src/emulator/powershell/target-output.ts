/**
 * The output one PSRP target (the runspace pool, or one pipeline) has produced and no client has received
 * yet. pwsh's Data packets are grouped into whole messages (one WS-Man `rsp:Stream` element each, as Windows
 * answers: observed in every test_psrp_* recording), read with src/psrp's MessageReader so the bridge knows
 * which message types passed: a pipeline is finished once its terminal PIPELINE_STATE is queued.
 */
import { EventEmitter } from 'node:events';
import { MessageReader, deserializeClixml, readPipelineState, type PsrpMessage } from '../../psrp';

export interface QueuedMessage {
  /** The fragment bytes of one or more whole messages. */
  readonly bytes: Buffer;
  readonly messages: readonly PsrpMessage[];
}

/** PSInvocationState Stopped, Completed and Failed end a pipeline (MS-PSRP 2.2.3.5). */
const TERMINAL_PIPELINE_STATES = new Set(['Stopped', 'Completed', 'Failed']);

function isFinalState(message: PsrpMessage): boolean {
  return message.type === 'PIPELINE_STATE' && TERMINAL_PIPELINE_STATES.has(readPipelineState(deserializeClixml(message.data)).state);
}

export class TargetOutput {
  private readonly queue: QueuedMessage[] = [];
  private readonly reader = new MessageReader();
  private partial: Buffer[] = [];
  private queued = 0;
  private ended = false;
  private readonly events = new EventEmitter();
  /** Messages discarded under OutputBufferingMode Drop. */
  dropped = 0;

  constructor(readonly kind: 'pool' | 'pipeline') {
    this.events.setMaxListeners(0);
  }

  get bytes(): number {
    return this.queued;
  }

  /** A pipeline whose terminal state is queued, or a target whose process ended. */
  get finished(): boolean {
    return this.ended;
  }

  get empty(): boolean {
    return this.queue.length === 0;
  }

  /** Takes pwsh's fragments; returns the messages they completed. */
  push(fragments: Buffer): readonly PsrpMessage[] {
    this.partial.push(fragments);
    const messages = this.reader.push(fragments);
    if (!this.reader.idle || messages.length === 0) return messages;
    const bytes = Buffer.concat(this.partial);
    this.partial = [];
    this.enqueue({ bytes, messages });
    if (this.kind === 'pipeline' && messages.some(isFinalState)) this.ended = true;
    this.events.emit('change');
    return messages;
  }

  /** Queues messages the bridge itself writes (the cached APPLICATION_PRIVATE_DATA after a Connect). */
  enqueue(entry: QueuedMessage): void {
    this.queue.push(entry);
    this.queued += entry.bytes.length;
    this.events.emit('change');
  }

  /** Drops the oldest messages until at most `maxBytes` are held (OutputBufferingMode Drop). */
  dropOldest(maxBytes: number): void {
    while (this.queued > maxBytes && this.queue.length > 1) {
      const old = this.queue.shift() as QueuedMessage;
      this.queued -= old.bytes.length;
      this.dropped += old.messages.length;
    }
  }

  /** The process ended: nothing more will come. */
  end(): void {
    this.ended = true;
    this.events.emit('change');
  }

  /** Takes whole queued messages up to `maxBytes` (at least one). */
  take(maxBytes: number): QueuedMessage[] {
    const out: QueuedMessage[] = [];
    let bytes = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0] as QueuedMessage;
      if (out.length > 0 && bytes + next.bytes.length > maxBytes) break;
      out.push(next);
      bytes += next.bytes.length;
      this.queue.shift();
    }
    this.queued -= bytes;
    return out;
  }

  /** Resolves true when output or the end arrives within `timeoutMs`, false otherwise or when `cancel` settles first. */
  wait(timeoutMs: number, cancel: Promise<unknown>): Promise<boolean> {
    if (!this.empty || this.ended) return Promise.resolve(true);
    return new Promise((resolve) => {
      let settled = false;
      const done = (value: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.events.off('change', onChange);
        resolve(value);
      };
      const onChange = (): void => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.events.on('change', onChange);
      void cancel.then(
        () => done(false),
        () => done(false),
      );
    });
  }
}
