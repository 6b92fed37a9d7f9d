import type { WsmanAuth } from '../auth/auth-options';
import type { WsmanTrace } from '../client-options';
import { WsmanError, WsmanHttpError } from '../../faults/errors';
import type { StateChange } from '../../../common';
import { Connection } from './connection';
import type { ConnectionAuthState } from './connection-auth-state';
import { httpStatusError } from './http-status-error';
import { BoundedPool } from './connection-pool';
import type { WsmanTlsOptions } from './tls-options';
import { TransportStats, type TransportStatsSnapshot } from './transport-stats';

export interface WsmanTransportOptions {
  /** e.g. `http://host:5985/wsman` or `https://host:5986/wsman`. */
  readonly endpoint: string | URL;
  readonly auth: WsmanAuth;
  readonly tls?: WsmanTlsOptions;
  /** Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Default 32 MiB. */
  readonly maxResponseBytes?: number;
  /**
   * Idle keep-alive sockets are closed after this long. Default 60 s, below HTTP.sys' 120 s idle
   * connection timeout (Windows' documented default, not from a capture), so a request is never written
   * onto a socket the host is closing.
   */
  readonly idleSocketTimeoutMs?: number;
  /** Concurrent connections (and requests) to this host. Default 4. */
  readonly maxConnections?: number;
  /** Told of every authentication state change of every connection (for debug logs). */
  readonly onStateChange?: (change: StateChange<ConnectionAuthState>) => void;
  /** Debug observer of authentication steps (see WsmanClientOptions.trace). */
  readonly trace?: WsmanTrace;
}

export interface TransportResponse {
  /** 200, or 500 carrying a SOAP fault. */
  readonly status: 200 | 500;
  readonly body: string;
}

/**
 * HTTP(S) POSTs of SOAP envelopes to one WS-Management endpoint over pooled keep-alive connections.
 * Maps HTTP outcomes: 200 and SOAP-bearing 500 are returned, 401 is WsmanAuthError, other statuses
 * WsmanHttpError, network failures WsmanTransportError.
 */
export class WsmanTransport {
  readonly url: URL;
  private readonly pool: BoundedPool<Connection>;
  private readonly counters = new TransportStats();

  constructor(o: WsmanTransportOptions) {
    this.url = new URL(String(o.endpoint));
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:')
      throw new WsmanError(`unsupported endpoint scheme ${this.url.protocol}`);
    if (o.auth.kind === 'basic' && this.url.protocol === 'http:' && o.auth.allowUnencrypted !== true) {
      throw new WsmanError(
        'Basic authentication over plain HTTP would send the password in clear; use HTTPS, NTLM, or set allowUnencrypted',
      );
    }
    if (o.auth.kind === 'certificate' && this.url.protocol !== 'https:') {
      throw new WsmanError('certificate authentication needs an HTTPS endpoint');
    }
    const options = {
      url: this.url,
      auth: o.auth,
      tls: o.tls,
      connectTimeoutMs: o.connectTimeoutMs ?? 10_000,
      maxResponseBytes: o.maxResponseBytes ?? 32 * 1024 * 1024,
      idleSocketTimeoutMs: o.idleSocketTimeoutMs ?? 60_000,
      stats: this.counters,
      onStateChange: o.onStateChange,
      trace: o.trace,
    };
    this.pool = new BoundedPool(
      o.maxConnections ?? 4,
      () => new Connection(options),
      (c) => c.close(),
    );
  }

  async post(envelope: string, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<TransportResponse> {
    const connection = await this.pool.acquire(opts.signal);
    let broken = false;
    try {
      const res = await connection.exchange(Buffer.from(envelope, 'utf8'), opts);
      const body = res.body.toString('utf8');
      if (res.status === 200) return { status: 200, body };
      if (res.status === 500 && /Envelope/.test(body)) return { status: 500, body };
      throw httpStatusError(this.url, res.status, res.contentType, body);
    } catch (e) {
      broken = !(e instanceof WsmanHttpError);
      throw e;
    } finally {
      if (broken) connection.close();
      this.pool.release(connection);
    }
  }

  /** Requests, handshakes, connections and bytes on the wire so far. */
  stats(): TransportStatsSnapshot {
    return this.counters.snapshot();
  }

  /** Closes every connection; pending and later requests fail. */
  close(): void {
    this.pool.close();
  }
}
