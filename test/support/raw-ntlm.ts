/** A hand-driven NTLM connection for emulator tests: every leg visible, raw or SPNEGO-wrapped tokens. */
import * as http from 'node:http';
import {
  NtlmClientContext,
  decodeNegotiateToken,
  encodeNegTokenInit,
  encodeNegTokenResp,
  type NtlmSession,
} from '../../src/wsman/auth/ntlm';
import {
  ENCRYPTED_CONTENT_TYPE,
  SOAP_CONTENT_TYPE,
  decodeEncryptedBody,
  encodeEncryptedBody,
} from '../../src/wsman/auth/encryption-framing';

export interface RawAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export class RawNtlmConnection {
  /** One socket, kept alive: NTLM authenticates the connection. */
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  session: NtlmSession | undefined;

  constructor(private readonly endpoint: string) {}

  post(headers: http.OutgoingHttpHeaders, body: Buffer = Buffer.alloc(0)): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        this.endpoint,
        { method: 'POST', agent: this.agent, headers: { ...headers, 'Content-Length': String(body.length) }, timeout: 15000 },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** NEGOTIATE then AUTHENTICATE (empty bodies); returns the answer to the AUTHENTICATE leg. */
  async authenticate(username: string, password: string, spnego = false): Promise<{ challenge: RawAnswer; final: RawAnswer }> {
    const ctx = new NtlmClientContext({ username, password });
    const negotiate = spnego ? encodeNegTokenInit(ctx.negotiate()) : ctx.negotiate();
    const challenge = await this.post({ Authorization: `Negotiate ${negotiate.toString('base64')}` });
    const token = /^Negotiate (\S+)$/.exec(String(challenge.headers['www-authenticate']))?.[1];
    if (!token) throw new Error(`no challenge: HTTP ${challenge.status}`);
    const auth = ctx.authenticate(decodeNegotiateToken(Buffer.from(token, 'base64')).ntlm);
    const wire = spnego ? encodeNegTokenResp(undefined, auth.token) : auth.token;
    const final = await this.post({ Authorization: `Negotiate ${wire.toString('base64')}` });
    if (final.status === 200) this.session = auth.session;
    return { challenge, final };
  }

  /** A sealed SOAP request; the answer unsealed. */
  async sealed(xml: string): Promise<RawAnswer & { text: string }> {
    const session = this.session;
    if (!session) throw new Error('not authenticated');
    const res = await this.post({ 'Content-Type': ENCRYPTED_CONTENT_TYPE }, encodeEncryptedBody(session, Buffer.from(xml, 'utf8')));
    const text = String(res.headers['content-type']).startsWith('multipart/encrypted')
      ? decodeEncryptedBody(session, res.body).plaintext.toString('utf8')
      : res.body.toString('utf8');
    return { ...res, text };
  }

  plain(xml: string): Promise<RawAnswer> {
    return this.post({ 'Content-Type': SOAP_CONTENT_TYPE }, Buffer.from(xml, 'utf8'));
  }

  close(): void {
    this.agent.destroy();
  }
}
