/**
 * MIT FILE: credential caches, as `kinit` leaves them (format version 4, 0x0504, big-endian), per MIT
 * krb5 doc/formats/ccache_file_format.rst. Read-only: the provider uses tickets a user obtained and
 * never writes to their cache. Configuration entries (server realm `X-CACHECONF:`) are skipped.
 */
import { isSupportedEnctype, type EncryptionKey } from './crypto/aes-sha1-profile';
import { KerberosError } from './kerberos-error';
import type { Principal } from './messages/krb-types';

export interface CachedCredential {
  readonly client: Principal;
  readonly server: Principal;
  readonly key: EncryptionKey;
  readonly endtime: Date;
  /** The Ticket, DER-encoded, as the KDC issued it. */
  readonly ticket: Buffer;
}

export interface Ccache {
  readonly defaultPrincipal: Principal;
  readonly credentials: readonly CachedCredential[];
}

const MAX_CCACHE_BYTES = 16 * 1024 * 1024;

/** `FILE:/path` or a bare path; other cache types (KEYRING:, KCM:, MEMORY:) cannot be read from a file. */
export function ccachePath(name: string): string {
  const m = /^([A-Za-z]+):(.*)$/.exec(name);
  if (!m) return name;
  if (m[1]!.toUpperCase() !== 'FILE')
    throw new KerberosError(
      'credentials',
      `credential cache type ${m[1]}: is not supported; use a FILE: cache (KRB5CCNAME=FILE:/path, then kinit)`,
    );
  return m[2]!;
}

export function parseCcache(buf: Buffer): Ccache {
  if (buf.length > MAX_CCACHE_BYTES) throw new KerberosError('credentials', 'credential cache is larger than 16 MiB');
  let at = 0;
  const need = (n: number): void => {
    if (at + n > buf.length) throw new KerberosError('credentials', 'credential cache is truncated');
  };
  const u8 = (): number => {
    need(1);
    return buf[at++]!;
  };
  const u16 = (): number => {
    need(2);
    at += 2;
    return buf.readUInt16BE(at - 2);
  };
  const u32 = (): number => {
    need(4);
    at += 4;
    return buf.readUInt32BE(at - 4);
  };
  const data = (): Buffer => {
    const n = u32();
    need(n);
    at += n;
    return Buffer.from(buf.subarray(at - n, at));
  };
  const principal = (): Principal => {
    const nameType = u32();
    const count = u32();
    if (count > 64) throw new KerberosError('credentials', 'credential cache principal has too many components');
    const realm = data().toString('utf8');
    const names: string[] = [];
    for (let i = 0; i < count; i++) names.push(data().toString('utf8'));
    return { nameType, names, realm };
  };
  if (u16() !== 0x0504) throw new KerberosError('credentials', 'not an MIT credential cache of version 4 (0x0504)');
  const headerLength = u16();
  need(headerLength);
  at += headerLength;
  const defaultPrincipal = principal();
  const credentials: CachedCredential[] = [];
  while (at < buf.length) {
    const client = principal();
    const server = principal();
    const etype = u16();
    const value = data();
    u32(); // authtime
    u32(); // starttime
    const endtime = new Date(u32() * 1000);
    u32(); // renew_till
    u8(); // is_skey
    u32(); // ticket flags
    for (let n = u32(), i = 0; i < n; i++) {
      u16();
      data();
    } // addresses
    for (let n = u32(), i = 0; i < n; i++) {
      u16();
      data();
    } // authdata
    const ticket = data();
    data(); // second ticket
    if (server.realm === 'X-CACHECONF:' || !isSupportedEnctype(etype)) continue;
    credentials.push({ client, server, key: { etype, value }, endtime, ticket });
  }
  return { defaultPrincipal, credentials };
}
