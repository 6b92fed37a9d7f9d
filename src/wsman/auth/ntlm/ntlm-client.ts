import { randomBytes } from 'node:crypto';
import { AV_FLAG_MIC_PRESENT, AV_ID, encodeAvPairs, type AvPair } from './av-pairs';
import { CLIENT_NEGOTIATE_FLAGS, NTLM_FLAG, hasFlag } from './flags';
import { CLIENT_VERSION, MIC_OFFSET, decodeChallenge, encodeAuthenticate, encodeNegotiate } from './messages';
import { NtlmError } from './ntlm-error';
import { NtlmSession } from './ntlm-session';
import { computeNtlmv2Response, exchangeSessionKey, fileTime, hmacMd5, ntowfv2 } from './ntlmv2';

export interface NtlmCredentials {
  /** `user`, `DOMAIN\user` or `user@domain.fqdn` (a UPN is sent whole with an empty domain, as Windows does). */
  readonly username: string;
  readonly password: string;
  /** Overrides the domain taken from `DOMAIN\user`. */
  readonly domain?: string;
  readonly workstation?: string;
}

/** Inputs that are random in production; tests pin them to reproduce MS-NLMP vectors. */
export interface NtlmClientEntropy {
  readonly clientChallenge?: Buffer;
  readonly exportedSessionKey?: Buffer;
  readonly now?: () => Date;
}

/** Splits `DOMAIN\user`; anything else is the user name as given. */
export function splitUsername(username: string, domain?: string): { user: string; domain: string } {
  const slash = username.indexOf('\\');
  if (slash >= 0) return { user: username.slice(slash + 1), domain: domain ?? username.slice(0, slash) };
  return { user: username, domain: domain ?? '' };
}

/**
 * The client side of an NTLMv2 handshake, sans I/O: produce NEGOTIATE, consume CHALLENGE, produce
 * AUTHENTICATE and the NtlmSession for the connection. One context per connection attempt.
 */
export class NtlmClientContext {
  private negotiateToken: Buffer | undefined;

  constructor(
    private readonly credentials: NtlmCredentials,
    private readonly entropy: NtlmClientEntropy = {},
  ) {}

  negotiate(): Buffer {
    this.negotiateToken = encodeNegotiate({ flags: CLIENT_NEGOTIATE_FLAGS, version: CLIENT_VERSION });
    return this.negotiateToken;
  }

  authenticate(challengeToken: Buffer): { token: Buffer; session: NtlmSession } {
    if (!this.negotiateToken) throw new NtlmError('NTLM negotiate() must come before authenticate()');
    const challenge = decodeChallenge(challengeToken);
    const flags = (challenge.flags & CLIENT_NEGOTIATE_FLAGS) >>> 0;
    if (!hasFlag(flags, NTLM_FLAG.extendedSessionSecurity) || !hasFlag(flags, NTLM_FLAG.unicode)) {
      throw new NtlmError('the server does not offer NTLMv2 with extended session security');
    }
    const { user, domain } = splitUsername(this.credentials.username, this.credentials.domain);
    const serverTime = challenge.targetInfo.find((p) => p.id === AV_ID.timestamp)?.value;
    const targetInfo: AvPair[] = challenge.targetInfo.filter((p) => p.id !== AV_ID.flags);
    const existingFlags = challenge.targetInfo.find((p) => p.id === AV_ID.flags)?.value.readUInt32LE(0) ?? 0;
    // With a server timestamp the client must send a MIC and announce it (MS-NLMP 3.1.5.1.2).
    if (serverTime) {
      const f = Buffer.alloc(4);
      f.writeUInt32LE((existingFlags | AV_FLAG_MIC_PRESENT) >>> 0);
      targetInfo.push({ id: AV_ID.flags, value: f });
    }
    const responseKey = ntowfv2(this.credentials.password, user, domain);
    const clientChallenge = this.entropy.clientChallenge ?? randomBytes(8);
    const timestamp = serverTime ?? fileTime((this.entropy.now ?? (() => new Date()))());
    const response = computeNtlmv2Response(responseKey, challenge.serverChallenge, clientChallenge, timestamp, encodeAvPairs(targetInfo));

    const keyExchange = hasFlag(flags, NTLM_FLAG.keyExchange);
    const exportedSessionKey = keyExchange ? (this.entropy.exportedSessionKey ?? randomBytes(16)) : response.sessionBaseKey;
    const token = encodeAuthenticate({
      flags,
      lmChallengeResponse: serverTime ? Buffer.alloc(24) : response.lmChallengeResponse,
      ntChallengeResponse: response.ntChallengeResponse,
      domain,
      user,
      workstation: this.credentials.workstation ?? '',
      encryptedRandomSessionKey: keyExchange ? exchangeSessionKey(response.sessionBaseKey, exportedSessionKey) : Buffer.alloc(0),
      version: CLIENT_VERSION,
    });
    if (serverTime) hmacMd5(exportedSessionKey, this.negotiateToken, challengeToken, token).copy(token, MIC_OFFSET);
    return { token, session: new NtlmSession('client', exportedSessionKey, flags) };
  }
}
