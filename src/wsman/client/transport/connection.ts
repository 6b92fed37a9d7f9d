import http from 'node:http';
import { spanned, timed } from '../../../common/profile';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { NtlmClientContext, NtlmError, decodeNegotiateToken, type NtlmCredentials, type NtlmSession } from '../../auth/ntlm';
import { KerberosError, KerberosInitiator, principalText, tlsServerEndPoint, type Grant, type KerberosFailure } from '../../auth/kerberos';
import { CERTIFICATE_AUTHORIZATION, basicAuthorization } from '../auth/basic-auth';
import type { WsmanAuth } from '../auth/auth-options';
import { offeredSchemes, schemeToken } from '../auth/www-authenticate';
import { WsmanAuthError, WsmanBadResponseError, WsmanError, WsmanTransportError } from '../../faults/errors';
import {
  ENCRYPTED_PROTOCOL,
  SOAP_CONTENT_TYPE,
  decodeEncryptedBody,
  encodeEncryptedBody,
  encryptedContentType,
  isEncryptedContentType,
  type EncryptedProtocol,
  type MessageSealer,
} from '../../auth/encryption-framing';
import { AbortBeforeSend, httpExchange, type HttpExchangeResponse } from './http-exchange';
import { httpStatusError } from './http-status-error';
import type { WsmanTlsOptions } from './tls-options';
import type { TransportStats } from './transport-stats';
import { errorMessage, type StateChange, type StateMachine } from '../../../common';
import { connectionAuthStateMachine, type ConnectionAuthState } from './connection-auth-state';
import type { WsmanTrace } from '../client-options';

export interface ConnectionOptions {
  readonly url: URL;
  readonly auth: WsmanAuth;
  readonly tls?: WsmanTlsOptions;
  readonly connectTimeoutMs: number;
  readonly maxResponseBytes: number;
  /** A kept-alive socket idle this long is closed by us, before the host closes it under a request. */
  readonly idleSocketTimeoutMs: number;
  readonly stats: TransportStats;
  /** Told of every authentication state change (for debug logs). */
  readonly onStateChange?: (change: StateChange<ConnectionAuthState>) => void;
  readonly trace?: WsmanTrace;
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

/** Kerberos failures after which Negotiate falls back to NTLM, as Windows' SPNEGO does: no Kerberos for this host. */
const NTLM_FALLBACK: readonly KerberosFailure[] = ['kdc-unreachable', 'spn-unknown', 'config'];

/**
 * One keep-alive HTTP connection to a host and the authentication bound to it. NTLM and Kerberos
 * authenticate a connection, not a request (HTTP.sys keeps the security context with the socket), so
 * each Connection owns an agent limited to one socket and the session established on that socket; a
 * new socket (host closed the old one) means a new handshake (for Kerberos with the cached ticket).
 */
export class Connection {
  private readonly agent: http.Agent;
  private readonly auth: StateMachine<ConnectionAuthState>;
  private socket: Socket | undefined;
  private session: MessageSealer | undefined;
  /** The MS-WSMV sealing protocol of the session: NTLM (SPNEGO) or Kerberos. */
  private protocol: EncryptedProtocol = ENCRYPTED_PROTOCOL.spnego;
  /** Whether messages are sealed: NTLM or Kerberos over HTTP, unless the caller disabled it. */
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
    this.seal = (o.auth.kind === 'ntlm' || o.auth.kind === 'kerberos') && o.url.protocol === 'http:' && o.auth.disableEncryption !== true;
    this.auth = connectionAuthStateMachine(o.url.host, o.onStateChange);
  }

  async exchange(soap: Buffer, opts: ExchangeOptions): Promise<PlainResponse> {
    if (this.o.auth.kind !== 'ntlm' && this.o.auth.kind !== 'kerberos') return this.plainExchange(soap, opts, this.staticAuthorization());
    // One retry: the host may have closed the authenticated socket while it sat idle.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.contextExchange(soap, opts);
      } catch (e) {
        if (!(e instanceof StaleContext)) throw e;
        this.forget('the host dropped the authenticated connection');
        if (attempt > 0) {
          throw new WsmanTransportError(`${this.o.url.host}: the host keeps dropping the authenticated connection`, 'reset');
        }
        this.o.trace?.('NTLM context dropped by the host; authenticating again', { host: this.o.url.host });
      }
    }
  }

  close(): void {
    this.forget('closed');
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

  private async contextExchange(soap: Buffer, opts: ExchangeOptions): Promise<PlainResponse> {
    if (!this.session || !this.socket || this.socket.destroyed) {
      const final = await this.handshake(opts, this.seal ? Buffer.alloc(0) : soap);
      // Unsealed, the real request rides on the authenticating leg, so its answer is the response.
      if (!this.seal) return toPlain(final, final.body);
    }
    return this.boundExchange(soap, opts);
  }

  /** Sends (sealed, unless encryption is off) on the authenticated socket only; anything else means the context is gone. */
  private async boundExchange(soap: Buffer, opts: ExchangeOptions): Promise<PlainResponse> {
    const bound = this.socket;
    const session = this.session!;
    const protocol = this.protocol;
    const res = await this.send(
      { 'Content-Type': this.seal ? encryptedContentType(protocol) : SOAP_CONTENT_TYPE },
      (socket) => {
        if (socket !== bound) throw new StaleContext();
        return this.seal ? timed(sealingLabel(protocol), () => encodeEncryptedBody(session, soap, SOAP_CONTENT_TYPE, protocol)) : soap;
      },
      opts,
    );
    if (res.status === 401) {
      // The host dropped our security context; nothing was processed, so re-authenticating is safe.
      throw new StaleContext();
    }
    if (isEncryptedContentType(header(res, 'content-type'))) {
      if (!this.session) throw new WsmanBadResponseError('encrypted response on a connection without a security context');
      try {
        const session = this.session;
        const { plaintext, originalType } = timed(sealingLabel(protocol), () => decodeEncryptedBody(session, res.body));
        return { status: res.status, contentType: originalType, body: plaintext, headers: res.headers };
      } catch (e) {
        this.forget('a sealed answer failed verification');
        if (e instanceof NtlmError || e instanceof KerberosError)
          throw new WsmanBadResponseError(`encrypted response failed verification: ${e.message}`, { cause: e });
        throw e;
      }
    }
    if (this.seal) {
      // Our sealing advanced the client-to-host keystream; a host that answered in clear (a 503 while
      // WinRM restarts) never unsealed the request, so the two keystreams differ now: start over.
      this.forget('a clear answer on a sealed connection');
      // MS-WSMV 2.2.9.1: the answer to a sealed request is sealed (spec; our captures hold no clear one).
      // A clear SOAP answer here is unauthenticated and could be injected by anyone on the path.
      if (res.status === 200 || res.status === 500) {
        const sealedWith = this.protocol === ENCRYPTED_PROTOCOL.kerberos ? 'a Kerberos' : 'an NTLM';
        throw new WsmanBadResponseError(
          `HTTP ${res.status} answered in clear on ${sealedWith}-sealed connection; refused as unauthenticated`,
        );
      }
    }
    return toPlain(res, res.body);
  }

  /** One handshake, walked through the connection's authentication states (connection-auth-state.ts). */
  private async handshake(opts: ExchangeOptions, finalBody: Buffer): Promise<HttpExchangeResponse> {
    this.forget('a new handshake');
    this.auth.transition('negotiating');
    try {
      const final = await this.negotiate(opts, finalBody);
      this.auth.transition('authenticated');
      return final;
    } finally {
      if (this.auth.is('negotiating')) this.auth.transition('unauthenticated', 'handshake failed');
    }
  }

  private async negotiate(opts: ExchangeOptions, finalBody: Buffer): Promise<HttpExchangeResponse> {
    const auth = this.o.auth;
    if (auth.kind === 'ntlm') return this.ntlmHandshake(auth, opts, finalBody);
    if (auth.kind !== 'kerberos') throw new WsmanError('handshake is only for NTLM and Kerberos');
    const grant = await this.kerberosGrant(auth);
    if (grant) return this.kerberosHandshake(grant, opts, finalBody);
    return this.ntlmHandshake(auth.ntlmFallback!, opts, finalBody);
  }

  /** The service ticket for this host (cached by the KerberosClient), or undefined when Negotiate falls back to NTLM. */
  private async kerberosGrant(auth: Extract<WsmanAuth, { kind: 'kerberos' }>): Promise<Grant | undefined> {
    const host = this.o.url.hostname.replace(/^\[|\]$/g, '');
    // No SPN names an IP address, so Windows uses NTLM for hosts given by address.
    if (auth.ntlmFallback && isIP(host) !== 0) return undefined;
    try {
      return await auth.tickets.serviceTicket(await auth.tickets.servicePrincipal(host, auth.spn));
    } catch (e) {
      if (auth.ntlmFallback && e instanceof KerberosError && NTLM_FALLBACK.includes(e.kind)) return undefined;
      throw e;
    }
  }

  /**
   * Kerberos through SPNEGO: the AP-REQ goes on the first request (Windows needs no empty 401 round
   * first), bound over HTTPS to this connection's server certificate; the 200 carries the AP-REP.
   */
  private async kerberosHandshake(grant: Grant, opts: ExchangeOptions, finalBody: Buffer): Promise<HttpExchangeResponse> {
    let initiator: KerberosInitiator | undefined;
    const res = await this.send({ 'Content-Type': SOAP_CONTENT_TYPE }, finalBody, opts, (socket) => {
      const bindings = socket instanceof TLSSocket ? tlsServerEndPoint(socket.getPeerCertificate().raw) : undefined;
      initiator = new KerberosInitiator({ grant, spnego: true, ...(bindings ? { channelBindings: bindings } : {}) });
      return { Authorization: `Negotiate ${initiator.initialToken().toString('base64')}` };
    });
    if (res.status === 401) {
      const schemes = offeredSchemes(res.headers);
      throw new WsmanAuthError(
        `HTTP 401: the host refused our Kerberos ticket for ${principalText(grant.server)} (the SPN must belong to this host's account; over https the host may require channel binding)${schemes.length > 0 ? `; the host offers ${schemes.join(', ')}` : ''}`,
        schemes,
      );
    }
    const answer = schemeToken(res.headers, 'Negotiate') ?? schemeToken(res.headers, 'Kerberos');
    if (!answer)
      throw new KerberosError(
        'mutual-auth',
        `HTTP ${res.status} without a Kerberos AP-REP: the host did not authenticate itself (mutual authentication failed)`,
      );
    const session = initiator!.complete(answer);
    this.bind(res.socket, session, ENCRYPTED_PROTOCOL.kerberos);
    this.o.trace?.('Kerberos handshake: authenticated', { host: this.o.url.host });
    return res;
  }

  private async ntlmHandshake(credentials: NtlmCredentials, opts: ExchangeOptions, finalBody: Buffer): Promise<HttpExchangeResponse> {
    const ctx = new NtlmClientContext(credentials);
    this.o.trace?.('NTLM handshake: NEGOTIATE sent', { host: this.o.url.host, sealed: this.seal });
    const first = await this.send(
      { Authorization: `Negotiate ${timed('ntlm', () => ctx.negotiate()).toString('base64')}`, 'Content-Type': SOAP_CONTENT_TYPE },
      Buffer.alloc(0),
      opts,
    );
    const challengeToken = first.status === 401 ? schemeToken(first.headers, 'Negotiate') : undefined;
    if (!challengeToken) {
      if (first.status === 401) throw refused(first, 'ntlm');
      // A host answering without authenticating is wrong; a busy or failing one (503, 5xx) is an HTTP error like any other.
      if (first.status < 300)
        throw new WsmanBadResponseError(`expected an NTLM challenge (HTTP 401 with Negotiate), got HTTP ${first.status}`);
      throw statusError(this.o.url, first);
    }
    let authenticate: { token: Buffer; session: NtlmSession };
    try {
      authenticate = timed('ntlm', () => ctx.authenticate(decodeNegotiateToken(challengeToken).ntlm));
    } catch (e) {
      throw new WsmanBadResponseError(`unusable NTLM challenge from the host: ${errorMessage(e)}`, { cause: e });
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
    if (second.status === 401) {
      this.o.trace?.('NTLM handshake: AUTHENTICATE refused', { host: this.o.url.host });
      throw refused(second, 'ntlm');
    }
    // Turned away (503 while WinRM restarts): nothing was authenticated, the next attempt starts over.
    if (second.status !== 200 && second.status !== 500) throw statusError(this.o.url, second);
    this.bind(bound, authenticate.session, ENCRYPTED_PROTOCOL.spnego);
    this.o.trace?.('NTLM handshake: authenticated', { host: this.o.url.host });
    return second;
  }

  /** The handshake succeeded on `socket`: later requests go on it, sealed with `session`. */
  private bind(socket: Socket, session: MessageSealer, protocol: EncryptedProtocol): void {
    this.socket = socket;
    this.session = session;
    this.protocol = protocol;
    this.o.stats.recordHandshake();
    socket.once('close', () => {
      if (this.socket === socket) this.forget('socket closed');
    });
  }

  private async send(
    headers: Record<string, string>,
    body: Buffer | ((s: Socket) => Buffer),
    opts: ExchangeOptions,
    lateHeaders?: (s: Socket) => Record<string, string>,
  ): Promise<HttpExchangeResponse> {
    const res = await spanned('network', () =>
      httpExchange({
        url: this.o.url,
        agent: this.agent,
        headers,
        body,
        ...(lateHeaders ? { lateHeaders } : {}),
        connectTimeoutMs: this.o.connectTimeoutMs,
        timeoutMs: opts.timeoutMs,
        maxResponseBytes: this.o.maxResponseBytes,
        signal: opts.signal,
      }),
    );
    this.o.stats.recordExchange(res.socket);
    return res;
  }

  private forget(reason: string): void {
    this.session = undefined;
    this.socket = undefined;
    if (this.auth.is('authenticated')) this.auth.transition('unauthenticated', reason);
  }
}

/** The profile category of message sealing, named for the mechanism that seals. */
function sealingLabel(protocol: EncryptedProtocol): string {
  return protocol === ENCRYPTED_PROTOCOL.kerberos ? 'kerberos' : 'ntlm';
}

/** The authenticated context is not usable on this socket: re-authenticate (nothing was sent). */
class StaleContext extends AbortBeforeSend {}

function header(res: HttpExchangeResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function statusError(url: URL, res: HttpExchangeResponse): Error {
  return httpStatusError(url, res.status, header(res, 'content-type'), res.body.toString('utf8'));
}

function toPlain(res: HttpExchangeResponse, body: Buffer): PlainResponse {
  return { status: res.status, contentType: header(res, 'content-type'), body, headers: res.headers };
}

function refused(res: HttpExchangeResponse, kind: WsmanAuth['kind']): WsmanAuthError {
  const schemes = offeredSchemes(res.headers);
  const offered = schemes.length > 0 ? `; the host offers ${schemes.join(', ')}` : '';
  return new WsmanAuthError(`HTTP 401: the host refused ${kind} authentication${offered}`, schemes);
}
