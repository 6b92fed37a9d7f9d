/** TLS settings for HTTPS endpoints. Verification is on unless explicitly skipped. */
export interface WsmanTlsOptions {
  /** Extra trusted CA certificates (PEM), e.g. the host's self-signed listener certificate or an internal CA. */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** Accept any server certificate. Dangerous: only for lab hosts; never the default. */
  readonly insecureSkipVerify?: boolean;
  /** Server name to verify when connecting by address. */
  readonly servername?: string;
}
