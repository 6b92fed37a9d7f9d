/**
 * The likely fix for the failures users meet first, named with the setting to change: the raw error
 * says what happened (HTTP 401, a TLS error code), this says what to do about it.
 */
import { WsmanAuthError, WsmanHttpError, WsmanTransportError } from '../wsman';

const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

/** A sentence to append to the error, or undefined when there is nothing better to say than the error. */
export function hostFailureHint(error: unknown, endpoint: string): string | undefined {
  if (error instanceof WsmanAuthError) {
    return (
      'Check username and password (or PSREMOTING_USERNAME and PSREMOTING_PASSWORD): a wrong password, an unknown user or a ' +
      'local account written without its computer (use HOST\\user or DOMAIN\\user) all look like this. The account must be an administrator on the host; ' +
      'for auth = "basic" the host must also allow Basic (winrm/config/service/Auth).'
    );
  }
  if (error instanceof WsmanHttpError) {
    if (error.status === 404)
      return 'The host has no WS-Management endpoint at this URL: WinRM answers at /wsman (write the host as name, name:port or http(s)://name:port/wsman).';
    if (error.status === 503)
      return 'The host stayed unavailable (HTTP 503) through every retry: WinRM may be restarting, stopped or overloaded; run the command again once it answers.';
    if (error.status === 400 && new URL(endpoint).protocol === 'http:') {
      return 'If this port is an HTTPS listener (5986 by default), use scheme = "https" or give the host as https://…/wsman.';
    }
    return undefined;
  }
  if (error instanceof WsmanTransportError) {
    const code = (error.cause as NodeJS.ErrnoException | undefined)?.code ?? '';
    if (error.kind === 'tls' && UNTRUSTED.has(code)) {
      return "The host's certificate is not signed by a CA this provider trusts: give the CA (PEM) in ca_file, or set insecure_skip_verify = true for a lab host.";
    }
    if (error.kind === 'tls' && code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      return "The host's certificate does not name the host as it is written here: use the name the certificate was issued for.";
    }
    if (error.kind === 'tls' && /PEM|ASN1|no start line|bad decrypt/i.test(error.message)) {
      return 'A certificate or key file is not usable: client_cert_file, client_key_file and ca_file must be PEM files (the key unencrypted).';
    }
    if (
      (error.kind === 'reset' || error.kind === 'other') &&
      new URL(endpoint).protocol === 'http:' &&
      /5986/.test(new URL(endpoint).port)
    ) {
      return 'Port 5986 is WinRM\'s HTTPS port: use scheme = "https" or give the host as https://…:5986/wsman.';
    }
    if (error.kind === 'connect-refused')
      return "Nothing listens on this port: check the host's WinRM listener (winrm enumerate winrm/config/listener) and the scheme and port.";
  }
  return undefined;
}
