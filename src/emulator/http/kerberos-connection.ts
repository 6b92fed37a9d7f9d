/**
 * Server side of Kerberos, as Windows' HTTP.sys/WinRM accepts it: `Authorization: Negotiate` carrying a
 * SPNEGO NegTokenInit with a Kerberos token (Windows clients, curl --negotiate) or a raw GSS-API
 * Kerberos token (pykerberos, requests-kerberos), or `Authorization: Kerberos <raw token>`. The AP-REQ is
 * checked with the service keys of the emulator's keytab; the answer carries the AP-REP in the form the
 * client used. The context is bound to the TCP connection; sealed messages use
 * application/HTTP-Kerberos-session-encrypted (MS-WSMV 2.2.9.1). Channel binding follows the host's
 * CbtHardeningLevel (None, Relaxed, Strict) over HTTPS.
 */
import {
  KerberosError,
  OID,
  ReplayCache,
  acceptKerberos,
  decodeNegTokenInit,
  encodeNegTokenResp,
  isSpnegoInit,
  principalText,
  unframeKrb5Token,
  type ChannelBindingPolicy,
  type KerberosSession,
  type KeytabEntry,
} from '../../wsman/auth/kerberos';
import { ENCRYPTED_PROTOCOL } from '../../wsman/auth/encryption-framing';
import type { NegotiateStep } from './ntlm-connection';
import { SerialTurns } from './serial-turns';

export interface KerberosEstablished {
  readonly user: string;
  readonly session: KerberosSession;
}

/** Whether a Negotiate token is Kerberos (raw or as SPNEGO's optimistic token) rather than NTLM. */
export function isKerberosToken(token: Buffer): boolean {
  try {
    if (isSpnegoInit(token)) {
      const init = decodeNegTokenInit(token);
      return init.mechToken !== undefined && (init.mechTypes[0] === OID.krb5 || init.mechTypes[0] === OID.msKrb5);
    }
    unframeKrb5Token(token);
    return true;
  } catch {
    return false;
  }
}

export interface KerberosConnectionOptions {
  readonly keys: readonly KeytabEntry[];
  readonly replay: ReplayCache;
  /** Our tls-server-end-point binding over HTTPS; undefined over HTTP. */
  readonly channelBindings?: Buffer;
  readonly log: (msg: string) => void;
}

export class KerberosConnection {
  readonly protocol = ENCRYPTED_PROTOCOL.kerberos;
  established: KerberosEstablished | undefined;
  /** Sealed exchanges on one connection run one after another: sequence numbers are checked strictly. */
  readonly turns = new SerialTurns();

  constructor(private readonly o: KerberosConnectionOptions) {}

  /** One AP-REQ; `scheme` is the header's (Negotiate or Kerberos), `policy` the host's CbtHardeningLevel. */
  step(scheme: string, token: Buffer, policy: ChannelBindingPolicy): NegotiateStep {
    this.forget();
    try {
      const spnego = isSpnegoInit(token);
      const init = spnego ? decodeNegTokenInit(token) : undefined;
      const accepted = acceptKerberos(init?.mechToken ?? token, {
        keys: this.o.keys,
        policy,
        replay: this.o.replay,
        ...(this.o.channelBindings ? { channelBindings: this.o.channelBindings } : {}),
      });
      this.established = { user: principalText(accepted.client), session: accepted.session };
      const answer = spnego
        ? encodeNegTokenResp({
            negState: 'accept-completed',
            supportedMech: init!.mechTypes[0]!,
            ...(accepted.responseToken ? { responseToken: accepted.responseToken } : {}),
          })
        : accepted.responseToken;
      return { kind: 'accepted', user: this.established.user, ...(answer ? { header: `${scheme} ${answer.toString('base64')}` } : {}) };
    } catch (e) {
      if (!(e instanceof KerberosError)) throw e;
      this.o.log(`kerberos: refused an AP-REQ: ${e.message}`);
      return { kind: 'refused' };
    }
  }

  forget(): void {
    this.established = undefined;
  }
}
