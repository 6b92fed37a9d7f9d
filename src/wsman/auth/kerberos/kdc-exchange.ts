/**
 * The AS and TGS exchanges (RFC 4120 3.1 and 3.3), sans I/O: each function builds a request or reads a
 * reply; `kerberos-client.ts` carries them to the KDC. Replies are checked as RFC 4120 3.1.5 asks
 * (nonce, client and server names), and every KRB-ERROR becomes a KerberosError naming the step.
 */
import { randomInt } from 'node:crypto';
import {
  CKSUMTYPE,
  SUPPORTED_ENCTYPES,
  checksum,
  decrypt,
  encrypt,
  enctypeName,
  isSupportedEnctype,
  stringToKey,
  usageKeys,
  type EncryptionKey,
} from './crypto/aes-sha1-profile';
import { authenticatorTime } from './authenticator-time';
import { KerberosError, type KerberosFailure } from './kerberos-error';
import { encodeApReq, encodeAuthenticator } from './messages/ap-messages';
import {
  KDC_OPTION,
  MSG_TYPE,
  PA_TYPE,
  decodeEncKdcRepPart,
  decodeEtypeInfo2,
  decodeKdcRep,
  decodeMethodData,
  encodeKdcReq,
  encodeKdcReqBody,
  encodePaEncTsEnc,
  type EtypeInfo2Entry,
} from './messages/kdc-messages';
import {
  NAME_TYPE,
  decodeKrbError,
  encodeEncryptedData,
  isKrbError,
  principalText,
  samePrincipal,
  type KrbError,
  type PaData,
  type Principal,
} from './messages/krb-types';

/** RFC 4120 7.5.10 key usage numbers used in the KDC exchanges. */
const USAGE = { paEncTimestamp: 1, asRepEncPart: 3, tgsReqChecksum: 6, tgsReqAuthenticator: 7, tgsRepEncPart: 8 } as const;

/** A ticket and what comes with it: the session key and the names it was issued for. */
export interface Grant {
  readonly client: Principal;
  readonly server: Principal;
  /** DER Ticket, sent on as is. */
  readonly ticket: Buffer;
  readonly sessionKey: EncryptionKey;
  readonly endtime: Date;
}

/** Tickets last what the KDC allows (10 hours by default on Windows and MIT); we ask for a day. */
const REQUESTED_LIFETIME_MS = 24 * 3600 * 1000;

export const newNonce = (): number => randomInt(1, 0x7fffffff);

export function tgsPrincipal(realm: string): Principal {
  return { nameType: NAME_TYPE.srvInst, names: ['krbtgt', realm], realm };
}

/** AS-REQ for a TGT; with a key it carries PA-ENC-TIMESTAMP (RFC 4120 5.2.7.2). */
export function buildAsReq(client: Principal, nonce: number, now: Date, key?: EncryptionKey): Buffer {
  const padata: PaData[] = [];
  if (key) {
    const enc = encrypt(usageKeys(key, USAGE.paEncTimestamp), encodePaEncTsEnc(now));
    padata.push({ type: PA_TYPE.encTimestamp, value: encodeEncryptedData({ etype: key.etype, cipher: enc }) });
  }
  const body = encodeKdcReqBody({
    options: KDC_OPTION.forwardable | KDC_OPTION.renewableOk,
    cname: { nameType: client.nameType, names: client.names },
    realm: client.realm,
    sname: tgsPrincipal(client.realm),
    till: new Date(now.getTime() + REQUESTED_LIFETIME_MS),
    nonce,
    etypes: key ? [key.etype] : SUPPORTED_ENCTYPES,
  });
  return encodeKdcReq(MSG_TYPE.asReq, padata, body);
}

/** What a KDC_ERR_PREAUTH_REQUIRED answer tells us: the etype, salt and iterations to make our key with. */
export function preauthHint(err: KrbError, client: Principal): EtypeInfo2Entry {
  const info = err.eData ? decodeMethodData(err.eData).find((p) => p.type === PA_TYPE.etypeInfo2) : undefined;
  const entries = info ? decodeEtypeInfo2(info.value) : [];
  const usable = entries.find((e) => isSupportedEnctype(e.etype));
  if (!usable) {
    const offered = entries.map((e) => enctypeName(e.etype)).join(', ') || 'none';
    throw new KerberosError(
      'unsupported-etype',
      `AS exchange for ${principalText(client)}: the KDC offers no AES key for this account (offered: ${offered}); the account needs AES keys (msDS-SupportedEncryptionTypes, or a password change after AES was enabled)`,
    );
  }
  return usable;
}

/** The key a password gives for a hint; the default salt is the realm and the name components (RFC 4120 4). */
export function passwordKey(password: string, client: Principal, hint: EtypeInfo2Entry): EncryptionKey {
  if (!isSupportedEnctype(hint.etype)) throw new KerberosError('unsupported-etype', `${enctypeName(hint.etype)} is not supported`);
  return stringToKey(hint.etype, password, hint.salt ?? client.realm + client.names.join(''), hint.s2kparams);
}

/** Reads an AS reply: a TGT, or a KRB-ERROR (returned for the caller to act on, e.g. pre-authentication). */
export function readAsReply(reply: Buffer, client: Principal, nonce: number, key: EncryptionKey): Grant {
  const rep = decodeKdcRep(reply, MSG_TYPE.asRep);
  if (rep.encPart.etype !== key.etype)
    throw new KerberosError(
      'preauth-failed',
      `AS exchange for ${principalText(client)}: the KDC encrypted its reply with ${enctypeName(rep.encPart.etype)}, not the key we hold`,
    );
  let plain: Buffer;
  try {
    plain = decrypt(usageKeys(key, USAGE.asRepEncPart), rep.encPart.cipher);
  } catch (e) {
    if (e instanceof KerberosError && e.kind === 'integrity') {
      throw new KerberosError(
        'preauth-failed',
        `AS exchange for ${principalText(client)}: the reply does not decrypt with our key: wrong password or key`,
      );
    }
    throw e;
  }
  return grantFrom(rep, decodeEncKdcRepPart(plain), nonce, tgsPrincipal(client.realm), 'AS');
}

/** TGS-REQ for a service ticket, authenticated by the TGT (PA-TGS-REQ, RFC 4120 5.4.1). */
export function buildTgsReq(tgt: Grant, server: Principal, nonce: number, now: Date): Buffer {
  const body = encodeKdcReqBody({
    options: KDC_OPTION.forwardable | KDC_OPTION.canonicalize,
    realm: server.realm,
    sname: { nameType: server.nameType, names: server.names },
    till: new Date(now.getTime() + REQUESTED_LIFETIME_MS),
    nonce,
    etypes: SUPPORTED_ENCTYPES,
  });
  const cksum = { type: CKSUMTYPE[tgt.sessionKey.etype], value: checksum(usageKeys(tgt.sessionKey, USAGE.tgsReqChecksum), body) };
  const authenticator = encodeAuthenticator({ crealm: tgt.client.realm, cname: tgt.client, cksum, ...authenticatorTime(now) });
  const apReq = encodeApReq(0, tgt.ticket, {
    etype: tgt.sessionKey.etype,
    cipher: encrypt(usageKeys(tgt.sessionKey, USAGE.tgsReqAuthenticator), authenticator),
  });
  return encodeKdcReq(MSG_TYPE.tgsReq, [{ type: PA_TYPE.tgsReq, value: apReq }], body);
}

export function readTgsReply(reply: Buffer, tgt: Grant, server: Principal, nonce: number): Grant {
  const rep = decodeKdcRep(reply, MSG_TYPE.tgsRep);
  const plain = decrypt(usageKeys(tgt.sessionKey, USAGE.tgsRepEncPart), rep.encPart.cipher);
  return grantFrom(rep, decodeEncKdcRepPart(plain), nonce, server, 'TGS');
}

function grantFrom(
  rep: ReturnType<typeof decodeKdcRep>,
  enc: ReturnType<typeof decodeEncKdcRepPart>,
  nonce: number,
  server: Principal,
  step: 'AS' | 'TGS',
): Grant {
  if (enc.nonce !== nonce >>> 0)
    throw new KerberosError('integrity', `${step} exchange: the reply's nonce does not match the request (a replayed reply?)`);
  const issuedFor = { ...enc.sname, realm: enc.srealm };
  // With canonicalize the KDC may return the service's canonical name; the realm and first component must agree.
  if (step === 'AS' ? !samePrincipal(issuedFor, server) : issuedFor.names[0]?.toLowerCase() !== server.names[0]?.toLowerCase()) {
    throw new KerberosError(
      'integrity',
      `${step} exchange: ticket issued for ${principalText(issuedFor)}, asked for ${principalText(server)}`,
    );
  }
  return {
    client: { ...rep.cname, realm: rep.crealm },
    server: issuedFor,
    ticket: rep.ticket.raw,
    sessionKey: enc.key,
    endtime: enc.endtime,
  };
}

/** RFC 4120 7.5.9 codes a user can act on, with the step and what to do. */
export function kdcFailure(err: KrbError, step: 'AS' | 'TGS', subject: string, now: Date): KerberosError {
  const at = `${step} exchange for ${subject}`;
  const extra = err.text ? ` (${err.text})` : '';
  const make = (kind: KerberosFailure, text: string): KerberosError =>
    new KerberosError(kind, `${at}: ${text}${extra}`, { code: err.code });
  switch (err.code) {
    case 6:
      return make('principal-unknown', `the KDC does not know the client principal (KDC_ERR_C_PRINCIPAL_UNKNOWN)`);
    case 7:
      return make(
        'spn-unknown',
        `the KDC does not know the service principal (KDC_ERR_S_PRINCIPAL_UNKNOWN): register the SPN on the host's account (setspn -S HTTP/<host> <account>) or set kerberos_spn`,
      );
    case 24:
      return make('preauth-failed', 'pre-authentication failed (KDC_ERR_PREAUTH_FAILED): wrong password or key');
    case 18:
      return make(
        'kdc-error',
        "the client's credentials have been revoked (KDC_ERR_CLIENT_REVOKED): account disabled, locked out or expired",
      );
    case 23:
      return make('kdc-error', 'the password has expired (KDC_ERR_KEY_EXPIRED)');
    case 14:
      return make('unsupported-etype', 'the KDC has no AES key for this principal (KDC_ERR_ETYPE_NOSUPP)');
    case 37: {
      const skew = Math.round((now.getTime() - err.serverTime.getTime()) / 1000);
      return make(
        'clock-skew',
        `clock skew too great (KRB_AP_ERR_SKEW): this machine's clock is ${Math.abs(skew)} s ${skew > 0 ? 'ahead of' : 'behind'} the KDC's; synchronise the clocks (Kerberos allows 5 minutes by default)`,
      );
    }
    default:
      return make('kdc-error', `the KDC answered with error ${err.code}`);
  }
}

/** A KRB-ERROR, or undefined when the reply is a normal reply. */
export function asKrbError(reply: Buffer): KrbError | undefined {
  return isKrbError(reply) ? decodeKrbError(reply) : undefined;
}
