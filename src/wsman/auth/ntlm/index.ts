export { md4 } from './md4';
export { Rc4, rc4 } from './rc4';
export { NTLM_FLAG } from './flags';
export { AV_ID, encodeAvPairs, avString, type AvPair } from './av-pairs';
export {
  decodeNegotiate,
  encodeChallenge,
  decodeChallenge,
  decodeAuthenticate,
  ntlmMessageType,
  type NegotiateMessage,
  type ChallengeMessage,
  type AuthenticateMessage,
} from './messages';
export { ntowfv2, computeNtlmv2Response, exchangeSessionKey, type Ntlmv2Response, type NtlmRole } from './ntlmv2';
export { NtlmSession } from './ntlm-session';
export { NtlmClientContext, splitUsername, type NtlmCredentials, type NtlmClientEntropy } from './ntlm-client';
export { NtlmServerContext, type NtlmServerOptions, type NtlmAccepted, type PasswordLookup } from './ntlm-server';
export { decodeNegotiateToken, encodeNegTokenInit, encodeNegTokenResp, type NegotiateToken, type NegState } from './spnego';
export { NtlmError } from './ntlm-error';
