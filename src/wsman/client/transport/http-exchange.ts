import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { WsmanTransportError, type TransportFailure } from '../../faults/errors';
import { errorMessage } from '../../../common';

/** One HTTP POST on a given agent, with every bound a hostile or dead peer could otherwise break. */

export interface HttpExchangeRequest {
  readonly url: URL;
  readonly agent: http.Agent;
  readonly headers: Record<string, string>;
  /**
   * The body, or a function producing it once the socket is known: NTLM sealing must happen only after
   * we know the request runs on the authenticated connection (sealing advances the RC4 keystream).
   */
  readonly body: Buffer | ((socket: Socket) => Buffer);
  /**
   * Headers known only once the socket is: Kerberos over HTTPS binds its token to the server
   * certificate of this very TLS connection (RFC 5929 tls-server-end-point).
   */
  readonly lateHeaders?: (socket: Socket) => Record<string, string>;
  readonly connectTimeoutMs: number;
  /** Whole exchange, from sending to the last response byte. */
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly signal?: AbortSignal;
}

export interface HttpExchangeResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly socket: Socket;
}

/** Thrown from a body function to stop a request before anything is written (e.g. an unexpected new socket). */
export class AbortBeforeSend extends Error {
  override readonly name = 'AbortBeforeSend';
}

export function httpExchange(req: HttpExchangeRequest): Promise<HttpExchangeResponse> {
  return new Promise((resolve, reject) => {
    const target = req.url;
    const where = `${target.protocol}//${target.host}`;
    let settled = false;
    const finish = (err: Error | undefined, value?: HttpExchangeResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(overall);
      req.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(value!);
    };
    const fail = (kind: TransportFailure, message: string, cause?: unknown): void => {
      finish(new WsmanTransportError(`${where}: ${message}`, kind, { cause }));
      request.destroy();
    };
    if (req.signal?.aborted) {
      reject(new WsmanTransportError(`${where}: request aborted`, 'aborted'));
      return;
    }
    const lib = target.protocol === 'https:' ? https : http;
    const request = lib.request(target, { method: 'POST', agent: req.agent, headers: req.headers });
    const overall = setTimeout(() => fail('timeout', `no complete response within ${req.timeoutMs} ms`), req.timeoutMs);
    const onAbort = (): void => fail('aborted', 'request aborted');
    req.signal?.addEventListener('abort', onAbort, { once: true });

    // res.socket is detached once the response ends (the agent takes it back), so remember it here.
    let assigned: Socket | undefined;
    request.on('socket', (socket: Socket) => {
      if (settled) return;
      assigned = socket;
      const send = (): void => {
        if (settled) return;
        let body: Buffer;
        try {
          body = typeof req.body === 'function' ? req.body(socket) : req.body;
          for (const [name, value] of Object.entries(req.lateHeaders?.(socket) ?? {})) request.setHeader(name, value);
        } catch (e) {
          finish(e instanceof Error ? e : new WsmanTransportError(`${where}: ${errorMessage(e)}`, 'other'));
          request.destroy();
          return;
        }
        request.setHeader('Content-Length', String(body.length));
        request.end(body);
      };
      if (socket.connecting) {
        const connectTimer = setTimeout(
          () => fail('connect-timeout', `no connection within ${req.connectTimeoutMs} ms`),
          req.connectTimeoutMs,
        );
        const closed = (): void => clearTimeout(connectTimer);
        const connected = (): void => {
          clearTimeout(connectTimer);
          // A kept-alive socket outlives this request: a listener left on it would keep the request,
          // its response and this closure's scope for the socket's life (bench/fleet.ts: 2 a host).
          socket.off('close', closed);
          send();
        };
        socket.once(target.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
        socket.once('close', closed);
      } else {
        send();
      }
    });

    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > req.maxResponseBytes) {
        fail('too-large', `response of ${declared} bytes exceeds the limit of ${req.maxResponseBytes}`);
        return;
      }
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > req.maxResponseBytes) {
          fail('too-large', `response exceeds the limit of ${req.maxResponseBytes} bytes`);
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () =>
        finish(undefined, {
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          socket: assigned ?? res.socket,
        }),
      );
      res.on('error', (e) => fail('reset', `connection failed while reading the response (${e.message})`, e));
      res.on('aborted', () => fail('reset', 'connection closed before the response was complete'));
    });

    request.on('error', (e: NodeJS.ErrnoException) => {
      if (settled) return;
      const { kind, text } = classify(e);
      fail(kind, text, e);
    });
  });
}

function classify(e: NodeJS.ErrnoException): { kind: TransportFailure; text: string } {
  switch (e.code) {
    case 'ECONNREFUSED':
      return { kind: 'connect-refused', text: 'connection refused (is WinRM listening on this port?)' };
    case 'ECONNRESET':
    case 'EPIPE':
      return { kind: 'reset', text: 'connection reset by the host' };
    case 'ETIMEDOUT':
      return { kind: 'connect-timeout', text: 'connection timed out' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { kind: 'dns', text: `host name could not be resolved (${e.code})` };
    default:
      if (e.code?.startsWith('ERR_TLS') || /certificate|SSL|TLS/i.test(e.message) || e.code?.includes('CERT')) {
        return { kind: 'tls', text: `TLS failure: ${e.message}` };
      }
      return { kind: 'other', text: e.message };
  }
}
