import { createHash, createHmac } from 'node:crypto';
import { md4 } from './md4';
import { rc4 } from './rc4';

/** NTLMv2 key derivation and responses (MS-NLMP 3.3.2, 3.4.5). Pure functions so a server can verify. */

export function hmacMd5(key: Uint8Array, ...data: Uint8Array[]): Buffer {
  const h = createHmac('md5', key);
  for (const d of data) h.update(d);
  return h.digest();
}

function md5(...data: Uint8Array[]): Buffer {
  const h = createHash('md5');
  for (const d of data) h.update(d);
  return h.digest();
}

/** NTOWFv2 = HMAC_MD5(MD4(UTF-16LE(password)), UTF-16LE(UPPER(user) + domain)); LMOWFv2 is the same. */
export function ntowfv2(password: string, user: string, domain: string): Buffer {
  return hmacMd5(md4(Buffer.from(password, 'utf16le')), Buffer.from(user.toUpperCase() + domain, 'utf16le'));
}

/** The NTLMv2 client "temp" blob: version 1.1, timestamp, client challenge and the server's target info. */
function ntlmv2ClientBlob(timestamp: Buffer, clientChallenge: Buffer, targetInfo: Buffer): Buffer {
  return Buffer.concat([Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]), timestamp, clientChallenge, Buffer.alloc(4), targetInfo, Buffer.alloc(4)]);
}

export interface Ntlmv2Response {
  readonly ntChallengeResponse: Buffer;
  readonly lmChallengeResponse: Buffer;
  readonly ntProofStr: Buffer;
  /** For NTLMv2, KXKEY (the key exchange key) equals the session base key. */
  readonly sessionBaseKey: Buffer;
}

export function computeNtlmv2Response(
  responseKey: Buffer,
  serverChallenge: Buffer,
  clientChallenge: Buffer,
  timestamp: Buffer,
  targetInfo: Buffer,
): Ntlmv2Response {
  const blob = ntlmv2ClientBlob(timestamp, clientChallenge, targetInfo);
  const ntProofStr = hmacMd5(responseKey, serverChallenge, blob);
  return {
    ntChallengeResponse: Buffer.concat([ntProofStr, blob]),
    lmChallengeResponse: Buffer.concat([hmacMd5(responseKey, serverChallenge, clientChallenge), clientChallenge]),
    ntProofStr,
    sessionBaseKey: hmacMd5(responseKey, ntProofStr),
  };
}

/** Recomputes NTProofStr from a received NtChallengeResponse; the server's verification step. */
export function verifyNtlmv2Response(responseKey: Buffer, serverChallenge: Buffer, ntChallengeResponse: Buffer): Buffer | undefined {
  if (ntChallengeResponse.length < 16 + 28) return undefined;
  const proof = ntChallengeResponse.subarray(0, 16);
  const blob = ntChallengeResponse.subarray(16);
  const expected = hmacMd5(responseKey, serverChallenge, blob);
  if (!expected.equals(proof)) return undefined;
  return hmacMd5(responseKey, expected);
}

/** Session key encryption under KEY_EXCH: the same RC4 step encrypts and decrypts. */
export function exchangeSessionKey(keyExchangeKey: Buffer, sessionKey: Buffer): Buffer {
  return rc4(keyExchangeKey, sessionKey);
}

/** FILETIME (100 ns ticks since 1601) as 8 little-endian bytes. */
export function fileTime(date: Date): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE((BigInt(date.getTime()) + 11_644_473_600_000n) * 10_000n);
  return out;
}

export type NtlmRole = 'client' | 'server';

const MAGIC = {
  signClient: 'session key to client-to-server signing key magic constant\0',
  signServer: 'session key to server-to-client signing key magic constant\0',
  sealClient: 'session key to client-to-server sealing key magic constant\0',
  sealServer: 'session key to server-to-client sealing key magic constant\0',
} as const;

export interface DirectionKeys {
  readonly signKey: Buffer;
  readonly sealKey: Buffer;
}

/** SIGNKEY and SEALKEY (MS-NLMP 3.4.5.2-3) for messages sent by `sender`, with extended session security. */
export function directionKeys(exportedSessionKey: Buffer, sender: NtlmRole, keyBits: 128 | 56 | 40): DirectionKeys {
  const sealBase = keyBits === 128 ? exportedSessionKey : exportedSessionKey.subarray(0, keyBits === 56 ? 7 : 5);
  return {
    signKey: md5(exportedSessionKey, Buffer.from(sender === 'client' ? MAGIC.signClient : MAGIC.signServer, 'latin1')),
    sealKey: md5(sealBase, Buffer.from(sender === 'client' ? MAGIC.sealClient : MAGIC.sealServer, 'latin1')),
  };
}
