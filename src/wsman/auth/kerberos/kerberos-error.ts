import { WsmanError } from '../../faults/errors';

/**
 * What went wrong, named by the step that failed, so a user reads "the KDC is unreachable" rather than an
 * error number. Kinds map from RFC 4120 7.5.9 error codes where a KDC or acceptor sent one.
 */
export type KerberosFailure =
  /** No realm, no KDC for the realm, an unreadable krb5.conf. */
  | 'config'
  /** Keytab or credential cache missing, unreadable or holding no usable key/ticket. */
  | 'credentials'
  /** No KDC answered (refused, timed out, DNS). */
  | 'kdc-unreachable'
  /** KDC_ERR_C_PRINCIPAL_UNKNOWN (6). */
  | 'principal-unknown'
  /** KDC_ERR_PREAUTH_FAILED (24), or an AS-REP our key cannot decrypt: the password or key is wrong. */
  | 'preauth-failed'
  /** KRB_AP_ERR_SKEW (37): the clocks differ by more than the KDC allows (5 minutes by default). */
  | 'clock-skew'
  /** KDC_ERR_S_PRINCIPAL_UNKNOWN (7) for the service: no account holds this SPN. */
  | 'spn-unknown'
  /** Any other KRB-ERROR from the KDC. */
  | 'kdc-error'
  /** The acceptor refused our AP-REQ or its AP-REP did not verify (mutual authentication failed). */
  | 'mutual-auth'
  /** A token that does not decode. */
  | 'bad-message'
  /** A checksum or decryption that does not verify (tampered, wrong key, replayed or out of sequence). */
  | 'integrity'
  /** An encryption type this implementation does not offer (only AES256/AES128-CTS-HMAC-SHA1-96). */
  | 'unsupported-etype'
  /** The acceptor's own failures: ticket not for us, expired, replayed, missing channel binding. */
  | 'refused';

/** One Kerberos failure. Messages name principals, realms and KDC addresses; never a password or key. */
export class KerberosError extends WsmanError {
  override readonly name = 'KerberosError';
  /** The RFC 4120 error-code when a KRB-ERROR caused it. */
  readonly code: number | undefined;

  constructor(
    readonly kind: KerberosFailure,
    message: string,
    options?: { cause?: unknown; readonly code?: number },
  ) {
    super(message, options);
    this.code = options?.code;
  }
}
