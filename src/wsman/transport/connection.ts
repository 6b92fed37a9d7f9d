import http from 'node:http';
import { spanned, timed } from '../../common/profile';
import https from 'node:https';
import type { Socket } from 'node:net';
import { NtlmClientContext, NtlmError, decodeNegotiateToken, type NtlmSession } from '../auth/ntlm';
import { CERTIFICATE_AUTHORIZATION, basicAuthorization } from '../auth/basic-auth';
import type { WsmanAuth } from '../auth/auth-options';
import { offeredSchemes, schemeToken } from '../auth/www-authenticate';
import { WsmanAuthError, WsmanBadResponseError, WsmanTransportError } from '../faults/errors';
import { ENCRYPTED_CONTENT_TYPE, SOAP_CONTENT_TYPE, decodeEncryptedBody, encodeEncryptedBody, isEncryptedContentType } from './encryption-framing';
import { AbortBeforeSend, httpExchange, type HttpExchangeResponse } from './http-exchange';
import type { WsmanTlsOptions } from './tls-options';
import type { TransportStats } from './transport-stats';

export interface ConnectionOptions {
  readonly url: URL;
  readonly auth: WsmanAuth;
  readonly tls?: WsmanTlsOptions;
  readonly connectTimeoutMs: number;
  readonly maxResponseBytes: number;
  /** A kept-alive socket idle this long is closed by us, before the host closes it under a request. */
  readonly idleSocketTimeoutMs: number;
  readonly stats: TransportStats;
}

export interface ExchangeOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface PlainResponse {
  readonly status: number;
  readonly contentType: string | undefined;
  /** The SOAP text, unsealed when the host encrypted it. */
  readonly body: Buffer;
  readonly headers: http.IncomingHttpHeaders;
}

/**
 * One keep-alive HTTP connection to a host and the authentication bound to it. NTLM authenticates a
 * connection, not a request, so each Connection owns an agent limited to one socket and the NtlmSession
 * established on that socket; a new socket (host closed the old one) means a new handshake.
 */
export class Connection {
  private readonly agent: http.Agent;
  private socket: Socket | undefined;
  private session: NtlmSession | undefined;
  /** Whether NTLM messages are sealed: over HTTP, unless the caller disabled it. */
  private readonly seal: boolean;

  constructor(private readonly o: ConnectionOptions) {
    // The agent's timeout destroys a socket only while it sits free; a request in flight is bounded by httpExchange.
    const common = { keepAlive: true, maxSockets: 1, maxFreeSockets: 1, timeout: o.idleSocketTimeoutMs };
    if (o.url.protocol === 'https:') {
      const cert = o.auth.kind === 'certificate' ? { cert: o.auth.cert, key: o.auth.key, passphrase: o.auth.passphrase } : {};
      this.agent = new https.Agent({
        ...common,
        ...cert,
        ca: o.tls?.ca as https.AgentOptions['ca'],
        rejectUnauthorized: o.tls?.insecureSkipVerify !== true,
        servername: o.tls?.servername,
      });
    } else {
      this.agent = new http.Agent(common);
    }
    this.seal = o.auth.kind === 'ntlm' && o.url.protocol === 'http:' && o.auth.disableEncryption !== true;
  }

  async exchange(soap: Buffer, opts: ExchangeOptions): Promise<PlainResponse> {
    if (this.o.auth.kind !== 'ntlm') return this.plainExchange(soap, opts, this.staticAuthorization());
    // One retry: the host may have closed the authenticated socket while it sat idle.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.ntlmExchange(soap, opts);
      } catch (e) {
        if (!(e instanceof StaleContext)) throw e;
        this.forget();
        if (attempt > 0) {
          throw new WsmanTransportError(`${this.o.url.host}: the host keeps dropping the NTLM-authenticated connection`, 'reset');
        }
      }
    }
  }

  close(): void {
    this.forget();
    this.agent.destroy();
  }

  private staticAuthorization(): string {
    const auth = this.o.auth;
    if (auth.kind === 'basic') return basicAuthorization(auth);
    return CERTIFICATE_AUTHORIZATION;
  }

  private async plainExchange(soap: Buffer, opts: ExchangeOptions, authorization: string): Promise<PlainResponse> {
    const res = await this.send({ Authorization: authorization, 'Content-Type': SOAP_CONTENT_TYPE }, soap, opts);
    if (res.status === 401) throw refused(res, this.o.auth.kind);
    return toPlain(res, res.body);
  }

  private async ntlmExchange(soap: Buffer, opts: ExchangeOptions): Promise<PlainResponse> {
    if (!this.session || !this.socket || this.socket.destroyed) {
      const final = await this.handshake(opts, this.seal ? Buffer.alloc(0) : soap);
      // Unsealed NTLM carries the real request on the authenticating leg, so its answer is the response.
      if (!this.seal) return toPlain(final, final.body);
    }
    return this.boundExchange(soap, opts);
  }

  /** Sends (sealed, unless encryption is off) on the authenticated socket only; anything else means the context is gone. */
  private async boundExchange(soap: Buffer, opts: ExchangeOptions): Promise<PlainResponse> {
    const bound = this.socket;
    const session = this.session!;
    const res = await this.send(
      { 'Content-Type': this.seal ? ENCRYPTED_CONTENT_TYPE : SOAP_CONTENT_TYPE },
      (socket) => {
        if (socket !== bound) throw new StaleContext();
        return this.seal ? timed('ntlm', () => encodeEncryptedBody(session, soap)) : soap;
      },
      opts,
    );
    if (res.status === 401) {
      // The host dropped our security context; nothing was processed, so re-authenticating is safe.
      throw new StaleContext();
    }
    if (isEncryptedContentType(header(res, 'content-type'))) {
      if (!this.session) throw new WsmanBadResponseError('encrypted response on a connection without an NTLM session');
      try {
        const session = this.session;
        const { plaintext, originalType } = timed('ntlm', () => decodeEncryptedBody(session, res.body));
        return { status: res.status, contentType: originalType, body: plaintext, headers: res.headers };
      } catch (e) {
        this.forget();
        if (e instanceof NtlmError) throw new WsmanBadResponseError(`encrypted response failed verification: ${e.message}`, { cause: e });
        throw e;
      }
    }
    if (this.seal && (res.status === 200 || res.status === 500)) {
      // MS-WSMV 2.2.9.1: the answer to a sealed request is sealed (spec; our captures hold no clear one).
      // A clear SOAP answer here is unauthenticated and could be injected by anyone on the path.
      this.forget();
      throw new WsmanBadResponseError(`HTTP ${res.status} answered in clear on an NTLM-sealed connection; refused as unauthenticated`);
    }
    return toPlain(res, res.body);
  }

  private async handshake(opts: ExchangeOptions, finalBody: Buffer): Promise<HttpExchangeResponse> {
    const auth = this.o.auth;
    if (auth.kind !== 'ntlm') throw new Error('handshake is only for NTLM');
    const ctx = new NtlmClientContext({ username: auth.username, password: auth.password, domain: auth.domain });
    const first = await this.send(
      { Authorization: `Negotiate ${timed('ntlm', () => ctx.negotiate()).toString('base64')}`, 'Content-Type': SOAP_CONTENT_TYPE },
      Buffer.alloc(0),
      opts,
    );
    const challengeToken = first.status === 401 ? schemeToken(first.headers, 'Negotiate') : undefined;
    if (!challengeToken) {
      if (first.status === 401) throw refused(first, 'ntlm');
      throw new WsmanBadResponseError(`expected an NTLM challenge (HTTP 401 with Negotiate), got HTTP ${first.status}`);
    }
    let authenticate: { token: Buffer; session: NtlmSession };
    try {
      authenticate = timed('ntlm', () => ctx.authenticate(decodeNegotiateToken(challengeToken).ntlm));
    } catch (e) {
      throw new WsmanBadResponseError(`unusable NTLM challenge from the host: ${(e as Error).message}`, { cause: e });
    }
    const bound = first.socket;
    const second = await this.send(
      { Authorization: `Negotiate ${authenticate.token.toString('base64')}`, 'Content-Type': SOAP_CONTENT_TYPE },
      (socket) => {
        if (socket !== bound) throw new StaleContext();
        return finalBody;
      },
      opts,
    );
    if (second.status === 401) throw refused(second, 'ntlm');
    this.socket = bound;
    this.session = authenticate.session;
    this.o.stats.recordHandshake();
    bound.once('close', () => {
      if (this.socket === bound) this.forget();
    });
    return second;
  }

  private async send(headers: Record<string, string>, body: Buffer | ((s: Socket) => Buffer), opts: ExchangeOptions): Promise<HttpExchangeResponse> {
    const res = await spanned('network', () => httpExchange({
      url: this.o.url,
      agent: this.agent,
      headers,
      body,
      connectTimeoutMs: this.o.connectTimeoutMs,
      timeoutMs: opts.timeoutMs,
      maxResponseBytes: this.o.maxResponseBytes,
      signal: opts.signal,
    }));
    this.o.stats.recordExchange(res.socket);
    return res;
  }

  private forget(): void {
    this.session = undefined;
    this.socket = undefined;
  }
}

/** The authenticated context is not usable on this socket: re-authenticate (nothing was sent). */
class StaleContext extends AbortBeforeSend {}

function header(res: HttpExchangeResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function toPlain(res: HttpExchangeResponse, body: Buffer): PlainResponse {
  return { status: res.status, contentType: header(res, 'content-type'), body, headers: res.headers };
}

function refused(res: HttpExchangeResponse, kind: WsmanAuth['kind']): WsmanAuthError {
  const schemes = offeredSchemes(res.headers);
  const offered = schemes.length > 0 ? `; the host offers ${schemes.join(', ')}` : '';
  return new WsmanAuthError(`HTTP 401: the host refused ${kind} authentication${offered}`, schemes);
}
