/** A minimal WS-Man client for emulator tests: builds requests with the project's envelope builder, posts with Basic. */
import { buildRequest, readEnvelope, type Envelope, type RequestBody } from '../../src/wsman/soap';
import { findFault, parseFault, type WsmanFault } from '../../src/wsman/faults';
import { ACTION, RESOURCE_URI } from '../../src/wsman/soap';
import { el, NS } from '../../src/wsman/xml';

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
    /** How long one request may take (a bench that starts many pwsh at once on a small machine needs more). */
    private readonly requestTimeoutMs = 30000,
  ) {}

  async send(
    action: string,
    resourceUri: string,
    body?: RequestBody,
    extra: { selectors?: Record<string, string>; options?: Record<string, string>; operationTimeoutMs?: number } = {},
  ): Promise<Answer> {
    const xml = buildRequest(
      {
        to: this.endpoint,
        action,
        resourceUri,
        operationTimeoutMs: extra.operationTimeoutMs ?? 20000,
        selectors: extra.selectors,
        options: extra.options,
      },
      body,
    );
    return this.post(xml);
  }

  /** Enumerate of the shells this user may see (as Get-PSSession -ComputerName asks), every one in the first answer. */
  enumerateShells(): Promise<Answer> {
    return this.send(
      ACTION.Enumerate,
      RESOURCE_URI.shell,
      el(
        'wsen:Enumerate',
        [
          ['xmlns:wsen', NS.n],
          ['xmlns:wsman', NS.w],
        ],
        el('wsman:OptimizeEnumeration'),
        el('wsman:MaxElements', null, '32000'),
      ),
    );
  }

  async post(xml: string, auth = `Basic ${Buffer.from(`${this.user}:${this.password}`).toString('base64')}`): Promise<Answer> {
    const res = await fetch(this.endpoint, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/soap+xml;charset=UTF-8' },
      body: xml,
      signal: AbortSignal.timeout(this.requestTimeoutMs),
    });
    const text = await res.text();
    return { status: res.status, text, env: text ? readEnvelope(text) : undefined, headers: res.headers };
  }
}

/** The fault of an answer, read by the client's own fault parser. */
function fault(a: Answer): WsmanFault | undefined {
  const f = a.env && findFault(a.env.body);
  return f && parseFault(f);
}

/** The WSManFault Code of a fault answer. */
export function faultCode(a: Answer): number | undefined {
  return fault(a)?.code;
}

export function faultSubcode(a: Answer): string | undefined {
  return fault(a)?.subcode;
}
