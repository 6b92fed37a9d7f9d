/**
 * The plugin's listener on its unix socket: go-plugin's AutoMTLS, server side, or plaintext when
 * terraform asked for none (TF_DISABLE_PLUGIN_TLS). It uses node:net/node:tls only, so the handshake
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
import * as net from 'node:net';
import * as tls from 'node:tls';
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
  accept: (socket: net.Socket) => void;
  /** A connection without terraform's client certificate was closed. */
  onRefused?: (why: string) => void;
}

export function createListener(opts: ListenOptions): net.Server {
  const accept = (socket: net.Socket): void => {
    // terraform resets its connection when it is done with a provider instance (ECONNRESET): that is
    // the end of the conversation, not an error; HTTP/2 sees the close and cancels the open calls.
    socket.on('error', () => socket.destroy());
    opts.accept(socket);
  };
  if (!opts.tls) return net.createServer(accept);
  const pinned = certificateDer(opts.tls.clientCertPem);
  if (!pinned) throw new Error('PLUGIN_CLIENT_CERT holds no PEM certificate');
  const server = tls.createServer({
    cert: opts.tls.certPem,
    key: opts.tls.keyPem,
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
}

/** Listens on the unix socket; resolves once bound. */
export function listen(server: net.Server, socket: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
