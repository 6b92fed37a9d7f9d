/**
 * Runs a provider as terraform's plugin: handshake, mutual TLS, gRPC on a unix socket, and the process
 * rules (SIGINT ignored, exit on Shutdown or when terraform goes away, stdout reserved, stdin untouched).
 *
 * Start-up is on terraform's critical path 3-5 times per command, so only the handshake path
 * (./handshake-start: node:net, the certificate; node:tls on terraform's first connection) comes before
 * the line. The installed provider runs it from a launcher bundle of its own (./launcher) and this
 * bundle takes over; started directly, serve() runs it itself. grpc-js and the services load once the
 * line is out, the provider runtime and the provider itself on the first provider call.
 */
import { Console } from 'node:console';
import { mark } from '../../common/profile';
import type { ProviderDefinition } from '../contracts/provider';
import { createLogger } from '../log/logger';
import type { Schema } from '../schema/schema';
import { startHandshake, takeHandoff, type Handoff } from './handshake-start';

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
  // stdout carries the handshake line and nothing else: route any console output to stderr.
  globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
  const log = createLogger({ module: `provider.${opts.binary}` });
  const exit = (why: string): void => {
    log.debug(`exiting: ${why}`);
    process.exit(0);
  };

  // Synchronous from the handoff to `route`: no connection is dispatched before the services exist.
  const serveAfterHandshake = (handoff: Handoff): void => {
    mark('handshake', handoff.lineAtMs);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, after the handshake line (bench/startup.ts)
    const { startPluginServices } = require('./plugin-services') as typeof import('./plugin-services');
    const onShutdown = (): void => {
      // Exit once the Shutdown answer (and any call still in flight) is written; terraform closes its
      // connection right after it. A stream left open (stdio) ends the wait after the grace period.
      setTimeout(() => exit('terraform sent Shutdown; a call was still open after the grace period'), SHUTDOWN_GRACE_MS);
      services.drain(() => exit('terraform sent Shutdown'));
    };
    const services = startPluginServices({ provider: opts.provider, log, onShutdown });
    handoff.route(
      (socket) => services.accept(socket),
      (why) => log.warn(`refused ${why}`),
    );
    log.debug('serving', { socket: handoff.socket, tls: handoff.tls });
  };
  const handoff = takeHandoff();
  if (handoff) serveAfterHandshake(handoff);
  else void startHandshake(opts.binary).then(serveAfterHandshake);

  // Ctrl-C reaches the whole process group; terraform answers it with StopProvider, so we stay up.
  process.on('SIGINT', () => log.debug('ignoring SIGINT: terraform sends StopProvider'));
  process.on('SIGTERM', () => exit('SIGTERM'));
  process.on('unhandledRejection', (reason) => log.error('unhandled promise rejection', { error: reason }));
  process.on('uncaughtExceptionMonitor', (err) => log.error('uncaught exception', { error: err }));
  // If terraform dies without Shutdown we are re-parented: exit rather than linger.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && exit('terraform went away'), PARENT_POLL_MS).unref();
}
