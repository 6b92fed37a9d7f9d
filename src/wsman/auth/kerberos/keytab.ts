/**
 * MIT keytab files (the format `kadmin ktadd` and `ktpass` write; version 0x0502, big-endian),
 * documented in MIT krb5 doc/formats/keytab_file_format.rst. Hand-written: a flat binary format of a few
 * fields. Entries of encryption types we do not implement are skipped, not refused.
 */
import { isSupportedEnctype, type EncryptionKey } from './crypto/aes-sha1-profile';
import { KerberosError } from './kerberos-error';
import type { Principal } from './messages/krb-types';

export interface KeytabEntry {
  readonly principal: Principal;
  readonly kvno: number;
  readonly key: EncryptionKey;
}

const MAX_KEYTAB_BYTES = 16 * 1024 * 1024;

class Reader {
  at = 0;
  constructor(
    readonly buf: Buffer,
    readonly end: number,
  ) {}
  need(n: number): void {
    if (this.at + n > this.end) throw new KerberosError('credentials', 'keytab entry is truncated');
  }
  u8(): number {
    this.need(1);
    return this.buf[this.at++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.at);
    this.at += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const v = Buffer.from(this.buf.subarray(this.at, this.at + n));
    this.at += n;
    return v;
  }
  counted(): string {
    return this.bytes(this.u16()).toString('utf8');
  }
}

export function parseKeytab(buf: Buffer): KeytabEntry[] {
  if (buf.length > MAX_KEYTAB_BYTES) throw new KerberosError('credentials', 'keytab is larger than 16 MiB');
  if (buf.length < 2 || buf[0] !== 0x05 || buf[1] !== 0x02) throw new KerberosError('credentials', 'not an MIT keytab (version 0x0502)');
  const out: KeytabEntry[] = [];
  let at = 2;
  while (at + 4 <= buf.length) {
    const size = buf.readInt32BE(at);
    at += 4;
    // A negative size marks a deleted entry (a hole) of that many bytes.
    if (size < 0) {
      at += -size;
      continue;
    }
    if (at + size > buf.length) throw new KerberosError('credentials', 'keytab entry runs past the end of the file');
    const r = new Reader(buf, at + size);
    r.at = at;
    const count = r.u16();
    const realm = r.counted();
    const names: string[] = [];
    for (let i = 0; i < count; i++) names.push(r.counted());
    const nameType = r.u32();
    r.u32(); // timestamp
    const vno8 = r.u8();
    const etype = r.u16();
    const value = r.bytes(r.u16());
    // A 32-bit kvno follows when the entry has room for it; it supersedes the 8-bit one.
    const kvno = r.at + 4 <= at + size ? r.u32() : vno8;
    if (isSupportedEnctype(etype)) out.push({ principal: { nameType, names, realm }, kvno, key: { etype, value } });
    at += size;
  }
  return out;
}
