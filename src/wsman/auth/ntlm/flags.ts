/** NTLM NegotiateFlags (MS-NLMP 2.2.2.5). */
export const NTLM_FLAG = {
  unicode: 0x0000_0001,
  oem: 0x0000_0002,
  requestTarget: 0x0000_0004,
  sign: 0x0000_0010,
  seal: 0x0000_0020,
  lmKey: 0x0000_0080,
  ntlm: 0x0000_0200,
  anonymous: 0x0000_0800,
  oemDomainSupplied: 0x0000_1000,
  oemWorkstationSupplied: 0x0000_2000,
  alwaysSign: 0x0000_8000,
  targetTypeDomain: 0x0001_0000,
  targetTypeServer: 0x0002_0000,
  extendedSessionSecurity: 0x0008_0000,
  identify: 0x0010_0000,
  requestNonNtSessionKey: 0x0040_0000,
  targetInfo: 0x0080_0000,
  version: 0x0200_0000,
  negotiate128: 0x2000_0000,
  keyExchange: 0x4000_0000,
  negotiate56: 0x8000_0000,
} as const;

/** What the client asks for: NTLMv2 with extended session security, 128-bit keys, key exchange, sign + seal. */
export const CLIENT_NEGOTIATE_FLAGS =
  (NTLM_FLAG.unicode |
    NTLM_FLAG.requestTarget |
    NTLM_FLAG.sign |
    NTLM_FLAG.seal |
    NTLM_FLAG.ntlm |
    NTLM_FLAG.alwaysSign |
    NTLM_FLAG.extendedSessionSecurity |
    NTLM_FLAG.targetInfo |
    NTLM_FLAG.version |
    NTLM_FLAG.negotiate128 |
    NTLM_FLAG.keyExchange |
    NTLM_FLAG.negotiate56) >>>
  0;

export function hasFlag(flags: number, flag: number): boolean {
  return (flags & flag) >>> 0 === flag >>> 0;
}
