// Kerberos for WS-Management (RFC 4120/4121/4178, MS-WSMV 2.2.9.1 sealing), in pure TypeScript.
export { KerberosError, type KerberosFailure } from './kerberos-error';
export { KerberosClient, parsePrincipal, type KerberosClientSettings, type KdcRoundTrips } from './kerberos-client';
export type { Grant } from './kdc-exchange';
export { KerberosInitiator, type InitiatorOptions } from './gss/gss-initiator';
export { acceptKerberos, ReplayCache, type AcceptOptions, type Accepted, type ChannelBindingPolicy } from './gss/gss-acceptor';
export { KerberosSession, type GssRole } from './gss/gss-session';
export { OID, tlsServerEndPoint, unframeKrb5Token } from './gss/gss-framing';
export {
  decodeNegTokenInit,
  encodeNegTokenResp,
  isSpnegoInit,
  decodeNegTokenResp,
  type NegTokenInit,
  type NegTokenResp,
} from './gss/spnego';
export { parseKeytab, type KeytabEntry } from './keytab';
export { principalText, type Principal } from './messages/krb-types';
