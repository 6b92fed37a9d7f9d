import { randomBytes } from 'node:crypto';
import { AV_FLAG_MIC_PRESENT, AV_ID, avString, decodeAvPairs, type AvPair } from './av-pairs';
import { NTLM_FLAG, hasFlag } from './flags';
import { CLIENT_VERSION, MIC_OFFSET, decodeAuthenticate, decodeNegotiate, encodeChallenge } from './messages';
import { NtlmError } from './ntlm-error';
import { NtlmSession } from './ntlm-session';
import { exchangeSessionKey, fileTime, hmacMd5, ntowfv2, verifyNtlmv2Response } from './ntlmv2';

/** Flags a server grants when the client asks for them. */
const SERVER_SUPPORTED =
  (NTLM_FLAG.unicode |
    NTLM_FLAG.sign |
    NTLM_FLAG.seal |
    NTLM_FLAG.ntlm |
    NTLM_FLAG.alwaysSign |
    NTLM_FLAG.extendedSessionSecurity |
    NTLM_FLAG.negotiate128 |
    NTLM_FLAG.keyExchange |
    NTLM_FLAG.negotiate56) >>>
  0;

export interface NtlmServerOptions {
  /** NetBIOS name of the machine (MsvAvNbComputerName). */
  readonly computerName: string;
  /** NetBIOS domain (or the computer name for a workgroup host). */
  readonly domainName?: string;
  readonly serverChallenge?: Buffer;
  readonly now?: () => Date;
}

export interface NtlmAccepted {
  readonly user: string;
  readonly domain: string;
  readonly session: NtlmSession;
}

/** Returns the password of a user (domain may be ''), or undefined for an unknown user. */
export type PasswordLookup = (user: string, domain: string) => string | undefined;

/** The server side of an NTLMv2 handshake, sans I/O (the emulator uses it; tests use it against the client). */
export class NtlmServerContext {
  private negotiateToken: Buffer | undefined;
  private challengeToken: Buffer | undefined;
  private readonly serverChallenge: Buffer;

  constructor(private readonly options: NtlmServerOptions) {
    this.serverChallenge = options.serverChallenge ?? randomBytes(8);
  }

  challenge(negotiateToken: Buffer): Buffer {
    const negotiate = decodeNegotiate(negotiateToken);
    const domain = this.options.domainName ?? this.options.computerName;
    const targetInfo: AvPair[] = [
      { id: AV_ID.nbDomainName, value: avString(domain) },
      { id: AV_ID.nbComputerName, value: avString(this.options.computerName) },
      { id: AV_ID.dnsDomainName, value: avString(domain) },
      { id: AV_ID.dnsComputerName, value: avString(this.options.computerName) },
      { id: AV_ID.timestamp, value: fileTime((this.options.now ?? (() => new Date()))()) },
    ];
    const flags =
      ((negotiate.flags & SERVER_SUPPORTED) |
        NTLM_FLAG.targetInfo |
        NTLM_FLAG.targetTypeServer |
        NTLM_FLAG.version |
        NTLM_FLAG.requestTarget) >>>
      0;
    this.negotiateToken = negotiateToken;
    this.challengeToken = encodeChallenge({
      flags,
      serverChallenge: this.serverChallenge,
      targetName: domain,
      targetInfo,
      version: CLIENT_VERSION,
    });
    return this.challengeToken;
  }

  /** Verifies an AUTHENTICATE message; throws NtlmError for unknown users, wrong passwords or a bad MIC. */
  accept(authenticateToken: Buffer, lookup: PasswordLookup): NtlmAccepted {
    if (!this.negotiateToken || !this.challengeToken) throw new NtlmError('NTLM challenge() must come before accept()');
    const auth = decodeAuthenticate(authenticateToken);
    const password = lookup(auth.user, auth.domain);
    const failed = new NtlmError('NTLM authentication failed');
    if (password === undefined) throw failed;
    const sessionBaseKey = verifyNtlmv2Response(ntowfv2(password, auth.user, auth.domain), this.serverChallenge, auth.ntChallengeResponse);
    if (!sessionBaseKey) throw failed;
    const exportedSessionKey =
      hasFlag(auth.flags, NTLM_FLAG.keyExchange) && auth.encryptedRandomSessionKey.length === 16
        ? exchangeSessionKey(sessionBaseKey, auth.encryptedRandomSessionKey)
        : sessionBaseKey;
    if (micAnnounced(auth.ntChallengeResponse)) {
      const zeroed = Buffer.from(authenticateToken);
      zeroed.fill(0, MIC_OFFSET, MIC_OFFSET + 16);
      const mic = hmacMd5(exportedSessionKey, this.negotiateToken, this.challengeToken, zeroed);
      if (!auth.mic || !mic.equals(auth.mic)) throw failed;
    }
    return { user: auth.user, domain: auth.domain, session: new NtlmSession('server', exportedSessionKey, auth.flags) };
  }
}

/** Whether the client's NTLMv2 blob carries MsvAvFlags with the MIC bit. */
function micAnnounced(ntChallengeResponse: Buffer): boolean {
  // NTProofStr (16) + header (28) precede the AV pairs; 4 trailing zero bytes follow them.
  const pairs = decodeAvPairs(ntChallengeResponse.subarray(16 + 28));
  const flags = pairs.find((p) => p.id === AV_ID.flags);
  return flags !== undefined && flags.value.length >= 4 && (flags.value.readUInt32LE(0) & AV_FLAG_MIC_PRESENT) !== 0;
}
