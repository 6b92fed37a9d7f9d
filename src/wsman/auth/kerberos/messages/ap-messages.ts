/**
 * The client/server exchange of RFC 4120 section 5.5: AP-REQ with its Authenticator, AP-REP with
 * EncAPRepPart, and EncTicketPart (5.3), which only an acceptor holding the service key can read.
 */
import {
  Fields,
  expectTlv,
  field,
  flags32,
  generalString,
  integer,
  kerberosTime,
  readFlags32,
  readTlv,
  seq,
  TAG,
  application,
} from '../der';
import type { EncryptionKey } from '../crypto/aes-sha1-profile';
import { KerberosError } from '../kerberos-error';
import {
  decodeChecksum,
  decodeEncryptedData,
  decodeEncryptionKey,
  decodePrincipalName,
  decodeTicket,
  encodeChecksum,
  encodeEncryptedData,
  encodeEncryptionKey,
  encodePrincipalName,
  seqApplication,
  type Checksum,
  type EncryptedData,
  type PrincipalName,
  type Ticket,
} from './krb-types';
import { MSG_TYPE } from './kdc-messages';

/** APOptions (RFC 4120 5.5.1). */
export const AP_OPTION = { mutualRequired: 0x20000000 } as const;

export interface ApReq {
  readonly options: number;
  readonly ticket: Ticket;
  readonly authenticator: EncryptedData;
}

export function encodeApReq(options: number, ticket: Buffer, authenticator: EncryptedData): Buffer {
  return seqApplication(
    MSG_TYPE.apReq,
    seq(
      field(0, integer(5)),
      field(1, integer(MSG_TYPE.apReq)),
      field(2, flags32(options)),
      field(3, ticket),
      field(4, encodeEncryptedData(authenticator)),
    ),
  );
}

export function decodeApReq(buf: Buffer): ApReq {
  const f = Fields.application(buf, MSG_TYPE.apReq, 'AP-REQ');
  if (f.int(0) !== 5 || f.int(1) !== MSG_TYPE.apReq) throw new KerberosError('bad-message', 'AP-REQ: wrong version or message type');
  return {
    options: readFlags32(f.need(2)),
    ticket: decodeTicket(Buffer.from(f.need(3).raw)),
    authenticator: decodeEncryptedData(f.need(4)),
  };
}

export interface Authenticator {
  readonly crealm: string;
  readonly cname: PrincipalName;
  readonly cksum?: Checksum;
  readonly cusec: number;
  readonly ctime: Date;
  readonly subkey?: EncryptionKey;
  readonly seqNumber?: number;
}

export function encodeAuthenticator(a: Authenticator): Buffer {
  return seqApplication(
    2,
    seq(
      field(0, integer(5)),
      field(1, generalString(a.crealm)),
      field(2, encodePrincipalName(a.cname)),
      field(3, a.cksum === undefined ? undefined : encodeChecksum(a.cksum)),
      field(4, integer(a.cusec)),
      field(5, kerberosTime(a.ctime)),
      field(6, a.subkey === undefined ? undefined : encodeEncryptionKey(a.subkey)),
      field(7, a.seqNumber === undefined ? undefined : integer(a.seqNumber)),
    ),
  );
}

function openApplication(plain: Buffer, app: number, what: string): Fields {
  // Decrypted plaintext may carry padding after the DER (RFC 3961 section 3); read the first TLV only.
  const outer = readTlv(plain).tlv;
  if (outer.tag !== application(app)) throw new KerberosError('bad-message', `${what} has an unexpected tag`);
  return Fields.sequence(expectTlv(outer.value, TAG.sequence, what), what);
}

export function decodeAuthenticator(plain: Buffer): Authenticator {
  const f = openApplication(plain, 2, 'Authenticator');
  return {
    crealm: f.str(1),
    cname: decodePrincipalName(f.need(2)),
    ...(f.has(3) ? { cksum: decodeChecksum(f.need(3)) } : {}),
    cusec: f.int(4),
    ctime: f.time(5),
    ...(f.has(6) ? { subkey: decodeEncryptionKey(f.need(6)) } : {}),
    ...(f.has(7) ? { seqNumber: f.int(7) >>> 0 } : {}),
  };
}

export function encodeApRep(encPart: EncryptedData): Buffer {
  return seqApplication(
    MSG_TYPE.apRep,
    seq(field(0, integer(5)), field(1, integer(MSG_TYPE.apRep)), field(2, encodeEncryptedData(encPart))),
  );
}

export function decodeApRep(buf: Buffer): EncryptedData {
  const f = Fields.application(buf, MSG_TYPE.apRep, 'AP-REP');
  if (f.int(0) !== 5 || f.int(1) !== MSG_TYPE.apRep) throw new KerberosError('bad-message', 'AP-REP: wrong version or message type');
  return decodeEncryptedData(f.need(2));
}

export interface EncApRepPart {
  readonly ctime: Date;
  readonly cusec: number;
  readonly subkey?: EncryptionKey;
  readonly seqNumber?: number;
}

export function encodeEncApRepPart(p: EncApRepPart): Buffer {
  return seqApplication(
    27,
    seq(
      field(0, kerberosTime(p.ctime)),
      field(1, integer(p.cusec)),
      field(2, p.subkey === undefined ? undefined : encodeEncryptionKey(p.subkey)),
      field(3, p.seqNumber === undefined ? undefined : integer(p.seqNumber)),
    ),
  );
}

export function decodeEncApRepPart(plain: Buffer): EncApRepPart {
  const f = openApplication(plain, 27, 'EncAPRepPart');
  return {
    ctime: f.time(0),
    cusec: f.int(1),
    ...(f.has(2) ? { subkey: decodeEncryptionKey(f.need(2)) } : {}),
    ...(f.has(3) ? { seqNumber: f.int(3) >>> 0 } : {}),
  };
}

export interface EncTicketPart {
  readonly flags: number;
  readonly key: EncryptionKey;
  readonly crealm: string;
  readonly cname: PrincipalName;
  readonly authtime: Date;
  readonly starttime?: Date;
  readonly endtime: Date;
}

export function decodeEncTicketPart(plain: Buffer): EncTicketPart {
  const f = openApplication(plain, 3, 'EncTicketPart');
  return {
    flags: readFlags32(f.need(0)),
    key: decodeEncryptionKey(f.need(1)),
    crealm: f.str(2),
    cname: decodePrincipalName(f.need(3)),
    authtime: f.time(5),
    ...(f.has(6) ? { starttime: f.time(6) } : {}),
    endtime: f.time(7),
  };
}
