export { md4 } from './md4';
export { Rc4, rc4 } from './rc4';
export { NTLM_FLAG, CLIENT_NEGOTIATE_FLAGS, hasFlag } from './flags';
export { AV_ID, AV_FLAG_MIC_PRESENT, decodeAvPairs, encodeAvPairs, avString, type AvPair } from './av-pairs';
export {
  encodeNegotiate,
  decodeNegotiate,
  encodeChallenge,
  decodeChallenge,
  encodeAuthenticate,
  decodeAuthenticate,
  ntlmMessageType,
  type NegotiateMessage,
  type ChallengeMessage,
  type AuthenticateMessage,
} from './messages';
export {
  hmacMd5,
  md5,
  ntowfv2,
  ntlmv2ClientBlob,
  computeNtlmv2Response,
  verifyNtlmv2Response,
  exchangeSessionKey,
  directionKeys,
  fileTime,
  type Ntlmv2Response,
  type NtlmRole,
  type DirectionKeys,
} from './ntlmv2';
export { NtlmSession, NTLM_SIGNATURE_LENGTH } from './ntlm-session';
export { NtlmClientContext, splitUsername, type NtlmCredentials, type NtlmClientEntropy } from './ntlm-client';
export { NtlmServerContext, type NtlmServerOptions, type NtlmAccepted, type PasswordLookup } from './ntlm-server';
export { decodeNegotiateToken, encodeNegTokenInit, encodeNegTokenResp, type NegotiateToken, type NegState } from './spnego';
export { NtlmError } from './ntlm-error';
