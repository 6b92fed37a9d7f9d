/**
 * The error classes of the WS-Management layer, client and server side. Each failure mode has its own
 * class so callers can decide on retries (transport), credentials (auth) and user-facing messages (faults)
 * with `instanceof`; every one of them, XmlError, NtlmError and SddlError included, is a WsmanError.
 * No class ever carries credentials or request bodies in its message.
 */

/** The root of the layer: anything src/wsman throws on purpose. */
export class WsmanError extends Error {
  override readonly name: string = 'WsmanError';
}

/** HTTP 401: the host refused the credentials or the authentication scheme. */
export class WsmanAuthError extends WsmanError {
  override readonly name = 'WsmanAuthError';
  constructor(
    message: string,
    /** Schemes the host offered in WWW-Authenticate (e.g. ['Negotiate', 'Basic']). */
    readonly offeredSchemes: readonly string[] = [],
  ) {
    super(message);
  }
}

/** An HTTP status other than 200, 401, and a 500 carrying a SOAP fault. */
export class WsmanHttpError extends WsmanError {
  override readonly name = 'WsmanHttpError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export type TransportFailure =
  'connect-refused' | 'connect-timeout' | 'reset' | 'timeout' | 'tls' | 'dns' | 'aborted' | 'too-large' | 'other';

/** The request never got a complete HTTP answer: refused, reset, timed out, TLS failure, aborted. */
export class WsmanTransportError extends WsmanError {
  override readonly name = 'WsmanTransportError';
  constructor(
    message: string,
    readonly kind: TransportFailure,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The peer answered, but not with something a WS-Management host would send. */
export class WsmanBadResponseError extends WsmanError {
  override readonly name = 'WsmanBadResponseError';
}
