/**
 * SPNEGO (RFC 4178 4.2) for Kerberos under `Authorization: Negotiate`: NegTokenInit with the mechanism
 * list and an optimistic Kerberos token, NegTokenResp with the state, the chosen mechanism, the
 * answer token and a mechListMIC. Our client offers Kerberos alone, so the first (only) mechanism is
 * the one chosen and no MIC is required (RFC 4178 5); a MIC the acceptor sends anyway is verified.
 */
import { Fields, children, expectTlv, field, oid, readOctets, readTlv, seq, seqOf, tlv, TAG, type Tlv } from '../der';
import { KerberosError } from '../kerberos-error';
import { OID, oidText } from './gss-framing';

export type NegState = 'accept-completed' | 'accept-incomplete' | 'reject' | 'request-mic';
const NEG_STATES: readonly NegState[] = ['accept-completed', 'accept-incomplete', 'reject', 'request-mic'];

export interface NegTokenInit {
  readonly mechTypes: readonly string[];
  /** The DER of the mechTypes SEQUENCE OF: what a mechListMIC covers. */
  readonly mechTypesDer: Buffer;
  readonly mechToken?: Buffer;
}

export interface NegTokenResp {
  readonly negState?: NegState;
  readonly supportedMech?: string;
  readonly responseToken?: Buffer;
  readonly mechListMIC?: Buffer;
}

export function encodeNegTokenInit(mechTypes: readonly string[], mechToken: Buffer): { token: Buffer; mechTypesDer: Buffer } {
  const mechTypesDer = seqOf(mechTypes.map(oid));
  const init = seq(field(0, mechTypesDer), field(2, tlv(TAG.octetString, mechToken)));
  return { token: tlv(0x60, Buffer.concat([oid(OID.spnego), tlv(0xa0, init)])), mechTypesDer };
}

export function isSpnegoInit(token: Buffer): boolean {
  try {
    const outer = readTlv(token).tlv;
    const mech = readTlv(outer.value).tlv;
    return outer.tag === 0x60 && mech.tag === TAG.oid && oidText(mech.value) === OID.spnego;
  } catch {
    return false;
  }
}

export function decodeNegTokenInit(token: Buffer): NegTokenInit {
  const outer = expectTlv(token, 0x60, 'SPNEGO token');
  const [mech, body] = children(outer.value);
  if (!mech || mech.tag !== TAG.oid || oidText(mech.value) !== OID.spnego || !body || body.tag !== 0xa0)
    throw new KerberosError('bad-message', 'not a SPNEGO NegTokenInit');
  const f = new Fields(expectTlv(body.value, TAG.sequence, 'NegTokenInit'), 'NegTokenInit');
  const types = f.need(0);
  const mechTypes = children(expectTlv(types.raw, TAG.sequence, 'MechTypeList').value).map((t) => {
    if (t.tag !== TAG.oid) throw new KerberosError('bad-message', 'MechTypeList holds a non-OID');
    return oidText(t.value);
  });
  return { mechTypes, mechTypesDer: Buffer.from(types.raw), ...(f.has(2) ? { mechToken: Buffer.from(f.bytes(2)) } : {}) };
}

export function encodeNegTokenResp(r: NegTokenResp): Buffer {
  return tlv(
    0xa1,
    seq(
      field(0, r.negState === undefined ? undefined : tlv(TAG.enumerated, Buffer.of(NEG_STATES.indexOf(r.negState)))),
      field(1, r.supportedMech === undefined ? undefined : oid(r.supportedMech)),
      field(2, r.responseToken === undefined ? undefined : tlv(TAG.octetString, r.responseToken)),
      field(3, r.mechListMIC === undefined ? undefined : tlv(TAG.octetString, r.mechListMIC)),
    ),
  );
}

export function decodeNegTokenResp(token: Buffer): NegTokenResp {
  const outer = expectTlv(token, 0xa1, 'NegTokenResp');
  const f = new Fields(expectTlv(outer.value, TAG.sequence, 'NegTokenResp'), 'NegTokenResp');
  const state = f.opt(0);
  const mech = f.opt(1);
  const octets = (t: Tlv | undefined): Buffer | undefined => (t ? Buffer.from(readOctets(t)) : undefined);
  const negState = state ? NEG_STATES[state.value[0] ?? 99] : undefined;
  if (state && negState === undefined) throw new KerberosError('bad-message', 'NegTokenResp has an unknown negState');
  const responseToken = octets(f.opt(2));
  const mechListMIC = octets(f.opt(3));
  return {
    ...(negState ? { negState } : {}),
    ...(mech ? { supportedMech: oidText(mech.value) } : {}),
    ...(responseToken ? { responseToken } : {}),
    ...(mechListMIC ? { mechListMIC } : {}),
  };
}
