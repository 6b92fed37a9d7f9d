/**
 * The WS-Man HTTP(S) endpoint of one virtual host on 127.0.0.1. It answers as Windows' HTTP.sys/WinRM
 * does: `Server: Microsoft-HTTPAPI/2.0`, 401 with one `WWW-Authenticate` per offered scheme and an empty
 * body, HTTP 500 for every SOAP fault. Injected latency/faults apply before anything else. Stopping
 * closes the port and destroys every open connection (what a WinRM restart does to clients).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import { readEnvelope, type Envelope } from '../../wsman/soap';
import type { VirtualHost, ListenerControl } from '../host/virtual-host';
import { operationName } from '../host/host-counters';
import { dispatch } from '../wsman/dispatch';
import { EmulatorFault, faults, renderFault } from '../wsman/emulator-fault';
import { writeEnvelope } from '../wsman/response-envelope';
import type { RequestContext } from '../wsman/request-context';
import { checkBasic, type UserCredential } from './basic-auth';

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const SOAP_CONTENT_TYPE = 'application/soap+xml;charset=UTF-8';

export interface ListenerOptions {
  readonly host: VirtualHost;
  readonly port: number;
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly users: readonly UserCredential[];
  readonly basic: boolean;
  readonly negotiate: boolean;
  readonly log: (msg: string) => void;
}

export class WsmanListener implements ListenerControl {
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly inFlightByUser = new Map<string, number>();
  port: number;

  constructor(private readonly o: ListenerOptions) {
    this.port = o.port;
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
        this.o.log(`host ${this.o.host.name}: internal error: ${(e as Error).message}`);
        if (!res.headersSent) res.writeHead(500, { 'Content-Length': '0', Server: 'Microsoft-HTTPAPI/2.0' });
        res.end();
      });
    };
    const server = this.o.tls ? https.createServer({ key: this.o.tls.key, cert: this.o.tls.cert }, handler) : http.createServer(handler);
    server.keepAliveTimeout = 120_000;
    server.headersTimeout = 30_000;
    server.requestTimeout = 0; // Receive long-polls are bounded by MaxTimeoutms instead.
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
    if (injected?.kind === 'http503') return void res.writeHead(503, { 'Content-Length': '0', Server: 'Microsoft-HTTPAPI/2.0' }).end();
    if ((req.url ?? '').split('?')[0]?.toLowerCase() !== '/wsman') return void res.writeHead(404, { 'Content-Length': '0', Server: 'Microsoft-HTTPAPI/2.0' }).end();
    if (req.method !== 'POST') return void res.writeHead(405, { 'Content-Length': '0', Server: 'Microsoft-HTTPAPI/2.0' }).end();

    const user = this.authenticate(req.headers.authorization);
    const body = await readBody(req);
    if (body === undefined) return void req.socket.destroy();
    if (user === undefined) {
      host.counters.countAuthHandshake();
      res.writeHead(401, [['Server', 'Microsoft-HTTPAPI/2.0'], ['Content-Length', '0'], ...this.challenges().map((c) => ['WWW-Authenticate', c] as [string, string])]);
      res.end();
      return;
    }
    await this.answer(req, res, user, body.toString('utf8'));
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse, user: string, xml: string): Promise<void> {
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
      const limit = Number(host.storedValue('Service', 'MaxConcurrentOperationsPerUser') ?? '1500') || 1500;
      if (inFlight >= limit) throw faults.operationsPerUser(limit);
      const ctx: RequestContext = { env, host, user, clientIp: clientIp(req), aborted };
      const result = await dispatch(ctx);
      text = writeEnvelope(result.action ?? `${env.action ?? ''}Response`, env.messageId, result.body);
      after = result.afterResponse;
    } catch (e) {
      const fault = e instanceof EmulatorFault ? e : env === undefined ? faults.schemaValidation((e as Error).message) : undefined;
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
    const payload = Buffer.from(text, 'utf8');
    res.writeHead(status, { 'Content-Type': SOAP_CONTENT_TYPE, 'Content-Length': String(payload.length), Server: 'Microsoft-HTTPAPI/2.0' });
    res.end(payload, () => after?.());
  }

  /** The user the Authorization header proves, or undefined (answer 401). */
  private authenticate(header: string | undefined): string | undefined {
    if (header === undefined || !this.basicAllowed()) return undefined;
    return checkBasic(header, this.o.users);
  }

  /** Basic needs the service's Auth/Basic and, over plain HTTP, AllowUnencrypted (both apply without restart). */
  private basicAllowed(): boolean {
    const host = this.o.host;
    if (!this.o.basic || host.storedValue('Service', 'Auth', 'Basic') !== 'true') return false;
    return this.o.tls !== undefined || host.storedValue('Service', 'AllowUnencrypted') === 'true';
  }

  private challenges(): string[] {
    const out: string[] = [];
    if (this.o.negotiate) out.push('Negotiate');
    if (this.basicAllowed()) out.push('Basic realm="WSMAN"');
    return out;
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        return;
      }
      parts.push(d);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', () => resolve(undefined));
  });
}

function clientIp(req: http.IncomingMessage): string {
  const ip = req.socket.remoteAddress ?? '127.0.0.1';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
