/**
 * The handshake path of a launch, all terraform waits for: the environment checks, the unix socket
 * listening, AutoMTLS's certificate, the handshake line on stdout. Run by ./serve, or first by the
 * installed launcher (./launcher, its own small bundle) which then loads the provider's bundle while
 * terraform reads the line and hands it what was started here (the `Handoff`).
 */
import { rmSync, writeSync } from 'node:fs';
import type { Socket } from 'node:net';
import { errorMessage } from '../../common';
import { createListener, listen } from '../grpc/listener';
import { createServerCertificate } from './auto-mtls';
import { checkMagicCookie, handshakeLine, HandshakeError, makeSocketPath, negotiateProtocol } from './handshake';

/** What the handshake started, for the gRPC side: where connections go once it is ready. */
export interface Handoff {
  socket: string;
  tls: boolean;
  /** When the line was written, ms since the process started (for the benches' profile marks). */
  lineAtMs: number;
  /** Sets who gets each connection that may speak, and who hears of a refused one. */
  route(accept: (socket: Socket) => void, onRefused: (why: string) => void): void;
}

// A registry symbol, so the provider's bundle finds what the launcher's bundle (a separate copy of
// this module) left: the two bundles share the process, not their modules.
const HANDOFF = Symbol.for('psremoting.tfplugin.handoff');
type WithHandoff = typeof globalThis & { [HANDOFF]?: Handoff };

/** Leaves the handoff for the provider's bundle, loaded next. */
export function leaveHandoff(handoff: Handoff): void {
  (globalThis as WithHandoff)[HANDOFF] = handoff;
}

/** The handoff the launcher left, once; undefined when the bundle was started on its own. */
export function takeHandoff(): Handoff | undefined {
  const g = globalThis as WithHandoff;
  const handoff = g[HANDOFF];
  delete g[HANDOFF];
  return handoff;
}

/**
 * Checks the environment, listens and writes the handshake line; exits the process (status 1, the
 * reason on stderr) when it was not started by terraform or cannot listen. Connections are routed
 * only once `route` was called: callers call it in the same turn of the event loop as the resolve.
 */
export function startHandshake(binary: string): Promise<Handoff> {
  const env = process.env;
  // The installed wrapper moves NODE_EXTRA_CA_CERTS aside so Node does not load it at start-up; put it
  // back for code that reads it (Node's default trust store does not include those certificates).
  if (env.TFPLUGIN_NODE_EXTRA_CA_CERTS) {
    env.NODE_EXTRA_CA_CERTS = env.TFPLUGIN_NODE_EXTRA_CA_CERTS;
    delete env.TFPLUGIN_NODE_EXTRA_CA_CERTS;
  }
  try {
    checkMagicCookie(env, binary);
    negotiateProtocol(env);
  } catch (err) {
    if (!(err instanceof HandshakeError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }

  const { dir, socket } = makeSocketPath(env);
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

  const clientCertPem = env.PLUGIN_CLIENT_CERT;
  const cert = clientCertPem ? createServerCertificate() : undefined;
  let accept: ((socket: Socket) => void) | undefined;
  let onRefused: ((why: string) => void) | undefined;
  const listener = createListener({
    ...(cert && clientCertPem ? { tls: { certPem: cert.certPem, keyPem: cert.keyPem, clientCertPem } } : {}),
    accept: (s) => accept!(s),
    onRefused: (why) => onRefused?.(why),
  });
  return listen(listener, socket).then(
    () => {
      writeSync(1, handshakeLine(env, socket, cert?.handshakeField ?? ''));
      return {
        socket,
        tls: !!cert,
        lineAtMs: process.uptime() * 1000,
        route: (a, r) => {
          accept = a;
          onRefused = r;
        },
      };
    },
    (err: unknown) => {
      process.stderr.write(`cannot listen on ${socket}: ${errorMessage(err)}\n`);
      process.exit(1);
    },
  );
}
