import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { NtlmServerContext, decodeNegotiateToken, ntlmMessageType, type NtlmSession } from '../../src/wsman/auth/ntlm';
import {
  ENCRYPTED_CONTENT_TYPE,
  decodeEncryptedBody,
  encodeEncryptedBody,
  isEncryptedContentType,
} from '../../src/wsman/auth/encryption-framing';
import { readEnvelope, type Envelope } from '../../src/wsman/soap';

/**
 * A minimal WS-Man HTTP peer on loopback for transport tests: Basic or NTLM (per-socket contexts,
 * sealing like Windows), answering through a handler. Not the emulator: it only knows transport.
 */
export interface LoopbackOptions {
  readonly auth: 'basic' | 'ntlm' | 'certificate';
  readonly handler: (env: Envelope) => { status?: number; body: string } | Promise<{ status?: number; body: string }>;
  readonly tls?: { key: string; cert: string; ca?: string; requestCert?: boolean };
  /** Answer sealed NTLM requests in clear, as a peer injecting unauthenticated responses would. */
  readonly answerInClear?: boolean;
}

export interface Loopback {
  readonly url: string;
  readonly handshakes: () => number;
  readonly sockets: () => number;
  /** Connections open now. */
  readonly openSockets: () => number;
  /** Closes every open connection (as a host does with idle keep-alive connections). */
  dropConnections(): void;
  close(): Promise<void>;
}

const USER = 'alice';
const PASSWORD = 'Pa$$w0rd!';
export const CREDENTIALS = { username: `LAB\\${USER}`, password: PASSWORD };

export async function startLoopback(o: LoopbackOptions): Promise<Loopback> {
  const contexts = new WeakMap<Socket, NtlmServerContext>();
  const sessions = new WeakMap<Socket, NtlmSession>();
  let handshakes = 0;
  const open = new Set<Socket>();
  let socketCount = 0;

  const listener = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const socket = req.socket;
    const authz = req.headers.authorization ?? '';
    let session: NtlmSession | undefined;
    if (o.auth === 'basic') {
      if (authz !== `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`) return deny(res);
    } else if (o.auth === 'certificate') {
      const peer = (socket as import('node:tls').TLSSocket).getPeerCertificate?.();
      if (!peer || !peer.subject) return deny(res);
    } else {
      if (authz.startsWith('Negotiate ')) {
        const token = decodeNegotiateToken(Buffer.from(authz.slice(10), 'base64')).ntlm;
        if (ntlmMessageType(token) === 1) {
          const ctx = new NtlmServerContext({ computerName: 'WIN-LOOP', domainName: 'LAB' });
          contexts.set(socket, ctx);
          res.writeHead(401, { 'WWW-Authenticate': `Negotiate ${ctx.challenge(token).toString('base64')}`, 'Content-Length': '0' });
          res.end();
          return;
        }
        const ctx = contexts.get(socket);
        try {
          if (!ctx) throw new Error('no context');
          sessions.set(socket, ctx.accept(token, (u, d) => (u === USER && d === 'LAB' ? PASSWORD : undefined)).session);
          handshakes += 1;
        } catch {
          return deny(res);
        }
        if (body.length === 0) {
          res.writeHead(200, { 'Content-Length': '0' });
          res.end();
          return;
        }
      }
      session = sessions.get(socket);
      if (!session) return deny(res);
    }
    let soap: Buffer = body;
    if (session && isEncryptedContentType(req.headers['content-type'])) soap = decodeEncryptedBody(session, body).plaintext;
    const answer = await o.handler(readEnvelope(soap.toString('utf8')));
    const payload = Buffer.from(answer.body, 'utf8');
    if (session && isEncryptedContentType(req.headers['content-type']) && o.answerInClear !== true) {
      const sealed = encodeEncryptedBody(session, payload);
      res.writeHead(answer.status ?? 200, { 'Content-Type': ENCRYPTED_CONTENT_TYPE, 'Content-Length': String(sealed.length) });
      res.end(sealed);
    } else {
      res.writeHead(answer.status ?? 200, {
        'Content-Type': 'application/soap+xml;charset=UTF-8',
        'Content-Length': String(payload.length),
      });
      res.end(payload);
    }
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    listener(req, res).catch(() => res.destroy());
  };
  const server = o.tls
    ? https.createServer(
        { key: o.tls.key, cert: o.tls.cert, ca: o.tls.ca, requestCert: o.tls.requestCert, rejectUnauthorized: false },
        handle,
      )
    : http.createServer(handle);
  server.on(o.tls ? 'secureConnection' : 'connection', (s: Socket) => {
    socketCount += 1;
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${o.tls ? 'https' : 'http'}://127.0.0.1:${port}/wsman`,
    handshakes: () => handshakes,
    sockets: () => socketCount,
    openSockets: () => open.size,
    dropConnections: () => {
      for (const s of open) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function deny(res: http.ServerResponse): void {
  res.writeHead(401, [
    ['WWW-Authenticate', 'Negotiate'],
    ['WWW-Authenticate', 'Basic realm="WSMAN"'],
    ['Content-Length', '0'],
  ]);
  res.end();
}
