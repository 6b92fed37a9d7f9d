import { readEnvelope, type Envelope } from '../../src/wsman/soap';
import type { MessageTransport } from '../../src/wsman';

/** A transport answering each request through a function, recording what was sent. */
export class ScriptedTransport implements MessageTransport {
  readonly sent: Envelope[] = [];
  readonly timeouts: number[] = [];

  constructor(private readonly answer: (req: Envelope, index: number) => { status?: 200 | 500; body: string }) {}

  async post(envelope: string, opts: { timeoutMs: number }): Promise<{ status: 200 | 500; body: string }> {
    const req = readEnvelope(envelope);
    this.sent.push(req);
    this.timeouts.push(opts.timeoutMs);
    const a = this.answer(req, this.sent.length - 1);
    return { status: a.status ?? 200, body: a.body };
  }

  close(): void {}
}
