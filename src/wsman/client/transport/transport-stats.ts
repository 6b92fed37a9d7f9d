import type { Socket } from 'node:net';

export interface TransportStatsSnapshot {
  /** HTTP requests sent, NTLM handshake legs included. */
  readonly httpRequests: number;
  readonly ntlmHandshakes: number;
  /** TCP connections opened. */
  readonly connections: number;
  /** Bytes written to and read from the sockets (HTTP headers and bodies; for HTTPS, before TLS framing). */
  readonly bytesSent: number;
  readonly bytesReceived: number;
}

/** Counters of one transport, for benchmarks and diagnostics. */
export class TransportStats {
  private httpRequests = 0;
  private ntlmHandshakes = 0;
  private connections = 0;
  private closedSent = 0;
  private closedReceived = 0;
  private readonly live = new Set<Socket>();
  private readonly seen = new WeakSet<Socket>();

  recordExchange(socket: Socket): void {
    this.httpRequests += 1;
    if (this.seen.has(socket)) return;
    this.seen.add(socket);
    this.connections += 1;
    this.live.add(socket);
    socket.once('close', () => {
      this.live.delete(socket);
      this.closedSent += socket.bytesWritten;
      this.closedReceived += socket.bytesRead;
    });
  }

  recordHandshake(): void {
    this.ntlmHandshakes += 1;
  }

  snapshot(): TransportStatsSnapshot {
    let sent = this.closedSent;
    let received = this.closedReceived;
    for (const s of this.live) {
      sent += s.bytesWritten;
      received += s.bytesRead;
    }
    return {
      httpRequests: this.httpRequests,
      ntlmHandshakes: this.ntlmHandshakes,
      connections: this.connections,
      bytesSent: sent,
      bytesReceived: received,
    };
  }
}
