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
      /** TLS client certificate over HTTPS (PEM). */
      readonly kind: 'certificate';
      readonly cert: string | Buffer;
      readonly key: string | Buffer;
      readonly passphrase?: string;
    };
