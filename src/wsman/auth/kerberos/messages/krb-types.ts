/**
 * The RFC 4120 section 5.2 building blocks every Kerberos message shares: PrincipalName,
 * EncryptionKey, EncryptedData, Checksum, Ticket, PA-DATA, and KRB-ERROR (section 5.9.1).
 */
import { Fields, application, field, tlv, generalString, integer, octets, readSequenceOf, readString, seq, seqOf, type Tlv } from '../der';
import { asKey, type EncryptionKey } from '../crypto/aes-sha1-profile';
import { KerberosError } from '../kerberos-error';

/** RFC 4120 6.2 name types used here. */
export const NAME_TYPE = { principal: 1, srvInst: 2, srvHst: 3, enterprise: 10 } as const;

export interface PrincipalName {
  readonly nameType: number;
  readonly names: readonly string[];
}

/** A principal with its realm, written `name/inst@REALM`. */
export interface Principal extends PrincipalName {
  readonly realm: string;
}

export function principalText(p: Principal | (PrincipalName & { realm?: string })): string {
  return `${p.names.join('/')}${p.realm ? `@${p.realm}` : ''}`;
}

export function encodePrincipalName(p: PrincipalName): Buffer {
  return seq(field(0, integer(p.nameType)), field(1, seqOf(p.names.map(generalString))));
}

export function decodePrincipalName(t: Tlv): PrincipalName {
  const f = Fields.sequence(t, 'PrincipalName');
  return { nameType: f.int(0), names: readSequenceOf(f.need(1), 'PrincipalName').map(readString) };
}

export function samePrincipal(a: Principal, b: Principal): boolean {
  return (
    a.realm.toUpperCase() === b.realm.toUpperCase() &&
    a.names.length === b.names.length &&
    a.names.every((n, i) => n.toLowerCase() === b.names[i]!.toLowerCase())
  );
}

export function encodeEncryptionKey(k: EncryptionKey): Buffer {
  return seq(field(0, integer(k.etype)), field(1, octets(k.value)));
}

export function decodeEncryptionKey(t: Tlv): EncryptionKey {
  const f = Fields.sequence(t, 'EncryptionKey');
  return asKey(f.int(0), Buffer.from(f.bytes(1)));
}

export interface EncryptedData {
  readonly etype: number;
  readonly kvno?: number;
  readonly cipher: Buffer;
}

export function encodeEncryptedData(e: EncryptedData): Buffer {
  return seq(field(0, integer(e.etype)), field(1, e.kvno === undefined ? undefined : integer(e.kvno)), field(2, octets(e.cipher)));
}

export function decodeEncryptedData(t: Tlv): EncryptedData {
  const f = Fields.sequence(t, 'EncryptedData');
  return { etype: f.int(0), ...(f.has(1) ? { kvno: f.int(1) >>> 0 } : {}), cipher: Buffer.from(f.bytes(2)) };
}

export interface Checksum {
  readonly type: number;
  readonly value: Buffer;
}

export function encodeChecksum(c: Checksum): Buffer {
  return seq(field(0, integer(c.type)), field(1, octets(c.value)));
}

export function decodeChecksum(t: Tlv): Checksum {
  const f = Fields.sequence(t, 'Checksum');
  return { type: f.int(0), value: Buffer.from(f.bytes(1)) };
}

/** A Ticket ([APPLICATION 1]) as received: kept whole to be sent on, with the fields we read. */
export interface Ticket {
  readonly raw: Buffer;
  readonly realm: string;
  readonly sname: PrincipalName;
  readonly encPart: EncryptedData;
}

export function decodeTicket(raw: Buffer): Ticket {
  const f = Fields.application(raw, 1, 'Ticket');
  if (f.int(0) !== 5) throw new KerberosError('bad-message', 'Ticket is not version 5');
  return { raw: Buffer.from(raw), realm: f.str(1), sname: decodePrincipalName(f.need(2)), encPart: decodeEncryptedData(f.need(3)) };
}

/** `[APPLICATION n] SEQUENCE {…}`, the outer form of every Kerberos message. */
export function seqApplication(n: number, sequence: Buffer): Buffer {
  return tlv(application(n), sequence);
}

export interface PaData {
  readonly type: number;
  readonly value: Buffer;
}

/** PA-DATA numbers its fields from 1 (RFC 4120 5.2.7). */
export function encodePaData(p: PaData): Buffer {
  return seq(field(1, integer(p.type)), field(2, octets(p.value)));
}

export function decodePaDataList(t: Tlv): PaData[] {
  return readSequenceOf(t, 'METHOD-DATA').map((item) => {
    const f = Fields.sequence(item, 'PA-DATA');
    return { type: f.int(1), value: Buffer.from(f.bytes(2)) };
  });
}

/** KRB-ERROR (RFC 4120 5.9.1), the fields a client acts on. */
export interface KrbError {
  readonly code: number;
  readonly serverTime: Date;
  readonly realm: string;
  readonly sname: PrincipalName;
  readonly text?: string;
  readonly eData?: Buffer;
}

export const KRB_ERROR_APPLICATION = 30;

export function isKrbError(buf: Buffer): boolean {
  return buf.length > 0 && buf[0] === application(KRB_ERROR_APPLICATION);
}

export function decodeKrbError(buf: Buffer): KrbError {
  const f = Fields.application(buf, KRB_ERROR_APPLICATION, 'KRB-ERROR');
  const text = f.opt(11);
  const eData = f.opt(12);
  return {
    code: f.int(6),
    serverTime: f.time(4),
    realm: f.str(9),
    sname: decodePrincipalName(f.need(10)),
    ...(text ? { text: readString(text) } : {}),
    ...(eData ? { eData: Buffer.from(f.bytes(12)) } : {}),
  };
}
