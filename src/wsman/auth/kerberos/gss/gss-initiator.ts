/**
 * The initiator (client) side of a Kerberos GSS-API context, sans I/O (RFC 4121 4.1, RFC 4120 3.2):
 * `initialToken()` builds the AP-REQ from a service ticket, with a fresh subkey, a random initial
 * sequence number and the 0x8003 checksum carrying the channel bindings; `complete()` verifies the
 * acceptor's AP-REP (mutual authentication) and returns the session keyed with the acceptor's subkey.
 * SPNEGO wrapping (`spnego: true`) is what `Authorization: Negotiate` carries.
 */
import { randomInt } from 'node:crypto';
import { StateMachine, describeIllegalTransition } from '../../../../common';
import { decrypt, encrypt, randomKey, usageKeys, type EncryptionKey } from '../crypto/aes-sha1-profile';
import { authenticatorTime } from '../authenticator-time';
import type { Grant } from '../kdc-exchange';
import { KerberosError } from '../kerberos-error';
import { AP_OPTION, decodeApRep, decodeEncApRepPart, encodeApReq, encodeAuthenticator } from '../messages/ap-messages';
import { decodeKrbError } from '../messages/krb-types';
import {
  CLIENT_GSS_FLAGS,
  GSS_CHECKSUM_TYPE,
  OID,
  TOK_ID,
  channelBindingsHash,
  encodeGssChecksum,
  frameKrb5Token,
  unframeKrb5Token,
} from './gss-framing';
import { KerberosSession } from './gss-session';
import { decodeNegTokenResp, encodeNegTokenInit } from './spnego';

const USAGE = { apReqAuthenticator: 11, apRepEncPart: 12 } as const;

export interface InitiatorOptions {
  readonly grant: Grant;
  /** RFC 5929 application data (`tls-server-end-point:<hash>`) over HTTPS; none over HTTP. */
  readonly channelBindings?: Buffer;
  /** Wrap in SPNEGO (for `Negotiate`); raw GSS-API Kerberos tokens otherwise (for `Kerberos`). */
  readonly spnego: boolean;
  readonly now?: () => Date;
}

type InitiatorState = 'new' | 'sent' | 'established' | 'failed';

export class KerberosInitiator {
  private readonly machine = new StateMachine<InitiatorState>({
    name: 'kerberos initiator',
    initial: 'new',
    transitions: { new: ['sent', 'failed'], sent: ['established', 'failed'], established: [], failed: [] },
    refuse: (r) => new KerberosError('mutual-auth', describeIllegalTransition(r)),
  });
  private ctime = new Date(0);
  private cusec = 0;
  private subkey: EncryptionKey | undefined;
  private seqNumber = 0;
  private mechTypesDer: Buffer | undefined;

  constructor(private readonly o: InitiatorOptions) {}

  get state(): InitiatorState {
    return this.machine.state;
  }

  initialToken(): Buffer {
    this.machine.transition('sent');
    const now = (this.o.now ?? (() => new Date()))();
    const { grant } = this.o;
    ({ ctime: this.ctime, cusec: this.cusec } = authenticatorTime(now));
    this.subkey = randomKey(grant.sessionKey.etype);
    // Below 2^30 so that peers reading it as a signed Int32 (Windows) agree with us.
    this.seqNumber = randomInt(0, 0x40000000);
    const authenticator = encodeAuthenticator({
      crealm: grant.client.realm,
      cname: grant.client,
      cksum: { type: GSS_CHECKSUM_TYPE, value: encodeGssChecksum(channelBindingsHash(this.o.channelBindings), CLIENT_GSS_FLAGS) },
      cusec: this.cusec,
      ctime: this.ctime,
      subkey: this.subkey,
      seqNumber: this.seqNumber,
    });
    const apReq = encodeApReq(AP_OPTION.mutualRequired, grant.ticket, {
      etype: grant.sessionKey.etype,
      cipher: encrypt(usageKeys(grant.sessionKey, USAGE.apReqAuthenticator), authenticator),
    });
    const gss = frameKrb5Token(TOK_ID.apReq, apReq);
    if (!this.o.spnego) return gss;
    const init = encodeNegTokenInit([OID.krb5], gss);
    this.mechTypesDer = init.mechTypesDer;
    return init.token;
  }

  /** Verifies the acceptor's answer (AP-REP, raw or in a NegTokenResp) and returns the established session. */
  complete(token: Buffer): KerberosSession {
    try {
      const session = this.verify(token);
      this.machine.transition('established');
      return session;
    } catch (e) {
      if (this.machine.canTransition('failed')) this.machine.transition('failed', e instanceof KerberosError ? e.kind : 'error');
      throw e;
    }
  }

  private verify(token: Buffer): KerberosSession {
    if (!this.machine.is('sent')) throw new KerberosError('mutual-auth', `kerberos initiator: complete() in state ${this.machine.state}`);
    let gss = token;
    let mic: Buffer | undefined;
    if (this.o.spnego) {
      const resp = decodeNegTokenResp(token);
      if (resp.negState === 'reject') throw new KerberosError('mutual-auth', 'the host rejected our Kerberos token (SPNEGO reject)');
      if (!resp.responseToken)
        throw new KerberosError('mutual-auth', 'the host accepted without an AP-REP: mutual authentication is impossible');
      if (resp.supportedMech !== undefined && resp.supportedMech !== OID.krb5 && resp.supportedMech !== OID.msKrb5) {
        throw new KerberosError('mutual-auth', `the host chose mechanism ${resp.supportedMech}, not Kerberos`);
      }
      gss = resp.responseToken;
      mic = resp.mechListMIC;
    }
    const { tokId, inner } = unframeKrb5Token(gss);
    if (tokId === TOK_ID.error) {
      const err = decodeKrbError(inner);
      throw new KerberosError(
        'mutual-auth',
        `the host refused our AP-REQ with Kerberos error ${err.code}${err.text ? ` (${err.text})` : ''}`,
        { code: err.code },
      );
    }
    if (tokId !== TOK_ID.apRep) throw new KerberosError('bad-message', `expected an AP-REP token, got token id 0x${tokId.toString(16)}`);
    const encPart = decodeApRep(inner);
    let part;
    try {
      part = decodeEncApRepPart(decrypt(usageKeys(this.o.grant.sessionKey, USAGE.apRepEncPart), encPart.cipher));
    } catch (e) {
      if (e instanceof KerberosError && e.kind === 'integrity')
        throw new KerberosError('mutual-auth', 'the AP-REP does not decrypt with our session key: the host is not who it claims', {
          cause: e,
        });
      throw e;
    }
    // RFC 4120 3.2.5: the acceptor proves it read our authenticator by echoing its time.
    if (part.ctime.getTime() !== this.ctime.getTime() || part.cusec !== this.cusec)
      throw new KerberosError('mutual-auth', 'the AP-REP does not echo our authenticator time');
    const session = new KerberosSession({
      role: 'initiator',
      key: part.subkey ?? this.subkey!,
      acceptorSubkey: part.subkey !== undefined,
      sendSeq: this.seqNumber,
      // RFC 4121 4.2.6: without a sequence number in the AP-REP the acceptor starts from ours.
      receiveSeq: part.seqNumber ?? this.seqNumber,
    });
    if (mic) session.verifyMic(mic, this.mechTypesDer!);
    return session;
  }
}
