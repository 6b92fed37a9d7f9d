/**
 * Runs a provider as terraform's plugin: handshake, mutual TLS, gRPC on a unix socket, and the process
 * rules (SIGINT ignored, exit on Shutdown or when terraform goes away, stdout reserved, stdin untouched).
 *
 * Start-up is on terraform's critical path 3-5 times per command, so only the handshake path loads
 * here; the provider runtime and the provider itself are required on the first provider call.
 */
import { Console } from 'node:console';
import { rmSync, writeSync } from 'node:fs';
import type { ProviderDefinition } from '../contracts/provider';
import { createGrpcServer, type Method } from '../grpc/grpc-server';
import { createLogger } from '../log/logger';
import type { Schema } from '../schema/schema';
import { createServerCertificate } from './auto-mtls';
import { goPluginMethods } from './go-plugin-services';
import { checkMagicCookie, handshakeLine, HandshakeError, makeSocketPath, negotiateProtocol } from './handshake';

export interface ServeOptions<S extends Schema, P> {
  /** The executable's name, for messages: "terraform-provider-psremoting". */
  binary: string;
  /** Returns the provider; called once, on the first provider call (after the handshake). */
  provider: () => ProviderDefinition<S, P>;
}

const PROVIDER_PATH_PREFIX = '/tfplugin6.Provider/';
const PARENT_POLL_MS = 500;

export function serve<S extends Schema, P>(opts: ServeOptions<S, P>): void {
  const env = process.env;
  // The installed wrapper moves NODE_EXTRA_CA_CERTS aside so Node does not load it at start-up; put it
  // back for code that reads it (Node's default trust store does not include those certificates).
  if (env.TFPLUGIN_NODE_EXTRA_CA_CERTS) {
    env.NODE_EXTRA_CA_CERTS = env.TFPLUGIN_NODE_EXTRA_CA_CERTS;
    delete env.TFPLUGIN_NODE_EXTRA_CA_CERTS;
  }
  // stdout carries the handshake line and nothing else: route any console output to stderr.
  globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
  const log = createLogger({ module: `provider.${opts.binary}` });

  try {
    checkMagicCookie(env, opts.binary);
    negotiateProtocol(env);
  } catch (err) {
    if (!(err instanceof HandshakeError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }

  const { dir, socket } = makeSocketPath(env);
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const exit = (why: string): void => {
    log.debug(`exiting: ${why}`);
    process.exit(0);
  };

  const clientCertPem = env.PLUGIN_CLIENT_CERT;
  const cert = clientCertPem ? createServerCertificate() : undefined;
  const eager = goPluginMethods(() => exit('terraform sent Shutdown'));
  let provider: Map<string, Method> | undefined;
  const loadProvider = (): Map<string, Method> => {
    // Lazy: the runtime (codecs, planning) and the provider load after the handshake line is out.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, after the handshake line (bench/startup.ts)
    const { providerMethods } = require('../runtime/provider-server') as typeof import('../runtime/provider-server');
    return providerMethods(opts.provider(), log);
  };
  const server = createGrpcServer({
    router: (path) => eager.get(path) ?? (path.startsWith(PROVIDER_PATH_PREFIX) ? (provider ??= loadProvider()).get(path) : undefined),
    ...(cert && clientCertPem ? { tls: { certPem: cert.certPem, keyPem: cert.keyPem, clientCertPem } } : {}),
    onError: (err) => log.error('gRPC stream error', { error: err }),
  });

  server.listen(socket, () => {
    writeSync(1, handshakeLine(env, socket, cert?.handshakeField ?? ''));
    log.debug('serving', { socket, tls: !!cert });
  });

  // Ctrl-C reaches the whole process group; terraform answers it with StopProvider, so we stay up.
  process.on('SIGINT', () => log.debug('ignoring SIGINT: terraform sends StopProvider'));
  process.on('SIGTERM', () => exit('SIGTERM'));
  process.on('unhandledRejection', (reason) => log.error('unhandled promise rejection', { error: reason }));
  process.on('uncaughtExceptionMonitor', (err) => log.error('uncaught exception', { error: err }));
  // If terraform dies without Shutdown we are re-parented: exit rather than linger.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && exit('terraform went away'), PARENT_POLL_MS).unref();
}
