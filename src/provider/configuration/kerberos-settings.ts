/**
 * auth = "kerberos" / "negotiate": the provider block's Kerberos settings turned into one KerberosClient
 * for the provider process (so every host shares the TGT and each host's ticket is fetched once).
 * The password stays inside the client; messages name the setting, never its secret value.
 */
import { KerberosClient } from '../../wsman/auth/kerberos';
import type { WsmanAuth } from '../../wsman';

/** The provider block's Kerberos values, already resolved (unknown and null read as unset). */
export interface KerberosSettings {
  readonly principal?: string;
  readonly password?: string;
  readonly keytab?: string;
  readonly ccache?: string;
  readonly realm?: string;
  readonly kdcs?: readonly string[];
  readonly spn?: string;
  /** Negotiate: the NTLM credentials to fall back to; undefined for "kerberos". */
  readonly ntlm?: { readonly username: string; readonly password: string };
}

export function kerberosAuth(s: KerberosSettings, env: NodeJS.ProcessEnv): WsmanAuth {
  const { spn, ntlm, ...client } = s;
  const defined = Object.fromEntries(Object.entries(client).filter(([, v]) => v !== undefined && v !== ''));
  return {
    kind: 'kerberos',
    tickets: new KerberosClient(defined, env),
    ...(spn !== undefined ? { spn } : {}),
    ...(ntlm ? { ntlmFallback: ntlm } : {}),
  };
}
