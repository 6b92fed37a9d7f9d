import { encodeFragment, type Fragment } from '../fragment';

/** Where a client's data goes: a WS-Man stream name (MS-PSRP 3.1.5.3.5) and the pipeline, if any. */
export type OutboundStream = 'stdin' | 'pr';

export interface OutboundData {
  /** undefined for the runspace pool itself. */
  readonly pipelineId: string | undefined;
  readonly stream: OutboundStream;
  /** Whole fragments, possibly of several messages. */
  readonly bytes: Buffer;
}

interface Queued {
  readonly pipelineId: string | undefined;
  readonly stream: OutboundStream;
  readonly bytes: Buffer;
  /** Nothing after this fragment joins its payload. */
  readonly endsPayload: boolean;
}

/**
 * Fragments waiting to be sent, in order. A payload taken from it never mixes targets or streams
 * (psrpcore's rule: each WS-Man Send names one CommandId and one stream), and never splits a fragment.
 */
export class OutboundQueue {
  private readonly queue: Queued[] = [];

  /**
   * Queues the fragments of one message. `alone` ends the payload after it: a pipeline's CREATE_PIPELINE
   * travels by itself (WS-Man Command Arguments, MS-PSRP 3.1.5.3.3; PowerShell's OutOfProc server reads
   * the first Data of a command as its creation only).
   */
  push(pipelineId: string | undefined, stream: OutboundStream, fragments: readonly Fragment[], alone = false): void {
    fragments.forEach((f, i) =>
      this.queue.push({ pipelineId, stream, bytes: encodeFragment(f), endsPayload: alone && i === fragments.length - 1 }),
    );
  }

  get empty(): boolean {
    return this.queue.length === 0;
  }

  /** True when data for this target waits. */
  has(pipelineId: string | undefined): boolean {
    return this.queue.some((q) => q.pipelineId === pipelineId);
  }

  /**
   * The oldest waiting fragments of one target and stream, as many as fit in `maxBytes` (at least one),
   * optionally only for `pipelineId` (use null for the pool).
   */
  take(maxBytes: number, only?: string | null): OutboundData | undefined {
    const first = this.queue.findIndex((q) => only === undefined || q.pipelineId === (only ?? undefined));
    if (first < 0) return undefined;
    const head = this.queue[first]!;
    const parts: Buffer[] = [];
    let size = 0;
    for (let i = first; i < this.queue.length;) {
      const q = this.queue[i]!;
      if (q.pipelineId !== head.pipelineId) {
        i += 1;
        continue;
      }
      if (q.stream !== head.stream || (parts.length > 0 && size + q.bytes.length > maxBytes)) break;
      parts.push(q.bytes);
      size += q.bytes.length;
      this.queue.splice(i, 1);
      if (q.endsPayload) break;
    }
    return { pipelineId: head.pipelineId, stream: head.stream, bytes: Buffer.concat(parts, size) };
  }

  /** Drops what waits for a pipeline that ended. */
  discard(pipelineId: string): void {
    for (let i = this.queue.length - 1; i >= 0; i -= 1) if (this.queue[i]!.pipelineId === pipelineId) this.queue.splice(i, 1);
  }
}
