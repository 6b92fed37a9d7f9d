/**
 * The plugin's listener on its unix socket: go-plugin's AutoMTLS, server side, or plaintext when
 * terraform asked for none (TF_DISABLE_PLUGIN_TLS). It uses node:net only until the first connection, so the handshake
 * line goes out before grpc-js loads; accepted connections are handed to the gRPC server (./grpc-server).
 *
 * TLS without a CA store: terraform's client certificate (PLUGIN_CLIENT_CERT) is pinned byte for byte
 * instead of verified as a trust root. Handing it to TLS as `ca` (as grpc-js's createSsl does) makes
 * Node build its whole root store first (Node 20 SecureContext::AddCACert → NewRootCertStore), tens of
 * milliseconds on each of terraform's 3-5 provider launches per command (bench/startup.ts). With an
 * empty `ca` the handshake still requests the client certificate and checks the client's
 * CertificateVerify signature, so a peer presenting terraform's certificate holds its key; any other
 * connection is closed before a byte of HTTP/2 is read. go-plugin's own server trusts exactly that
 * certificate too (go-plugin server.go Serve).
 */
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { Server as TlsServer } from 'node:tls';
import { certificateDer } from '../binary/pem';

export interface PinnedTlsOptions {
  certPem: string;
  keyPem: string;
  clientCertPem: string;
}

export interface ListenOptions {
  /** Mutual TLS; omitted only when the client asked for plaintext (no PLUGIN_CLIENT_CERT). */
  tls?: PinnedTlsOptions;
  /** Gets every connection that may speak (TLS done and the client certificate checked). */
  accept: (socket: Socket) => void;
  /** A connection without terraform's client certificate was closed. */
  onRefused?: (why: string) => void;
}

/**
 * A plain unix-socket server: with TLS asked for, each accepted connection is handed to a TLS server
 * made on the first connection (injected with `emit('connection')`, as Node's docs show for servers),
 * not at start-up: loading node:tls and building the secure context cost tens of milliseconds on each
 * of terraform's 3-5 launches per command (bench/startup.ts), and terraform connects only after the
 * handshake line. The client's bytes wait in the socket buffer meanwhile.
 */
export function createListener(opts: ListenOptions): Server {
  const accept = (socket: Socket): void => {
    // terraform resets its connection when it is done with a provider instance (ECONNRESET): that is
    // the end of the conversation, not an error; HTTP/2 sees the close and cancels the open calls.
    socket.on('error', () => socket.destroy());
    opts.accept(socket);
  };
  const pinnedTls = opts.tls;
  if (!pinnedTls) return createNetServer(accept);
  const pinned = certificateDer(pinnedTls.clientCertPem);
  if (!pinned) throw new Error('PLUGIN_CLIENT_CERT holds no PEM certificate');
  let tlsServer: TlsServer | undefined;
  const makeTlsServer = (): TlsServer => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on the first connection, after the handshake line
    const { createServer } = require('node:tls') as typeof import('node:tls');
    const server = createServer({
      cert: pinnedTls.certPem,
      key: pinnedTls.keyPem,
      ca: [],
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
      ALPNProtocols: ['h2'], // grpc-go clients insist on it
    });
    server.on('secureConnection', (socket) => {
      if (socket.getPeerCertificate().raw?.equals(pinned)) return accept(socket);
      opts.onRefused?.("a connection without terraform's client certificate");
      socket.destroy();
    });
    server.on('tlsClientError', (err) => opts.onRefused?.(`a failed TLS handshake: ${err.message}`));
    return server;
  };
  return createNetServer((raw) => (tlsServer ??= makeTlsServer()).emit('connection', raw));
}

/** Listens on the unix socket; resolves once bound. */
export function listen(server: Server, socket: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
