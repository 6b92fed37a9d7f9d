/**
 * The plugin's listener and gRPC server (grpc-js, the generated codecs as serializers) against a client built
 * from the .proto files: unary calls, open streams, status codes, large messages, mutual TLS — no
 * client certificate, no connection — and a client that vanishes mid-stream is no error.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as http2 from 'node:http2';
import type * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { ProviderService } from '../../src/tfplugin/generated/tfplugin6';
import { createGrpcServer, unary, type Method, type PluginServer } from '../../src/tfplugin/grpc/grpc-server';
import { createListener, listen } from '../../src/tfplugin/grpc/listener';
import { GrpcError, Status } from '../../src/tfplugin/grpc/status';
import { createServerCertificate } from '../../src/tfplugin/plugin/auto-mtls';
import { goPluginMethods } from '../../src/tfplugin/plugin/go-plugin-services';
import { call, connect, makeClientCertificate, type PluginClients } from '../support/grpc-client';

const serverCert = createServerCertificate();
const clientCert = makeClientCertificate();
let dir: string;
let socket: string;
let server: PluginServer;
let listener: net.Server;
let shutdowns = 0;
const errors: unknown[] = [];
const signals: AbortSignal[] = [];
let refused = 0;

const testMethods: [string, Method][] = [
  // Echo the arguments' bytes back: a stand-in unary method with a bytes payload of any size.
  unary(ProviderService.CallFunction, (req) => ({ result: { msgpack: Buffer.concat(req.arguments.map((a) => Buffer.from(a.msgpack))) } })),
  unary(ProviderService.StopProvider, () => {
    throw new GrpcError(Status.UNAVAILABLE, 'down for maintenance — ünïcode');
  }),
  unary(ProviderService.GetMetadata, () => {
    throw new Error('boom');
  }),
  // Answers at once; its signal is kept to look at after the call.
  unary(ProviderService.GetFunctions, (_req, ctx) => {
    signals.push(ctx.signal);
    return {};
  }),
  // Answers only when its signal is aborted.
  unary(ProviderService.ValidateProviderConfig, (_req, ctx) => {
    signals.push(ctx.signal);
    return new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve({})));
  }),
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'grpc-test-'));
  socket = join(dir, 's.sock');
  server = createGrpcServer({ methods: [...goPluginMethods(() => shutdowns++), ...testMethods], onError: (e) => errors.push(e) });
  listener = createListener({
    tls: { certPem: serverCert.certPem, keyPem: serverCert.keyPem, clientCertPem: clientCert.certPem },
    accept: (s) => server.accept(s),
    onRefused: () => refused++,
  });
  await listen(listener, socket);
});

afterAll(async () => {
  listener.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('with the expected client certificate', () => {
  let c: PluginClients;
  beforeAll(() => {
    c = connect({ socket, serverCertPem: serverCert.certPem, clientCert });
  });
  afterAll(() => c.close());

  test('health reports "plugin" SERVING', async () => {
    await expect(call(c.health, 'Check', { service: 'plugin' })).resolves.toEqual({ status: 1 }); // SERVING
    await expect(call(c.health, 'Check', { service: 'other' })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });

  test('a unary call round-trips a 20 MiB message (beyond gRPC default limits)', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024, 7);
    const res = await call<{ result: { msgpack: Buffer } }>(
      c.provider,
      'CallFunction',
      { name: 'x', arguments: [{ msgpack: big }, { msgpack: Buffer.from('!') }] },
      20000,
    );
    expect(res.result.msgpack.length).toBe(big.length + 1);
    expect(res.result.msgpack.subarray(-2).toString()).toBe('\u0007!');
  });

  test('status codes and percent-encoded messages reach the client', async () => {
    await expect(call(c.provider, 'StopProvider', {})).rejects.toMatchObject({
      code: grpc.status.UNAVAILABLE,
      details: 'down for maintenance — ünïcode',
    });
    await expect(call(c.provider, 'GetMetadata', {})).rejects.toMatchObject({ code: grpc.status.INTERNAL, details: 'boom' });
    await expect(call(c.provider, 'GetProviderSchema', {})).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
    // Only the unexpected throw is reported as a bug; a GrpcError is an answer.
    expect(errors.map(String)).toEqual(['Error: boom']);
    errors.length = 0;
  });

  test("an answered call's signal stays unaborted (grpc-js reports every closed stream as cancelled); a cancelled one aborts", async () => {
    signals.length = 0;
    await expect(call(c.provider, 'GetFunctions', {})).resolves.toBeDefined();
    await expect(call(c.provider, 'ValidateProviderConfig', {}, 200)).rejects.toMatchObject({ code: grpc.status.DEADLINE_EXCEEDED });
    await new Promise((r) => setTimeout(r, 100)); // both streams closed by now
    expect(signals.map((s) => s.aborted)).toEqual([false, true]);
  });

  test('StreamStdio stays open and silent', async () => {
    const stream = (c.stdio as unknown as { StreamStdio(req: object): grpc.ClientReadableStream<unknown> }).StreamStdio({});
    const got: unknown[] = [];
    stream.on('data', (d) => got.push(d));
    stream.on('error', () => undefined); // the cancellation below
    const ended = new Promise((r) => stream.on('status', r));
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toEqual([]);
    stream.cancel();
    await expect(ended).resolves.toMatchObject({ code: grpc.status.CANCELLED });
  });

  test('Shutdown answers before the process would exit', async () => {
    await expect(call(c.controller, 'Shutdown', {})).resolves.toEqual({});
    await new Promise((r) => setTimeout(r, 50));
    expect(shutdowns).toBe(1);
  });
});

test('a client that goes away with its streams open (terraform closing a provider instance) is no error', async () => {
  let raw: tls.TLSSocket | undefined;
  const session = http2.connect('https://localhost', {
    createConnection: () =>
      (raw = tls.connect({
        path: socket,
        ca: serverCert.certPem,
        cert: clientCert.certPem,
        key: clientCert.keyPem,
        servername: 'localhost',
        ALPNProtocols: ['h2'],
      })),
  });
  session.on('error', () => undefined);
  // One empty request message; the broker's request side stays open, as go-plugin's client leaves it.
  const open = (path: string, halfClose: boolean) => {
    const req = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' });
    req.on('error', () => undefined);
    if (halfClose) req.end(Buffer.alloc(5));
    else req.write(Buffer.alloc(5));
    return new Promise((resolve) => req.on('response', resolve));
  };
  await Promise.all([open('/plugin.GRPCStdio/StreamStdio', true), open('/plugin.GRPCBroker/StartStream', false)]);
  // Drop the connection under both streams without closing them, as a process that exits does.
  raw!.destroy();
  await new Promise((r) => setTimeout(r, 200));
  expect(errors).toEqual([]);
  const c = connect({ socket, serverCertPem: serverCert.certPem, clientCert });
  await expect(call(c.health, 'Check', { service: 'plugin' })).resolves.toEqual({ status: 1 });
  c.close();
});

describe('mutual TLS refuses, before any handler runs,', () => {
  const refusedBy = async (c: PluginClients) => {
    const before = { refused, shutdowns };
    try {
      await expect(call(c.health, 'Check', { service: 'plugin' }, 3000)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
      await expect(call(c.controller, 'Shutdown', {}, 3000)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    } finally {
      c.close();
    }
    expect(refused).toBeGreaterThan(before.refused);
    expect(shutdowns).toBe(before.shutdowns);
  };

  test('a client without a certificate', () => refusedBy(connect({ socket, serverCertPem: serverCert.certPem })));

  test('a client with another certificate', () =>
    refusedBy(connect({ socket, serverCertPem: serverCert.certPem, clientCert: makeClientCertificate() })));

  test('a raw HTTP/2 client without a certificate gets no stream answered', async () => {
    const session = http2.connect('https://localhost', {
      createConnection: () => tls.connect({ path: socket, ca: serverCert.certPem, servername: 'localhost', ALPNProtocols: ['h2'] }),
    });
    session.on('error', () => undefined);
    const req = session.request({ ':method': 'POST', ':path': '/grpc.health.v1.Health/Check', 'content-type': 'application/grpc' });
    req.on('error', () => undefined);
    req.end(Buffer.from([0, 0, 0, 0, 0]));
    const outcome = await new Promise<string>((resolve) => {
      req.on('response', () => resolve('answered'));
      req.on('close', () => resolve('closed'));
    });
    session.destroy();
    expect(outcome).toBe('closed');
  });
});
