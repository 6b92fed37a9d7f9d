/**
 * Server side of NTLM through `Authorization: Negotiate`, bound to one TCP connection as Windows binds it:
 * NEGOTIATE → 401 with the CHALLENGE, AUTHENTICATE → the connection is authenticated for the user and
 * every later request on it is unsealed, every answer sealed (MS-WSMV 2.2.9.1). A failed AUTHENTICATE
 * forgets the context. Tokens come raw (pywinrm/requests-ntlm, our client) or SPNEGO-wrapped; the answer
 * uses the form the client used. The final SPNEGO token carries no mechListMIC (see the ntlm module).
 */
import {
  NtlmError,
  NtlmServerContext,
  decodeNegotiateToken,
  encodeNegTokenResp,
  ntlmMessageType,
  type NtlmSession,
} from '../../wsman/auth/ntlm';
import { ENCRYPTED_PROTOCOL } from '../../wsman/auth/encryption-framing';
import { findUser, type UserCredential } from './basic-auth';
import { SerialTurns } from './serial-turns';

export interface NtlmEstablished {
  readonly user: string;
  readonly session: NtlmSession;
}

/** What the listener must answer to one Negotiate header. */
export type NegotiateStep =
  | { readonly kind: 'challenge'; readonly header: string }
  | { readonly kind: 'accepted'; readonly user: string; readonly header?: string }
  | { readonly kind: 'refused' };

export class NtlmConnection {
  private pending: NtlmServerContext | undefined;
  private spnego = false;
  established: NtlmEstablished | undefined;
  readonly protocol = ENCRYPTED_PROTOCOL.spnego;
  /** Sealed exchanges on one connection run one after another: each direction is one RC4 keystream. */
  readonly turns = new SerialTurns();

  constructor(
    private readonly computerName: string,
    private readonly users: readonly UserCredential[],
  ) {}

  /** One leg of the handshake, from the base64 token of `Authorization: Negotiate <token>`. */
  step(base64Token: string): NegotiateStep {
    try {
      const token = decodeNegotiateToken(Buffer.from(base64Token, 'base64'));
      const type = ntlmMessageType(token.ntlm);
      if (type === 1) {
        this.forget();
        this.spnego = token.spnego;
        this.pending = new NtlmServerContext({ computerName: this.computerName });
        const challenge = this.pending.challenge(token.ntlm);
        const out = this.spnego ? encodeNegTokenResp('accept-incomplete', challenge, true) : challenge;
        return { kind: 'challenge', header: `Negotiate ${out.toString('base64')}` };
      }
      if (type === 3 && this.pending) {
        const accepted = this.pending.accept(token.ntlm, (user) => findUser(this.users, user)?.password);
        const user = findUser(this.users, accepted.user)?.name ?? accepted.user;
        this.pending = undefined;
        this.established = { user, session: accepted.session };
        const header = this.spnego ? `Negotiate ${encodeNegTokenResp('accept-completed').toString('base64')}` : undefined;
        return header === undefined ? { kind: 'accepted', user } : { kind: 'accepted', user, header };
      }
    } catch (e) {
      if (!(e instanceof NtlmError)) throw e;
    }
    this.forget();
    return { kind: 'refused' };
  }

  forget(): void {
    this.pending = undefined;
    this.established = undefined;
  }
}
