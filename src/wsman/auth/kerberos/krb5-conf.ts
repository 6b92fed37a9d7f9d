/**
 * Reads the parts of an MIT krb5.conf (krb5.conf(5) "profile" syntax) this client uses:
 * [libdefaults] default_realm and dns_lookup_kdc, [realms] REALM = { kdc = host[:port] … } and
 * [domain_realm]. Hand-written: the syntax is a few lines of grammar and no npm package parses it.
 * Unknown sections and relations are ignored, as MIT ignores what it does not use.
 */
import { KerberosError } from './kerberos-error';

export interface Krb5Conf {
  readonly defaultRealm?: string;
  /** Whether DNS SRV records may name KDCs (MIT's default is true). */
  readonly dnsLookupKdc: boolean;
  /** Realm (upper case) -> its `kdc` values in order. */
  readonly realmKdcs: ReadonlyMap<string, readonly string[]>;
  /** `.example.com` / `host.example.com` -> realm, in file order. */
  readonly domainRealm: ReadonlyArray<readonly [string, string]>;
}

/** krb5.conf files are small; anything larger is not one. */
const MAX_CONF_BYTES = 1024 * 1024;

export function parseKrb5Conf(text: string): Krb5Conf {
  if (text.length > MAX_CONF_BYTES) throw new KerberosError('config', 'krb5.conf is larger than 1 MiB');
  let section = '';
  let defaultRealm: string | undefined;
  let dnsLookupKdc = true;
  const realmKdcs = new Map<string, string[]>();
  const domainRealm: Array<[string, string]> = [];
  // The realm whose `{ … }` block we are in, and how deep (blocks nest, e.g. `v4_realm` or `auth_to_local`).
  let realm: string | undefined;
  let depth = 0;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header && depth === 0) {
      section = header[1]!.trim().toLowerCase();
      continue;
    }
    if (line === '}') {
      depth = Math.max(0, depth - 1);
      if (depth === 0) realm = undefined;
      continue;
    }
    const relation = /^([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (!relation) continue;
    const key = relation[1]!;
    const value = relation[2]!.trim();
    if (value === '{') {
      if (depth === 0 && section === 'realms') realm = key.toUpperCase();
      depth++;
      continue;
    }
    if (section === 'libdefaults' && depth === 0) {
      if (key === 'default_realm') defaultRealm = value;
      else if (key === 'dns_lookup_kdc') dnsLookupKdc = /^(true|yes|on|1)$/i.test(value);
    } else if (section === 'realms' && depth === 1 && realm !== undefined && key === 'kdc') {
      const list = realmKdcs.get(realm) ?? [];
      list.push(value);
      realmKdcs.set(realm, list);
    } else if (section === 'domain_realm' && depth === 0) {
      domainRealm.push([key.toLowerCase(), value]);
    }
  }
  return { ...(defaultRealm !== undefined ? { defaultRealm } : {}), dnsLookupKdc, realmKdcs, domainRealm };
}

/** The realm krb5.conf's [domain_realm] gives a host: an exact name first, then the longest `.suffix`. */
export function realmOfHost(conf: Krb5Conf, host: string): string | undefined {
  const h = host.toLowerCase();
  let best: { len: number; realm: string } | undefined;
  for (const [domain, realm] of conf.domainRealm) {
    if (domain === h) return realm;
    if (domain.startsWith('.') && (h.endsWith(domain) || h === domain.slice(1)) && (!best || domain.length > best.len))
      best = { len: domain.length, realm };
  }
  return best?.realm;
}

export interface KdcAddress {
  readonly host: string;
  readonly port: number;
  /** Set when the address named one (`tcp/host`, `udp/host`) or came from an SRV record of that protocol. */
  readonly transport?: 'tcp' | 'udp';
}

/** `host`, `host:port`, `[v6]:port`, optionally prefixed `tcp/` or `udp/` (krb5.conf(5) "kdc"). */
export function parseKdcAddress(text: string): KdcAddress {
  let rest = text.trim();
  let transport: 'tcp' | 'udp' | undefined;
  const proto = /^(tcp|udp)\//i.exec(rest);
  if (proto) {
    transport = proto[1]!.toLowerCase() as 'tcp' | 'udp';
    rest = rest.slice(proto[0].length);
  }
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest) ?? /^([^:\s]+)(?::(\d+))?$/.exec(rest);
  if (!m) throw new KerberosError('config', `"${text}" is not a KDC address (host or host:port)`);
  const port = m[2] === undefined ? 88 : Number(m[2]);
  if (port < 1 || port > 65535) throw new KerberosError('config', `KDC port in "${text}" is out of range`);
  return { host: m[1]!, port, ...(transport ? { transport } : {}) };
}
