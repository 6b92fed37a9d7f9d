/**
 * auth = "kerberos" / "negotiate": the provider block's Kerberos settings turned into one KerberosClient
 * for the provider process (so every host shares the TGT and each host's ticket is fetched once).
 * The password stays inside the client; messages name the setting, never its secret value.
 */
import { KerberosClient } from '../../wsman/auth/kerberos';
import type { WsmanAuth } from '../../wsman';
import { isUnknown, type Unknown } from '../../tfplugin';
import type { ProviderConfig } from './provider-settings';

const known = <V>(v: V): Exclude<V, null | Unknown> | undefined => (v === null || isUnknown(v) ? undefined : (v as Exclude<V, null | Unknown>));

/**
 * `ntlm` holds the username and password Negotiate falls back to; for "kerberos" it is undefined.
 * Credentials: the password (setting or PSREMOTING_PASSWORD), else kerberos_keytab, else the credential cache.
 */
export function kerberosAuth(config: ProviderConfig, env: NodeJS.ProcessEnv, ntlm: { username: string; password: string } | undefined): WsmanAuth {
  const principal = known(config.username) ?? env.PSREMOTING_USERNAME;
  const password = known(config.password) ?? env.PSREMOTING_PASSWORD;
  const keytab = known(config.kerberos_keytab);
  const ccache = known(config.kerberos_ccache);
  const realm = known(config.kerberos_realm);
  const kdcs = known(config.kerberos_kdc);
  const tickets = new KerberosClient(
    {
      ...(principal ? { principal } : {}),
      ...(password ? { password } : {}),
      ...(keytab !== undefined ? { keytab } : {}),
      ...(ccache !== undefined ? { ccache } : {}),
      ...(realm !== undefined ? { realm } : {}),
      ...(kdcs !== undefined ? { kdcs: kdcs.filter((k): k is string => typeof k === 'string') } : {}),
    },
    env,
  );
  const spn = known(config.kerberos_spn);
  return {
    kind: 'kerberos',
    tickets,
    ...(spn !== undefined ? { spn } : {}),
    ...(ntlm ? { ntlmFallback: ntlm } : {}),
  };
}
