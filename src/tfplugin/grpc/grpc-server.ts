/**
 * The plugin's gRPC server on @grpc/grpc-js, serving HTTP/2 on the connections ./listener accepts.
 * Services are declared as methods over the generated message codecs (../generated), which grpc-js
 * uses as its serializers: they are faster than protobufjs on terraform's messages and load in a
 * fraction of its time (bench/protobuf-codecs.ts).
 */
import type * as net from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { errorMessage } from '../../common';
import { spanned, timed } from '../../common/profile';
import { decodeMessage, encodeMessage, type DeepPartial, type MessageCodec } from '../protobuf/wire';
import { GrpcError, Status } from './status';

/** As terraform-plugin-go (tfprotov6/tf6server grpcMaxMessageSize), so large schemas and states pass. */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

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
  | {
      kind: 'unary';
      request: MessageCodec<unknown>;
      response: MessageCodec<unknown>;
      handle(req: unknown, ctx: CallContext): Promise<unknown>;
    }
  | {
      kind: 'stream';
      request: MessageCodec<unknown>;
      response: MessageCodec<unknown>;
      clientStream: boolean;
      open(req: unknown, sink: StreamSink<unknown>): void;
    };

export function unary<Req, Res>(
  d: MethodDescriptor<Req, Res>,
  handle: (req: Req, ctx: CallContext) => Promise<DeepPartial<Res>> | DeepPartial<Res>,
): [string, Method] {
  return [d.path, { kind: 'unary', request: d.request, response: d.response, handle: async (req, ctx) => handle(req as Req, ctx) }];
}

/** A server stream (or a bidi stream whose client messages are ignored) that stays open until cancelled. */
export function stream<Req, Res>(
  d: MethodDescriptor<Req, Res>,
  open: (req: Req | undefined, sink: StreamSink<Res>) => void,
): [string, Method] {
  return [d.path, { kind: 'stream', request: d.request, response: d.response, clientStream: d.clientStream, open }];
}

/**
 * Unary methods for every descriptor whose implementation is loaded on the first call: the service is
 * registered before the handshake, its code (the runtime, the provider) only when terraform needs it.
 */
export function deferredMethods(
  descriptors: readonly MethodDescriptor<unknown, unknown>[],
  load: () => Map<string, Method>,
): [string, Method][] {
  let loaded: Map<string, Method> | undefined;
  return descriptors.map((d) => [
    d.path,
    {
      kind: 'unary',
      request: d.request,
      response: d.response,
      handle: (req, ctx) => {
        const m = (loaded ??= load()).get(d.path);
        if (m?.kind !== 'unary') throw new GrpcError(Status.UNIMPLEMENTED, `unknown method ${d.path}`);
        return m.handle(req, ctx);
      },
    },
  ]);
}

export interface GrpcServerOptions {
  methods: Iterable<[string, Method]>;
  /** A handler threw something other than a GrpcError: a bug worth logging. */
  onError?: (err: unknown) => void;
}

export interface PluginServer {
  /** Serves gRPC on a connection the listener accepted. */
  accept(socket: net.Socket): void;
  /** Ends every call, open streams (stdio, broker) included: they never end by themselves. */
  close(): void;
  /** Takes no new calls and calls `done` once the calls in flight have ended and their answers were written. */
  drain(done: () => void): void;
}

export function createGrpcServer(opts: GrpcServerOptions): PluginServer {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  for (const [path, method] of opts.methods) register(server, path, method, opts.onError);
  // The listener owns the socket and TLS; grpc-js speaks HTTP/2 over what it hands over.
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  return {
    accept: (socket) => injector.injectConnection(socket),
    close: () => {
      injector.destroy();
      server.forceShutdown();
    },
    drain: (done) => server.tryShutdown(() => done()),
  };
}

const serializer = (codec: MessageCodec<unknown>) => (m: unknown) =>
  timed('protobuf', () => {
    const bytes = encodeMessage(codec, m);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  });
const deserializer = (codec: MessageCodec<unknown>) => (b: Buffer) => timed('protobuf', () => decodeMessage(codec, b));

/** A status for the client; anything but a GrpcError is a bug, reported and answered INTERNAL. */
function toStatus(err: unknown, onError: GrpcServerOptions['onError']): Partial<grpc.StatusObject> {
  if (err instanceof GrpcError) return { code: err.code, details: err.message };
  onError?.(err);
  return { code: Status.INTERNAL, details: errorMessage(err) };
}

function register(server: grpc.Server, path: string, method: Method, onError: GrpcServerOptions['onError']): void {
  const serialize = serializer(method.response);
  const deserialize = deserializer(method.request);
  if (method.kind === 'unary') {
    const handler: grpc.handleUnaryCall<unknown, unknown> = (call, callback) => {
      const abort = new AbortController();
      let answered = false;
      // grpc-js emits 'cancelled' when any call's stream closes, answered ones included
      // (server-interceptors.js: the stream's 'close' calls notifyOnCancel). Aborting an answered call
      // would abort work it started for later calls and, once per call, make an AbortError whose
      // unformatted stack holds the call and its request: a 1000-resource plan's provider peaked at
      // 148 MB RSS with those, 124 MB without (bench/fleet.ts).
      call.once('cancelled', () => answered || abort.abort());
      const answer = (err: Partial<grpc.StatusObject> | null, res?: unknown): void => {
        answered = true;
        callback(err, res);
      };
      spanned('rpc', () => method.handle(call.request, { signal: abort.signal })).then(
        (res) => answer(null, res),
        (err: unknown) => answer(toStatus(err, onError)),
      );
    };
    server.register(path, handler, serialize, deserialize, 'unary');
    return;
  }
  const open = (call: grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>, req: unknown): void => {
    const abort = new AbortController();
    call.once('cancelled', () => abort.abort());
    // A peer that goes away mid-stream is the normal end of these streams (terraform closing a provider
    // instance), not an error of ours.
    call.on('error', () => abort.abort());
    // Headers now, as go-plugin's Go servers send them: the client sees the stream open before any message.
    call.sendMetadata(new grpc.Metadata());
    try {
      method.open(req, { signal: abort.signal, send: (msg) => void (abort.signal.aborted || call.write(msg)) });
    } catch (err) {
      call.emit('error', toStatus(err, onError));
    }
  };
  if (method.clientStream) {
    const handler: grpc.handleBidiStreamingCall<unknown, unknown> = (call) => {
      call.on('data', () => undefined); // go-plugin's broker messages: accepted and ignored
      open(call, undefined);
    };
    server.register(path, handler, serialize, deserialize, 'bidi');
  } else {
    const handler: grpc.handleServerStreamingCall<unknown, unknown> = (call) => open(call, call.request);
    server.register(path, handler, serialize, deserialize, 'serverStream');
  }
}
