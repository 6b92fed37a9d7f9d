/**
 * The GSS-API framing of Kerberos tokens (RFC 2743 3.1, RFC 4121 4.1): an [APPLICATION 0] wrapper with
 * the Kerberos mechanism OID and a two-byte token id around the AP-REQ, AP-REP or KRB-ERROR; and the
 * authenticator checksum of type 0x8003 (RFC 4121 4.1.1) carrying the context flags and the MD5 of
 * the channel bindings (RFC 2744 3.11 layout; RFC 5929 tls-server-end-point data).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { decodeOidBody } from '../../../../common';
import { children, expectTlv, oid, readTlv, tlv, TAG } from '../der';
import { KerberosError } from '../kerberos-error';

export const OID = {
  krb5: '1.2.840.113554.1.2.2',
  /** The OID Windows clients list first (a historical mis-encoding of krb5's), accepted as krb5. */
  msKrb5: '1.2.840.48018.1.2.2',
  spnego: '1.3.6.1.5.5.2',
  ntlm: '1.3.6.1.4.1.311.2.2.10',
} as const;

export const TOK_ID = { apReq: 0x0100, apRep: 0x0200, error: 0x0300 } as const;

export function frameKrb5Token(tokId: number, inner: Buffer): Buffer {
  const id = Buffer.alloc(2);
  id.writeUInt16BE(tokId, 0);
  return tlv(0x60, Buffer.concat([oid(OID.krb5), id, inner]));
}

export function unframeKrb5Token(token: Buffer): { tokId: number; inner: Buffer } {
  const outer = expectTlv(token, 0x60, 'GSS-API token');
  const { tlv: mech, next } = readTlv(outer.value);
  const mechOid = mech.tag === TAG.oid ? oidText(mech.value) : '';
  if (mechOid !== OID.krb5 && mechOid !== OID.msKrb5)
    throw new KerberosError('bad-message', `GSS-API token for mechanism ${mechOid || '?'} is not Kerberos`);
  if (next + 2 > outer.value.length) throw new KerberosError('bad-message', 'GSS-API token is truncated');
  return { tokId: outer.value.readUInt16BE(next), inner: Buffer.from(outer.value.subarray(next + 2)) };
}

export function oidText(body: Buffer): string {
  const text = decodeOidBody(body);
  if (text === undefined) throw new KerberosError('bad-message', 'malformed OID');
  return text;
}

/** GSS context flags (RFC 2744 3.9.2). */
export const GSS_FLAG = { deleg: 1, mutual: 2, replay: 4, sequence: 8, conf: 16, integ: 32 } as const;
/** What Windows' WinRM client asks for: mutual authentication, replay and sequence detection, confidentiality, integrity. */
export const CLIENT_GSS_FLAGS = GSS_FLAG.mutual | GSS_FLAG.replay | GSS_FLAG.sequence | GSS_FLAG.conf | GSS_FLAG.integ;
export const GSS_CHECKSUM_TYPE = 0x8003;

export function encodeGssChecksum(bindingsHash: Buffer, flags: number): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt32LE(16, 0);
  bindingsHash.copy(b, 4);
  b.writeUInt32LE(flags >>> 0, 20);
  return b;
}

export function decodeGssChecksum(value: Buffer): { bindingsHash: Buffer; flags: number } {
  if (value.length < 24 || value.readUInt32LE(0) !== 16)
    throw new KerberosError('bad-message', 'the authenticator checksum is not a GSS-API checksum (RFC 4121 4.1.1)');
  return { bindingsHash: Buffer.from(value.subarray(4, 20)), flags: value.readUInt32LE(20) };
}

/**
 * MD5 of gss_channel_bindings_struct with no addresses and `applicationData` (RFC 4121 4.1.1.2); 16
 * zero bytes when there are no bindings (plain HTTP).
 */
export function channelBindingsHash(applicationData: Buffer | undefined): Buffer {
  if (applicationData === undefined) return Buffer.alloc(16);
  const head = Buffer.alloc(20);
  head.writeUInt32LE(applicationData.length, 16);
  return createHash('md5').update(head).update(applicationData).digest();
}

/** Hash algorithms by certificate signature OID; MD5 and SHA-1 become SHA-256 (RFC 5929 4.1). */
const SIGNATURE_HASH: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.4': 'sha256',
  '1.2.840.113549.1.1.5': 'sha256',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha256',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

/** The RFC 5929 `tls-server-end-point` channel binding of a server certificate (DER). */
export function tlsServerEndPoint(certificateDer: Buffer): Buffer {
  new X509Certificate(certificateDer); // refuses what is not a certificate before we read its fields
  const cert = children(expectTlv(certificateDer, TAG.sequence, 'certificate').value);
  const alg = cert[1] && cert[1].tag === TAG.sequence ? children(cert[1].value)[0] : undefined;
  const sigOid = alg && alg.tag === TAG.oid ? oidText(alg.value) : '';
  const hash = SIGNATURE_HASH[sigOid] ?? 'sha256';
  return Buffer.concat([Buffer.from('tls-server-end-point:', 'ascii'), createHash(hash).update(certificateDer).digest()]);
}
