/**
 * Where the KDCs of a realm are, in the order MIT's locator looks (krb5.conf(5), "kdc"; RFC 4120 7.2.3):
 * the provider's own setting, then krb5.conf (KRB5_CONFIG or /etc/krb5.conf), then DNS SRV records
 * `_kerberos._udp.REALM` / `_kerberos._tcp.REALM` when dns_lookup_kdc allows it.
 */
import { readFile } from 'node:fs/promises';
import { Resolver } from 'node:dns/promises';
import { errorMessage } from '../../../common';
import { KerberosError } from './kerberos-error';
import { parseKdcAddress, parseKrb5Conf, type KdcAddress, type Krb5Conf } from './krb5-conf';

export const DEFAULT_KRB5_CONF = '/etc/krb5.conf';

/** Reads krb5.conf; a missing file is an empty configuration (domains often rely on DNS alone). */
export async function loadKrb5Conf(path: string): Promise<Krb5Conf> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return parseKrb5Conf('');
    throw new KerberosError('config', `cannot read ${path}: ${errorMessage(e)}`);
  }
  return parseKrb5Conf(text);
}

export interface LocateOptions {
  /** The provider's `kerberos_kdc` values; when set nothing else is consulted. */
  readonly kdcs?: readonly string[];
  readonly conf: Krb5Conf;
  readonly dnsTimeoutMs: number;
}

export async function locateKdcs(realm: string, o: LocateOptions): Promise<KdcAddress[]> {
  if (o.kdcs && o.kdcs.length > 0) return o.kdcs.map(parseKdcAddress);
  const configured = o.conf.realmKdcs.get(realm.toUpperCase());
  if (configured && configured.length > 0) return configured.map(parseKdcAddress);
  if (!o.conf.dnsLookupKdc)
    throw new KerberosError('config', `no KDC known for realm ${realm}: set kerberos_kdc, or add it under [realms] in krb5.conf`);
  const found = await srvKdcs(realm, o.dnsTimeoutMs);
  if (found.length === 0) {
    throw new KerberosError(
      'config',
      `no KDC known for realm ${realm}: not in kerberos_kdc, not in krb5.conf, and DNS has no _kerberos._udp/_tcp.${realm} SRV records`,
    );
  }
  return found;
}

async function srvKdcs(realm: string, timeoutMs: number): Promise<KdcAddress[]> {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  const out: KdcAddress[] = [];
  for (const transport of ['udp', 'tcp'] as const) {
    try {
      const records = await resolver.resolveSrv(`_kerberos._${transport}.${realm}`);
      records.sort((a, b) => a.priority - b.priority || b.weight - a.weight);
      for (const r of records) if (r.name !== '' && r.name !== '.') out.push({ host: r.name, port: r.port, transport });
    } catch {
      // No record of this protocol: the other may have some.
    }
  }
  return out;
}
