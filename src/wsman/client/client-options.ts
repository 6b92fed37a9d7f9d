import type { StateChange } from '../../common';
import type { WsmanAuth } from './auth/auth-options';
import type { ConnectionAuthState } from './transport/connection-auth-state';
import type { WsmanTlsOptions } from './transport/tls-options';
import type { TransportResponse } from './transport/wsman-transport';
import type { TransportStatsSnapshot } from './transport/transport-stats';

/** What the client needs from a transport; WsmanTransport is the real one, replay tools pass recordings. */
export interface MessageTransport {
  post(envelope: string, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<TransportResponse>;
  close(): void;
  /** Wire counters, when the transport keeps them. */
  stats?(): TransportStatsSnapshot;
}

export interface WsmanClientOptions {
  /** e.g. `http://host:5985/wsman`, `https://host:5986/wsman`. */
  readonly endpoint: string;
  readonly auth: WsmanAuth;
  readonly tls?: WsmanTlsOptions;
  /** WS-Man OperationTimeout for ordinary operations. Default 60 s (WinRM's MaxTimeoutms default). */
  readonly operationTimeoutMs?: number;
  /** OperationTimeout of a Receive long-poll. Default 20 s, as PowerShell and pypsrp use. */
  readonly receiveTimeoutMs?: number;
  /** Time allowed beyond OperationTimeout for the HTTP answer to arrive. Default 15 s. */
  readonly responseSlackMs?: number;
  readonly connectTimeoutMs?: number;
  readonly maxResponseBytes?: number;
  /** Concurrent connections to this host. Default 4. */
  readonly maxConnections?: number;
  /** MaxEnvelopeSize header. Default 153600 (the host default of 150 KiB). */
  readonly maxEnvelopeSize?: number;
  readonly locale?: string;
  /** Told of every authentication state change of the client's connections (for debug logs). */
  readonly onStateChange?: (change: StateChange<ConnectionAuthState>) => void;
  /** Replaces the HTTP transport (recorded-traffic replay, tests). */
  readonly transport?: MessageTransport;
  /** Observes the traffic for debug logs: each request and its outcome, each authentication step. */
  readonly trace?: WsmanTrace;
}

/** A debug observer of the client's traffic; fields never hold bodies, tokens or credentials. */
export type WsmanTrace = (event: string, fields: Readonly<Record<string, unknown>>) => void;

/** Per-call options every operation accepts. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Overrides the client's OperationTimeout for this call. */
  readonly operationTimeoutMs?: number;
}
