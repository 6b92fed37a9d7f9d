/**
 * A gRPC server on node:http2 — just what go-plugin's client needs: unary calls, server streams kept
 * open, and client streams that are read and ignored. Avoiding @grpc/grpc-js saves ~60 ms per provider
 * launch (terraform launches the provider 3-5 times per command).
 */
import * as http2 from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { certificateDer } from '../binary/pem';
import { decodeMessage, encodeMessage, type DeepPartial, type MessageCodec } from '../protobuf/wire';
import { frame, MAX_MESSAGE_BYTES, MessageReader } from './framing';
import { encodeGrpcMessage, GrpcError, Status } from './status';

export interface CallContext {
  /** Aborted when the client cancels the call or the connection goes away. */
  signal: AbortSignal;
}

export interface StreamSink<Res> {
  send(message: DeepPartial<Res>): void;
  signal: AbortSignal;
}

export interface MethodDescriptor<Req, Res> {
  path: string;
  request: MessageCodec<Req>;
  response: MessageCodec<Res>;
  clientStream: boolean;
  serverStream: boolean;
}

export type Method =
  | { kind: 'unary'; request: MessageCodec<unknown>; response: MessageCodec<unknown>; handle(req: unknown, ctx: CallContext): Promise<unknown> }
  | { kind: 'stream'; request: MessageCodec<unknown>; response: MessageCodec<unknown>; clientStream: boolean; open(req: unknown, sink: StreamSink<unknown>): void };

export function unary<Req, Res>(
  d: MethodDescriptor<Req, Res>,
  handle: (req: Req, ctx: CallContext) => Promise<DeepPartial<Res>> | DeepPartial<Res>,
): [string, Method] {
  return [d.path, { kind: 'unary', request: d.request, response: d.response, handle: async (req, ctx) => handle(req as Req, ctx) }];
}

/** A server stream (or bidi stream whose client messages are ignored) that stays open until cancelled. */
export function stream<Req, Res>(d: MethodDescriptor<Req, Res>, open: (req: Req | undefined, sink: StreamSink<Res>) => void): [string, Method] {
  return [d.path, { kind: 'stream', request: d.request, response: d.response, clientStream: d.clientStream, open }];
}

/** Finds the implementation of a path such as "/tfplugin6.Provider/PlanResourceChange". */
export type Router = (path: string) => Method | undefined;

const RESPONSE_HEADERS = { ':status': 200, 'content-type': 'application/grpc+proto' };

export interface GrpcServerOptions {
  router: Router;
  /** Mutual TLS; omitted only when the client asked for plaintext (no PLUGIN_CLIENT_CERT). */
  tls?: { certPem: string; keyPem: string; clientCertPem: string };
  onError?: (err: unknown) => void;
}

export function createGrpcServer(opts: GrpcServerOptions): http2.Http2Server {
  const settings: http2.Settings = { initialWindowSize: 4 * 1024 * 1024, maxHeaderListSize: 64 * 1024 };
  const common = { settings, maxSessionMemory: 64, maxSessionRejectedStreams: 1000 };
  const server = opts.tls
    ? http2.createSecureServer({
        ...common,
        cert: opts.tls.certPem,
        key: opts.tls.keyPem,
        // The client certificate is pinned (below) instead of verified against a CA store: an empty `ca`
        // keeps Node from building its root store, ~35 ms of start-up. The TLS handshake still proves
        // the client holds the certificate's key (CertificateVerify).
        ca: [],
        requestCert: true,
        rejectUnauthorized: false,
        minVersion: 'TLSv1.2',
        allowHTTP1: false,
      })
    : http2.createServer(common);
  const pinned = opts.tls ? pinnedCertificate(opts.tls.clientCertPem) : undefined;
  server.on('session', (session) => {
    // Before any stream is read: a session without exactly terraform's client certificate is dropped.
    if (pinned && !presentedCertificate(session)?.equals(pinned)) {
      opts.onError?.(new Error('refused a connection without the expected client certificate'));
      return session.destroy();
    }
    session.setLocalWindowSize(16 * 1024 * 1024);
  });
  server.on('stream', (s, headers) => serveStream(opts, s, headers));
  return server;
}

function presentedCertificate(session: http2.ServerHttp2Session): Buffer | undefined {
  return (session.socket as TLSSocket).getPeerCertificate?.()?.raw;
}

function pinnedCertificate(clientCertPem: string): Buffer {
  const der = certificateDer(clientCertPem);
  if (!der) throw new Error('PLUGIN_CLIENT_CERT holds no PEM certificate');
  return der;
}

function serveStream(opts: GrpcServerOptions, s: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
  const abort = new AbortController();
  s.on('close', () => abort.abort());
  s.on('error', (err) => opts.onError?.(err));
  const fail = (err: unknown): void => {
    const e = err instanceof GrpcError ? err : new GrpcError(Status.INTERNAL, err instanceof Error ? err.message : String(err));
    if (!(err instanceof GrpcError)) opts.onError?.(err);
    sendStatus(s, e.code, e.message);
  };
  const method = opts.router(String(headers[':path']));
  if (!method) return fail(new GrpcError(Status.UNIMPLEMENTED, `unknown method ${String(headers[':path'])}`));
  if (headers[':method'] !== 'POST' || !String(headers['content-type'] ?? '').startsWith('application/grpc')) {
    return fail(new GrpcError(Status.INVALID_ARGUMENT, 'not a gRPC request'));
  }

  // A bidi stream starts as soon as the client opens it (it may never send); its messages are ignored.
  if (method.kind === 'stream' && method.clientStream) {
    s.on('data', () => undefined);
    return open(method, undefined);
  }
  const reader = new MessageReader();
  const received: Uint8Array[] = [];
  s.on('data', (chunk: Buffer) => {
    try {
      received.push(...reader.push(chunk));
    } catch (err) {
      fail(err);
    }
  });
  s.on('end', () => {
    if (abort.signal.aborted) return;
    if (reader.pending || received.length !== 1) return fail(new GrpcError(Status.INTERNAL, 'expected exactly one request message'));
    let req: unknown;
    try {
      req = decodeMessage(method.request, received[0]!);
    } catch (err) {
      return fail(new GrpcError(Status.INTERNAL, `cannot decode request: ${err instanceof Error ? err.message : String(err)}`));
    }
    if (method.kind === 'stream') return open(method, req);
    method
      .handle(req, { signal: abort.signal })
      .then((res) => sendUnary(s, method.response, res))
      .catch(fail);
  });

  function open(m: Extract<Method, { kind: 'stream' }>, req: unknown): void {
    respondOk(s);
    m.open(req, { signal: abort.signal, send: (msg) => void (s.writable && s.write(frame(encodeMessage(m.response, msg)))) });
  }
}

function sendUnary(s: http2.ServerHttp2Stream, codec: MessageCodec<unknown>, res: unknown): void {
  if (s.destroyed || s.closed) return;
  const payload = encodeMessage(codec, res);
  if (payload.length > MAX_MESSAGE_BYTES) return sendStatus(s, Status.RESOURCE_EXHAUSTED, `response of ${payload.length} bytes is too large`);
  respondOk(s);
  s.end(frame(payload));
}

/** Response headers now; status OK in the trailers once the last message is written. */
function respondOk(s: http2.ServerHttp2Stream): void {
  s.respond(RESPONSE_HEADERS, { waitForTrailers: true });
  s.on('wantTrailers', () => s.sendTrailers({ 'grpc-status': String(Status.OK) }));
}

/** A trailers-only response: the status travels in the one HEADERS frame. */
function sendStatus(s: http2.ServerHttp2Stream, code: Status, message: string): void {
  if (s.destroyed || s.closed) return;
  if (s.headersSent) {
    if (!s.writableEnded) s.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    return;
  }
  s.respond({ ...RESPONSE_HEADERS, 'grpc-status': String(code), 'grpc-message': encodeGrpcMessage(message) }, { endStream: true });
}
