import type { KerberosClient } from '../../auth/kerberos';

/** How a client authenticates to one host. Secrets live only here and in the Authorization header. */
export type WsmanAuth =
  | {
      readonly kind: 'basic';
      readonly username: string;
      readonly password: string;
      /**
       * Basic sends the password in clear; over plain HTTP it is refused unless this is set (the host must
       * also have AllowUnencrypted=true).
       */
      readonly allowUnencrypted?: boolean;
    }
  | {
      /** NTLMv2 through `Authorization: Negotiate`; over HTTP every message is sealed (MS-WSMV 2.2.9.1). */
      readonly kind: 'ntlm';
      readonly username: string;
      readonly password: string;
      readonly domain?: string;
      /** Send messages in clear over HTTP (host needs AllowUnencrypted=true). Never the default. */
      readonly disableEncryption?: boolean;
    }
  | {
      /**
       * Kerberos through `Authorization: Negotiate` (SPNEGO, RFC 4178): over HTTP every message is sealed
       * with RFC 4121 wrap tokens (MS-WSMV 2.2.9.1, application/HTTP-Kerberos-session-encrypted); over
       * HTTPS the AP-REQ carries the TLS channel binding (RFC 5929), which CbtHardeningLevel=Strict needs.
       */
      readonly kind: 'kerberos';
      /** Holds the credentials and the tickets; share one per process so tickets are reused across hosts. */
      readonly tickets: KerberosClient;
      /** The service principal, default `HTTP/<host>` (e.g. `HTTP/web01.corp.example.com@CORP.EXAMPLE.COM`). */
      readonly spn?: string;
      /** Send messages in clear over HTTP (host needs AllowUnencrypted=true). Never the default. */
      readonly disableEncryption?: boolean;
      /**
       * Negotiate: when Kerberos cannot be used for this host (no KDC answers, no account holds the SPN,
       * the host is given by IP address) use NTLM with these credentials, as Windows clients do.
       */
      readonly ntlmFallback?: { readonly username: string; readonly password: string; readonly domain?: string };
    }
  | {
      /** TLS client certificate over HTTPS (PEM). */
      readonly kind: 'certificate';
      readonly cert: string | Buffer;
      readonly key: string | Buffer;
      readonly passphrase?: string;
    };
