/**
 * Runs a provider as terraform's plugin: handshake, mutual TLS, gRPC on a unix socket, and the process
 * rules (SIGINT ignored, exit on Shutdown or when terraform goes away, stdout reserved, stdin untouched).
 *
 * Start-up is on terraform's critical path 3-5 times per command, so only the handshake path loads
 * here (node:net, the certificate; node:tls on terraform's first connection): grpc-js and the services
 * load once the handshake line is out, the provider runtime and the provider itself on the first
 * provider call.
 */
import { Console } from 'node:console';
import { rmSync, writeSync } from 'node:fs';
import { errorMessage } from '../../common';
import { mark } from '../../common/profile';
import type { ProviderDefinition } from '../contracts/provider';
import type { PluginServer } from '../grpc/grpc-server';
import { createListener, listen } from '../grpc/listener';
import { createLogger } from '../log/logger';
import type { Schema } from '../schema/schema';
import { createServerCertificate } from './auto-mtls';
import { checkMagicCookie, handshakeLine, HandshakeError, makeSocketPath, negotiateProtocol } from './handshake';

export interface ServeOptions<S extends Schema, P> {
  /** The executable's name, for messages: "terraform-provider-psremoting". */
  binary: string;
  /** Returns the provider; called once, on the first provider call (after the handshake). */
  provider: () => ProviderDefinition<S, P>;
}

const PARENT_POLL_MS = 500;
/** How long Shutdown waits for calls in flight; go-plugin kills the process after 2 s. */
const SHUTDOWN_GRACE_MS = 1000;

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
  let services: PluginServer | undefined;
  const listener = createListener({
    ...(cert && clientCertPem ? { tls: { certPem: cert.certPem, keyPem: cert.keyPem, clientCertPem } } : {}),
    // Connections are handled on later turns of the event loop, after the services were started below.
    accept: (socket) => services!.accept(socket),
    onRefused: (why) => log.warn(`refused ${why}`),
  });

  listen(listener, socket).then(
    () => {
      writeSync(1, handshakeLine(env, socket, cert?.handshakeField ?? ''));
      mark('handshake');
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, after the handshake line (bench/startup.ts)
      const { startPluginServices } = require('./plugin-services') as typeof import('./plugin-services');
      const onShutdown = (): void => {
        // Exit once the Shutdown answer (and any call still in flight) is written; terraform closes its
        // connection right after it. A stream left open (stdio) ends the wait after the grace period.
        setTimeout(() => exit('terraform sent Shutdown; a call was still open after the grace period'), SHUTDOWN_GRACE_MS);
        services!.drain(() => exit('terraform sent Shutdown'));
      };
      services = startPluginServices({ provider: opts.provider, log, onShutdown });
      log.debug('serving', { socket, tls: !!cert });
    },
    (err: unknown) => {
      process.stderr.write(`cannot listen on ${socket}: ${errorMessage(err)}\n`);
      process.exit(1);
    },
  );

  // Ctrl-C reaches the whole process group; terraform answers it with StopProvider, so we stay up.
  process.on('SIGINT', () => log.debug('ignoring SIGINT: terraform sends StopProvider'));
  process.on('SIGTERM', () => exit('SIGTERM'));
  process.on('unhandledRejection', (reason) => log.error('unhandled promise rejection', { error: reason }));
  process.on('uncaughtExceptionMonitor', (err) => log.error('uncaught exception', { error: err }));
  // If terraform dies without Shutdown we are re-parented: exit rather than linger.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && exit('terraform went away'), PARENT_POLL_MS).unref();
}
