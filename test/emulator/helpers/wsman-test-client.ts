/** A minimal WS-Man client for emulator tests: builds requests with the project's envelope builder, posts with Basic. */
import { buildRequest, readEnvelope, type Envelope, type RequestBody } from '../../../src/wsman/soap';
import { NS, child, childText } from '../../../src/wsman/xml';

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly env?: Envelope;
  readonly headers: Headers;
}

export class TestClient {
  constructor(
    readonly endpoint: string,
    private readonly user = 'vagrant',
    private readonly password = 'vagrant',
  ) {}

  async send(
    action: string,
    resourceUri: string,
    body?: RequestBody,
    extra: { selectors?: Record<string, string>; options?: Record<string, string>; operationTimeoutMs?: number } = {},
  ): Promise<Answer> {
    const xml = buildRequest({ to: this.endpoint, action, resourceUri, operationTimeoutMs: extra.operationTimeoutMs ?? 20000, selectors: extra.selectors, options: extra.options }, body);
    return this.post(xml);
  }

  async post(xml: string, auth = `Basic ${Buffer.from(`${this.user}:${this.password}`).toString('base64')}`): Promise<Answer> {
    const res = await fetch(this.endpoint, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/soap+xml;charset=UTF-8' },
      body: xml,
      signal: AbortSignal.timeout(30000),
    });
    const text = await res.text();
    return { status: res.status, text, env: text ? readEnvelope(text) : undefined, headers: res.headers };
  }
}

/** The WSManFault Code of a fault answer. */
export function faultCode(a: Answer): number | undefined {
  const detail = child(child(a.env?.body, NS.s, 'Fault'), NS.s, 'Detail');
  const wf = child(detail, NS.f, 'WSManFault');
  const code = wf?.attributes.find((x) => x.local === 'Code')?.value;
  return code === undefined ? undefined : Number(code);
}

export function faultSubcode(a: Answer): string | undefined {
  return childText(child(child(child(a.env?.body, NS.s, 'Fault'), NS.s, 'Code'), NS.s, 'Subcode'), NS.s, 'Value');
}
