/**
 * The WS-Man HTTP(S) endpoint of one virtual host on 127.0.0.1. It answers as Windows' HTTP.sys/WinRM
 * does: `Server: Microsoft-HTTPAPI/2.0`, 401 with one `WWW-Authenticate` per offered scheme and an empty
 * body, HTTP 500 for every SOAP fault. Injected latency/faults apply before anything else. Stopping
 * closes the port and destroys every open connection (what a WinRM restart does to clients).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { readEnvelope, responseAction, type Envelope } from '../../wsman/soap';
import { NtlmError } from '../../wsman/auth/ntlm';
import { KerberosError, ReplayCache, tlsServerEndPoint, type ChannelBindingPolicy, type KeytabEntry } from '../../wsman/auth/kerberos';
import { parseBool, parseUint } from '../../wsman/xml';
import { WsmanBadResponseError } from '../../wsman/faults';
import {
  SOAP_CONTENT_TYPE,
  decodeEncryptedBody,
  encodeEncryptedBody,
  encryptedContentType,
  isEncryptedContentType,
} from '../../wsman/auth/encryption-framing';
import type { VirtualHost, ListenerControl } from '../virtual-host/virtual-host';
import { operationName } from '../virtual-host/host-counters';
import { dispatch } from '../dispatch/dispatch';
import { EmulatorFault, faults, renderFault } from '../dispatch/emulator-fault';
import { writeEnvelope } from '../dispatch/response-envelope';
import type { RequestContext } from '../dispatch/request-context';
import { checkBasic, type UserCredential } from './basic-auth';
import { NtlmConnection } from './ntlm-connection';
import { KerberosConnection, isKerberosToken } from './kerberos-connection';
import { readBody } from './read-body';
import type { ClientCertificates } from './client-certificates';
import { CERTIFICATE_AUTHORIZATION } from '../../wsman/client/auth/basic-auth';
import { errorMessage } from '../../common';

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const SERVER = 'Microsoft-HTTPAPI/2.0';

export interface ListenerOptions {
  readonly host: VirtualHost;
  readonly port: number;
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly users: readonly UserCredential[];
  readonly basic: boolean;
  readonly negotiate: boolean;
  /** Service keys (from --kerberos-keytab): Kerberos is accepted only with them. */
  readonly kerberosKeys?: readonly KeytabEntry[];
  /** Over TLS: the CAs trusted for client certificates and the certificate mappings (certificate auth). */
  readonly clientCertificates?: ClientCertificates;
  readonly log: (msg: string) => void;
  /** How long a client may take to send one whole request, headers and body; default 30 s. */
  readonly requestTimeoutMs?: number;
}

export class WsmanListener implements ListenerControl {
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly inFlightByUser = new Map<string, number>();
  /** NTLM and Kerberos are connection-bound: the security context lives with its socket. */
  private readonly contexts = new WeakMap<Socket, NtlmConnection | KerberosConnection>();
  /** Authenticators seen recently, across connections (RFC 4120 3.2.3). */
  private readonly replay = new ReplayCache();
  /** Our tls-server-end-point channel binding (RFC 5929) over HTTPS. */
  private readonly channelBindings: Buffer | undefined;
  port: number;

  constructor(private readonly o: ListenerOptions) {
    this.port = o.port;
    this.channelBindings = o.tls ? tlsServerEndPoint(new X509Certificate(o.tls.cert).raw) : undefined;
  }

  get listening(): boolean {
    return this.server?.listening ?? false;
  }

  get scheme(): 'http' | 'https' {
    return this.o.tls ? 'https' : 'http';
  }

  async start(): Promise<void> {
    if (this.server) return;
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      void this.handle(req, res).catch((e: unknown) => {
        this.o.log(`host ${this.o.host.name}: internal error: ${errorMessage(e)}`);
        if (res.headersSent) res.end();
        else answerEmpty(res, 500);
      });
    };
    // requestTimeout bounds receiving a request (a client trickling its body), not the answer: Receive
    // long-polls, which wait up to MaxTimeoutms before answering, are unaffected by it.
    const requestTimeout = this.o.requestTimeoutMs ?? 30_000;
    const limits: http.ServerOptions = {
      requestTimeout,
      headersTimeout: requestTimeout,
      keepAliveTimeout: 120_000,
      connectionsCheckingInterval: Math.min(1000, requestTimeout),
    };
    // Over HTTPS the handshake asks for a client certificate but does not require one: clients of the
    // other schemes send none, and an untrusted one is refused by the request's 401, not by a failed
    // handshake. Without `ca` Node verifies against its public roots, which never map: a certificate maps
    // only when issued by a CA trusted here (client-certificates.ts).
    const tls = this.o.tls;
    const clientCerts = this.o.clientCertificates;
    const context = (): https.ServerOptions => {
      if (!tls) return {};
      const cas = clientCerts?.caPems ?? [];
      return { key: tls.key, cert: tls.cert, ...(cas.length > 0 ? { ca: cas } : {}) };
    };
    const server = tls
      ? https.createServer({ ...limits, requestCert: clientCerts !== undefined, rejectUnauthorized: false, ...context() }, handler)
      : http.createServer(limits, handler);
    // A CA trusted through the control API applies to the TLS connections made after it.
    if (server instanceof https.Server && clientCerts) clientCerts.onTrustChanged = () => server.setSecureContext(context());
    server.on(this.o.tls ? 'secureConnection' : 'connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('clientError', (_e, s: Socket) => s.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    if (this.o.clientCertificates) this.o.clientCertificates.onTrustChanged = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const host = this.o.host;
    const injected = host.injection.take();
    if (injected?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    const delay = host.injection.latencyMs + (injected?.kind === 'slow' ? injected.delayMs : 0);
    if (delay > 0) await sleep(delay);
    if (injected?.kind === 'http503') return answerEmpty(res, 503);
    if ((req.url ?? '').split('?')[0]?.toLowerCase() !== '/wsman') return answerEmpty(res, 404);
    if (req.method !== 'POST') return answerEmpty(res, 405);

    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === undefined) return void req.socket.destroy();
    const authorization = req.headers.authorization;
    const negotiate = /^(Negotiate|Kerberos)\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (negotiate) {
      const [, scheme, token] = negotiate as unknown as [string, string, string];
      const kerberos = scheme.toLowerCase() === 'kerberos' || isKerberosToken(Buffer.from(token, 'base64'));
      if (kerberos && this.kerberosAllowed()) return this.kerberosLeg(req, res, scheme, Buffer.from(token, 'base64'), body);
      if (!kerberos && this.negotiateAllowed()) return this.negotiateLeg(req, res, token, body);
      return this.refuse(res);
    }
    if (authorization?.trim().toLowerCase() === CERTIFICATE_AUTHORIZATION.toLowerCase()) {
      const user = this.certificateUser(req);
      return user === undefined ? this.refuse(res) : this.answerPlain(req, res, user, body);
    }
    if (authorization !== undefined && /^Basic\s/i.test(authorization)) {
      const user = this.basicAllowed() ? checkBasic(authorization, this.o.users) : undefined;
      return user === undefined ? this.refuse(res) : this.answerPlain(req, res, user, body);
    }
    const context = this.contexts.get(req.socket);
    const established = context?.established;
    const allowed = context instanceof KerberosConnection ? this.kerberosAllowed() : this.negotiateAllowed();
    if (authorization !== undefined || !established || !allowed) return this.refuse(res);
    if (isEncryptedContentType(req.headers['content-type'])) return this.answerSealed(req, res, body);
    return this.answerPlain(req, res, established.user, body);
  }

  /** One NTLM handshake leg; the AUTHENTICATE leg may carry a request (sent unsealed, as clients do without encryption). */
  private negotiateLeg(req: http.IncomingMessage, res: http.ServerResponse, token: string, body: Buffer): void | Promise<void> {
    let conn = this.contexts.get(req.socket);
    if (!(conn instanceof NtlmConnection)) {
      conn = new NtlmConnection(this.o.host.name.toUpperCase(), this.o.users);
      this.contexts.set(req.socket, conn);
    }
    const step = conn.step(token);
    if (step.kind === 'refused') return this.refuse(res);
    if (step.kind === 'challenge') {
      this.o.host.counters.countAuthHandshake();
      return answerEmpty(res, 401, { 'WWW-Authenticate': step.header });
    }
    const extra: http.OutgoingHttpHeaders = step.header === undefined ? {} : { 'WWW-Authenticate': step.header };
    // With message encryption the handshake carries no request (pywinrm, our client): an empty 200.
    if (body.length === 0) return answerEmpty(res, 200, extra);
    return this.answerPlain(req, res, step.user, body, extra);
  }

  /**
   * One Kerberos AP-REQ: accepted, the answer carries the AP-REP (mutual authentication) and, like NTLM,
   * an empty body means a sealed conversation follows; refused, Windows answers 401 with its schemes.
   */
  private kerberosLeg(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    scheme: string,
    token: Buffer,
    body: Buffer,
  ): void | Promise<void> {
    const conn = new KerberosConnection({
      keys: this.o.kerberosKeys ?? [],
      replay: this.replay,
      log: (m) => this.o.log(`host ${this.o.host.name}: ${m}`),
      ...(this.channelBindings ? { channelBindings: this.channelBindings } : {}),
    });
    this.contexts.set(req.socket, conn);
    this.o.host.counters.countAuthHandshake();
    const step = conn.step(scheme, token, this.cbtHardeningLevel());
    if (step.kind !== 'accepted') return this.refuse(res);
    const extra: http.OutgoingHttpHeaders = step.header === undefined ? {} : { 'WWW-Authenticate': step.header };
    if (body.length === 0) return answerEmpty(res, 200, extra);
    return this.answerPlain(req, res, step.user, body, extra);
  }

  /**
   * A request in clear on an NTLM connection or the AUTHENTICATE leg: over plain HTTP Windows accepts it
   * only with AllowUnencrypted=true, otherwise it answers 401 and the client must authenticate again
   * (what pywinrm users meet with message_encryption='never'; not from a capture).
   */
  private answerPlain(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    user: string,
    body: Buffer,
    extra: http.OutgoingHttpHeaders = {},
  ): Promise<void> | void {
    if (this.o.tls === undefined && !this.unencryptedAllowed()) {
      this.contexts.get(req.socket)?.forget();
      return this.refuse(res);
    }
    return this.process(req, user, body.toString('utf8')).then(({ status, payload, after }) => {
      res.writeHead(status, { 'Content-Type': SOAP_CONTENT_TYPE, 'Content-Length': String(payload.length), Server: SERVER, ...extra });
      res.end(payload, () => after?.());
    });
  }

  /** A sealed request on an NTLM- or Kerberos-authenticated connection: unseal, answer, seal the answer. */
  private answerSealed(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
    const conn = this.contexts.get(req.socket) as NtlmConnection | KerberosConnection;
    return conn.turns.run(async () => {
      const established = conn.established;
      if (!established) return this.refuse(res);
      let plaintext: Buffer;
      try {
        plaintext = decodeEncryptedBody(established.session, body).plaintext;
      } catch (e) {
        if (!(e instanceof NtlmError) && !(e instanceof KerberosError) && !(e instanceof WsmanBadResponseError)) throw e;
        // A tampered or out-of-sequence message leaves the keystreams unusable: drop the connection.
        this.o.log(`host ${this.o.host.name}: refused an encrypted message: ${e.message}`);
        conn.forget();
        return answerEmpty(res, 400, { Connection: 'close' });
      }
      const { status, payload, after } = await this.process(req, established.user, plaintext.toString('utf8'));
      const sealed = encodeEncryptedBody(established.session, payload, SOAP_CONTENT_TYPE, conn.protocol);
      res.writeHead(status, {
        'Content-Type': encryptedContentType(conn.protocol),
        'Content-Length': String(sealed.length),
        Server: SERVER,
      });
      res.end(sealed, () => after?.());
    });
  }

  /** 401 with an empty body and one WWW-Authenticate per offered scheme, as Windows answers. */
  private refuse(res: http.ServerResponse): void {
    this.o.host.counters.countAuthHandshake();
    res.writeHead(401, [
      ['Server', SERVER],
      ['Content-Length', '0'],
      ...this.challenges().map((c) => ['WWW-Authenticate', c] as [string, string]),
    ]);
    res.end();
  }

  private async process(
    req: http.IncomingMessage,
    user: string,
    xml: string,
  ): Promise<{ status: number; payload: Buffer; after?: () => void }> {
    const host = this.o.host;
    let env: Envelope | undefined;
    let status = 200;
    let text: string;
    let after: (() => void) | undefined;
    const key = user.toLowerCase();
    const inFlight = this.inFlightByUser.get(key) ?? 0;
    this.inFlightByUser.set(key, inFlight + 1);
    let onClose: () => void = () => undefined;
    const aborted = new Promise<void>((resolve) => (onClose = resolve));
    req.socket.once('close', onClose);
    try {
      env = readEnvelope(xml);
      host.counters.countOperation(operationName(env.action, env.resourceUri));
      const limit = parseUint(host.stored.config.service?.maxConcurrentOperationsPerUser) || 1500;
      if (inFlight >= limit) throw faults.operationsPerUser(limit);
      const ctx: RequestContext = { env, host, user, clientIp: clientIp(req), aborted };
      const result = await dispatch(ctx);
      text = writeEnvelope(result.action ?? responseAction(env.action ?? ''), env.messageId, result.body);
      after = result.afterResponse;
    } catch (e) {
      const fault = e instanceof EmulatorFault ? e : env === undefined ? faults.schemaValidation(errorMessage(e)) : undefined;
      if (!fault) throw e;
      host.counters.countFault();
      status = 500;
      text = renderFault(fault.spec, '127.0.0.1', env?.messageId);
    } finally {
      req.socket.off('close', onClose);
      const n = (this.inFlightByUser.get(key) ?? 1) - 1;
      if (n <= 0) this.inFlightByUser.delete(key);
      else this.inFlightByUser.set(key, n);
    }
    return { status, payload: Buffer.from(text, 'utf8'), after };
  }

  private unencryptedAllowed(): boolean {
    return parseBool(this.o.host.stored.config.service?.allowUnencrypted) === true;
  }

  /** Basic needs the service's Auth/Basic and, over plain HTTP, AllowUnencrypted (both apply without restart). */
  private basicAllowed(): boolean {
    if (!this.o.basic || parseBool(this.o.host.stored.config.service?.auth?.basic) !== true) return false;
    return this.o.tls !== undefined || this.unencryptedAllowed();
  }

  private negotiateAllowed(): boolean {
    return this.o.negotiate && parseBool(this.o.host.stored.config.service?.auth?.negotiate) === true;
  }

  /** Kerberos needs the emulator's keytab and the service's Auth/Kerberos (on by default, as on Windows). */
  private kerberosAllowed(): boolean {
    return (this.o.kerberosKeys?.length ?? 0) > 0 && parseBool(this.o.host.stored.config.service?.auth?.kerberos) === true;
  }

  /**
   * The account a client certificate maps to: only over HTTPS, with Service/Auth/Certificate=true (false
   * by default on Windows), a certificate chaining to a trusted CA and a matching mapping. Windows answers
   * a refused certificate with 401 like any refused credential (pywinrm reports "the specified credentials
   * were rejected by the server"; not from a capture).
   */
  private certificateUser(req: http.IncomingMessage): string | undefined {
    const certs = this.o.clientCertificates;
    if (!this.o.tls || !certs) return undefined;
    if (parseBool(this.o.host.stored.config.service?.auth?.certificate) !== true) {
      this.o.log(`host ${this.o.host.name}: refused a client certificate: Service/Auth/Certificate is false`);
      return undefined;
    }
    const outcome = certs.authenticate(req.socket as TLSSocket);
    if (outcome.kind === 'mapped') return outcome.user;
    this.o.log(`host ${this.o.host.name}: refused a client certificate: ${outcome.reason}`);
    return undefined;
  }

  /** Service/Auth/CbtHardeningLevel, Relaxed when unset (Windows' default). */
  private cbtHardeningLevel(): ChannelBindingPolicy {
    const level = this.o.host.stored.config.service?.auth?.cbtHardeningLevel;
    return level === 'None' || level === 'Strict' ? level : 'Relaxed';
  }

  private challenges(): string[] {
    const out: string[] = [];
    if (this.negotiateAllowed() || this.kerberosAllowed()) out.push('Negotiate');
    if (this.kerberosAllowed()) out.push('Kerberos');
    if (this.basicAllowed()) out.push('Basic realm="WSMAN"');
    return out;
  }
}

/** An answer without a body, with the Server header HTTP.sys writes. */
function answerEmpty(res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'Content-Length': '0', Server: SERVER, ...headers }).end();
}

function clientIp(req: http.IncomingMessage): string {
  const ip = req.socket.remoteAddress ?? '127.0.0.1';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
