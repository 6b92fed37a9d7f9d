/**
 * The acceptor (server) side of a Kerberos GSS-API context, sans I/O (RFC 4120 3.2.3, RFC 4121 4.1):
 * decrypts the ticket with the service key from a keytab, checks the authenticator (names, time within
 * the allowed skew, not replayed), the 0x8003 checksum and its channel bindings, and answers mutual
 * authentication with an AP-REP carrying a fresh acceptor subkey. Used by the emulator and tests.
 */
import { randomInt } from 'node:crypto';
import { decrypt, encrypt, randomKey, usageKeys } from '../crypto/aes-sha1-profile';
import { KerberosError } from '../kerberos-error';
import type { KeytabEntry } from '../keytab';
import { AP_OPTION, decodeApReq, decodeAuthenticator, decodeEncTicketPart, encodeApRep, encodeEncApRepPart } from '../messages/ap-messages';
import { principalText, type Principal } from '../messages/krb-types';
import {
  GSS_CHECKSUM_TYPE,
  GSS_FLAG,
  TOK_ID,
  channelBindingsHash,
  decodeGssChecksum,
  frameKrb5Token,
  unframeKrb5Token,
} from './gss-framing';
import { KerberosSession } from './gss-session';

const USAGE = { ticket: 2, apReqAuthenticator: 11, apRepEncPart: 12 } as const;
/** RFC 4120 1.6 / krb5.conf clockskew: 5 minutes by default on MIT and Windows. */
const MAX_SKEW_MS = 5 * 60 * 1000;

/**
 * How channel bindings are enforced, named as WinRM's CbtHardeningLevel: None ignores them, Relaxed
 * checks them when the client sent some, Strict refuses a client that sent none.
 */
export type ChannelBindingPolicy = 'None' | 'Relaxed' | 'Strict';

export interface AcceptOptions {
  readonly keys: readonly KeytabEntry[];
  /** The application data of our end of the channel (tls-server-end-point); undefined over plain HTTP. */
  readonly channelBindings?: Buffer;
  readonly policy: ChannelBindingPolicy;
  readonly replay: ReplayCache;
  readonly now?: () => Date;
}

export interface Accepted {
  readonly client: Principal;
  readonly session: KerberosSession;
  /** The GSS-API AP-REP token for mutual authentication (absent when the client did not ask). */
  readonly responseToken?: Buffer;
}

/** Authenticators seen within the skew window (RFC 4120 3.2.3 replay detection), bounded in size. */
export class ReplayCache {
  private readonly seen = new Map<string, number>();
  constructor(private readonly max = 10_000) {}

  /** Records an authenticator; false when it was seen before. */
  record(key: string, nowMs: number): boolean {
    for (const [k, expiry] of this.seen) {
      if (expiry > nowMs && this.seen.size < this.max) break;
      this.seen.delete(k);
    }
    if (this.seen.has(key)) return false;
    this.seen.set(key, nowMs + 2 * MAX_SKEW_MS);
    return true;
  }
}

export function acceptKerberos(token: Buffer, o: AcceptOptions): Accepted {
  const now = (o.now ?? (() => new Date()))();
  const { tokId, inner } = unframeKrb5Token(token);
  if (tokId !== TOK_ID.apReq) throw new KerberosError('bad-message', `expected an AP-REQ token, got token id 0x${tokId.toString(16)}`);
  const apReq = decodeApReq(inner);
  const sname = { ...apReq.ticket.sname, realm: apReq.ticket.realm };
  const entry = o.keys
    .filter(
      (k) =>
        k.key.etype === apReq.ticket.encPart.etype && (apReq.ticket.encPart.kvno === undefined || k.kvno === apReq.ticket.encPart.kvno),
    )
    .find(
      (k) =>
        k.principal.realm.toUpperCase() === sname.realm.toUpperCase() &&
        k.principal.names.join('/').toLowerCase() === sname.names.join('/').toLowerCase(),
    );
  if (!entry)
    throw new KerberosError(
      'refused',
      `no key for ${principalText(sname)} (etype ${apReq.ticket.encPart.etype}, kvno ${apReq.ticket.encPart.kvno ?? '?'}) in the keytab`,
    );
  const ticket = decodeEncTicketPart(decrypt(usageKeys(entry.key, USAGE.ticket), apReq.ticket.encPart.cipher));
  const start = (ticket.starttime ?? ticket.authtime).getTime();
  if (start - MAX_SKEW_MS > now.getTime()) throw new KerberosError('refused', 'ticket not yet valid (KRB_AP_ERR_TKT_NYV)');
  if (ticket.endtime.getTime() + MAX_SKEW_MS < now.getTime()) throw new KerberosError('refused', 'ticket expired (KRB_AP_ERR_TKT_EXPIRED)');
  const auth = decodeAuthenticator(decrypt(usageKeys(ticket.key, USAGE.apReqAuthenticator), apReq.authenticator.cipher));
  const client: Principal = { ...ticket.cname, realm: ticket.crealm };
  if (principalText({ ...auth.cname, realm: auth.crealm }) !== principalText(client))
    throw new KerberosError('refused', 'authenticator names another client than the ticket (KRB_AP_ERR_BADMATCH)');
  if (Math.abs(auth.ctime.getTime() - now.getTime()) > MAX_SKEW_MS)
    throw new KerberosError('refused', 'authenticator time outside the allowed clock skew (KRB_AP_ERR_SKEW)');
  if (!o.replay.record(`${principalText(client)}|${auth.ctime.getTime()}|${auth.cusec}`, now.getTime()))
    throw new KerberosError('refused', 'authenticator replayed (KRB_AP_ERR_REPEAT)');
  if (!auth.cksum || auth.cksum.type !== GSS_CHECKSUM_TYPE)
    throw new KerberosError('refused', 'authenticator carries no GSS-API checksum (RFC 4121 4.1.1)');
  const gss = decodeGssChecksum(auth.cksum.value);
  checkBindings(gss.bindingsHash, o);
  const mutual = (apReq.options & AP_OPTION.mutualRequired) !== 0 || (gss.flags & GSS_FLAG.mutual) !== 0;
  if (!mutual) {
    const key = auth.subkey ?? ticket.key;
    const seq = auth.seqNumber ?? 0;
    return { client, session: new KerberosSession({ role: 'acceptor', key, acceptorSubkey: false, sendSeq: seq, receiveSeq: seq }) };
  }
  const subkey = randomKey(ticket.key.etype);
  const seqNumber = randomInt(0, 0x40000000);
  const encPart = encodeEncApRepPart({ ctime: auth.ctime, cusec: auth.cusec, subkey, seqNumber });
  const apRep = encodeApRep({ etype: ticket.key.etype, cipher: encrypt(usageKeys(ticket.key, USAGE.apRepEncPart), encPart) });
  return {
    client,
    session: new KerberosSession({
      role: 'acceptor',
      key: subkey,
      acceptorSubkey: true,
      sendSeq: seqNumber,
      receiveSeq: auth.seqNumber ?? 0,
    }),
    responseToken: frameKrb5Token(TOK_ID.apRep, apRep),
  };
}

function checkBindings(received: Buffer, o: AcceptOptions): void {
  if (o.policy === 'None') return;
  const none = received.equals(Buffer.alloc(16));
  if (none) {
    if (o.policy === 'Strict' && o.channelBindings !== undefined)
      throw new KerberosError('refused', 'the client sent no channel bindings and CbtHardeningLevel is Strict');
    return;
  }
  if (!received.equals(channelBindingsHash(o.channelBindings)))
    throw new KerberosError('refused', 'channel bindings do not match this TLS channel (a relayed authentication?)');
}
