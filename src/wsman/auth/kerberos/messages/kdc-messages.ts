/**
 * The KDC exchanges of RFC 4120 section 5.4: AS-REQ / TGS-REQ (KDC-REQ), AS-REP / TGS-REP (KDC-REP) and
 * their encrypted parts, PA-ENC-TIMESTAMP (5.2.7.2) and ETYPE-INFO2 (5.2.7.5).
 */
import {
  Fields,
  field,
  flags32,
  generalString,
  integer,
  kerberosTime,
  readFlags32,
  readSequenceOf,
  readString,
  seq,
  seqOf,
  readTlv,
  expectTlv,
  application,
  TAG,
} from '../der';
import type { EncryptionKey } from '../crypto/aes-sha1-profile';
import { KerberosError } from '../kerberos-error';
import {
  decodeEncryptedData,
  decodeEncryptionKey,
  decodePaDataList,
  decodePrincipalName,
  decodeTicket,
  encodePaData,
  encodePrincipalName,
  seqApplication,
  type EncryptedData,
  type PaData,
  type PrincipalName,
  type Ticket,
} from './krb-types';

export const MSG_TYPE = { asReq: 10, asRep: 11, tgsReq: 12, tgsRep: 13, apReq: 14, apRep: 15 } as const;
export const PA_TYPE = { tgsReq: 1, encTimestamp: 2, etypeInfo2: 19, pacRequest: 128 } as const;

/** KDCOptions bits (RFC 4120 5.4.1; bit 0 is the most significant). */
export const KDC_OPTION = { forwardable: 0x40000000, renewableOk: 0x00000010, canonicalize: 0x00010000 } as const;

export interface KdcReqBody {
  readonly options: number;
  readonly cname?: PrincipalName;
  readonly realm: string;
  readonly sname: PrincipalName;
  readonly till: Date;
  readonly nonce: number;
  readonly etypes: readonly number[];
}

/** KDC-REQ-BODY, DER-encoded: the TGS-REQ authenticator's checksum covers exactly these bytes. */
export function encodeKdcReqBody(b: KdcReqBody): Buffer {
  return seq(
    field(0, flags32(b.options)),
    field(1, b.cname === undefined ? undefined : encodePrincipalName(b.cname)),
    field(2, generalString(b.realm)),
    field(3, encodePrincipalName(b.sname)),
    field(5, kerberosTime(b.till)),
    field(7, integer(b.nonce)),
    field(8, seqOf(b.etypes.map(integer))),
  );
}

export function encodeKdcReq(msgType: typeof MSG_TYPE.asReq | typeof MSG_TYPE.tgsReq, padata: readonly PaData[], body: Buffer): Buffer {
  return seqApplication(
    msgType,
    seq(
      field(1, integer(5)),
      field(2, integer(msgType)),
      field(3, padata.length > 0 ? seqOf(padata.map(encodePaData)) : undefined),
      field(4, body),
    ),
  );
}

export interface KdcRep {
  readonly msgType: number;
  readonly padata: readonly PaData[];
  readonly crealm: string;
  readonly cname: PrincipalName;
  readonly ticket: Ticket;
  readonly encPart: EncryptedData;
}

export function decodeKdcRep(buf: Buffer, msgType: typeof MSG_TYPE.asRep | typeof MSG_TYPE.tgsRep): KdcRep {
  const what = msgType === MSG_TYPE.asRep ? 'AS-REP' : 'TGS-REP';
  const f = Fields.application(buf, msgType, what);
  if (f.int(0) !== 5 || f.int(1) !== msgType) throw new KerberosError('bad-message', `${what}: wrong version or message type`);
  const padata = f.opt(2);
  return {
    msgType,
    padata: padata ? decodePaDataList(padata) : [],
    crealm: f.str(3),
    cname: decodePrincipalName(f.need(4)),
    ticket: decodeTicket(Buffer.from(f.need(5).raw)),
    encPart: decodeEncryptedData(f.need(6)),
  };
}

export interface EncKdcRepPart {
  readonly key: EncryptionKey;
  readonly nonce: number;
  readonly flags: number;
  readonly authtime: Date;
  readonly starttime?: Date;
  readonly endtime: Date;
  readonly renewTill?: Date;
  readonly srealm: string;
  readonly sname: PrincipalName;
}

/**
 * EncASRepPart is [APPLICATION 25] and EncTGSRepPart [26]; RFC 4120 5.4.2 notes that some KDCs send 26
 * for both, and that clients accept either.
 */
export function decodeEncKdcRepPart(plain: Buffer): EncKdcRepPart {
  const outer = readTlv(plain).tlv; // ignore padding some enctypes leave after the DER (RFC 3961 3)
  if (outer.tag !== application(25) && outer.tag !== application(26))
    throw new KerberosError('bad-message', 'EncKDCRepPart has an unexpected tag');
  const f = Fields.sequence(expectTlv(outer.value, TAG.sequence, 'EncKDCRepPart'), 'EncKDCRepPart');
  return {
    key: decodeEncryptionKey(f.need(0)),
    nonce: f.int(2) >>> 0,
    flags: readFlags32(f.need(4)),
    authtime: f.time(5),
    ...(f.has(6) ? { starttime: f.time(6) } : {}),
    endtime: f.time(7),
    ...(f.has(8) ? { renewTill: f.time(8) } : {}),
    srealm: f.str(9),
    sname: decodePrincipalName(f.need(10)),
  };
}

/** PA-ENC-TS-ENC: the client's current time, encrypted with its long-term key (key usage 1). */
export function encodePaEncTsEnc(now: Date): Buffer {
  return seq(field(0, kerberosTime(now)), field(1, integer((now.getTime() % 1000) * 1000)));
}

export interface EtypeInfo2Entry {
  readonly etype: number;
  readonly salt?: string;
  readonly s2kparams?: Buffer;
}

export function decodeEtypeInfo2(value: Buffer): EtypeInfo2Entry[] {
  const { tlv } = readTlv(value);
  return readSequenceOf(tlv, 'ETYPE-INFO2').map((entry) => {
    const f = Fields.sequence(entry, 'ETYPE-INFO2-ENTRY');
    const salt = f.opt(1);
    return { etype: f.int(0), ...(salt ? { salt: readString(salt) } : {}), ...(f.has(2) ? { s2kparams: Buffer.from(f.bytes(2)) } : {}) };
  });
}

/** METHOD-DATA carried in a KDC_ERR_PREAUTH_REQUIRED error's e-data. */
export function decodeMethodData(eData: Buffer): PaData[] {
  return decodePaDataList(readTlv(eData).tlv);
}
