import { NtlmError } from './ntlm-error';
import { ntlmMessageType } from './messages';

/**
 * SPNEGO (RFC 4178) framing for NTLM tokens in `Authorization: Negotiate`. Windows WinRM accepts raw
 * NTLMSSP tokens under the Negotiate scheme (what pywinrm's requests-ntlm sends), so our client sends
 * raw tokens; both sides decode either form, and a server answers in the form the client used.
 * mechListMIC is not produced: only needed when a client negotiates through SPNEGO, which ours does not.
 */

const SPNEGO_OID = Buffer.from('06062b0601050502', 'hex');
const NTLM_OID = Buffer.from('060a2b06010401823702020a', 'hex');

export type NegState = 'accept-completed' | 'accept-incomplete' | 'reject';
const NEG_STATE: readonly NegState[] = ['accept-completed', 'accept-incomplete', 'reject'];

export interface NegotiateToken {
  /** The NTLMSSP message inside (empty when a SPNEGO answer carries none). */
  readonly ntlm: Buffer;
  /** Whether it came wrapped in SPNEGO. */
  readonly spnego: boolean;
  readonly negState?: NegState;
}

interface Tlv {
  readonly tag: number;
  readonly value: Buffer;
  readonly end: number;
}

function readTlv(buf: Buffer, at: number): Tlv {
  if (at + 2 > buf.length) throw new NtlmError('SPNEGO token is truncated');
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let off = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || off + n > buf.length) throw new NtlmError('SPNEGO token has a bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[off + i]!;
    off += n;
  }
  if (off + len > buf.length) throw new NtlmError('SPNEGO token is truncated');
  return { tag, value: buf.subarray(off, off + len), end: off + len };
}

function children(buf: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < buf.length;) {
    const t = readTlv(buf, at);
    out.push(t);
    at = t.end;
  }
  return out;
}

function tlv(tag: number, value: Buffer): Buffer {
  const len = value.length;
  const head =
    len < 0x80
      ? Buffer.from([tag, len])
      : len < 0x100
        ? Buffer.from([tag, 0x81, len])
        : len < 0x10000
          ? Buffer.from([tag, 0x82, len >> 8, len & 0xff])
          : Buffer.from([tag, 0x83, len >> 16, (len >> 8) & 0xff, len & 0xff]);
  return Buffer.concat([head, value]);
}

/** Reads a Negotiate token: raw NTLMSSP, a SPNEGO NegTokenInit, or a NegTokenResp. */
export function decodeNegotiateToken(token: Buffer): NegotiateToken {
  if (ntlmMessageType(token) !== undefined) return { ntlm: token, spnego: false };
  const outer = readTlv(token, 0);
  let fields: Tlv[];
  let tokenTag: number;
  if (outer.tag === 0x60) {
    const inner = children(outer.value);
    if (inner.length < 2 || !outer.value.subarray(0, SPNEGO_OID.length).equals(SPNEGO_OID)) {
      throw new NtlmError('Negotiate token is neither NTLMSSP nor SPNEGO');
    }
    fields = children(readTlv(inner[1]!.value, 0).value);
    tokenTag = 0xa2;
  } else if (outer.tag === 0xa1) {
    fields = children(readTlv(outer.value, 0).value);
    tokenTag = 0xa2;
  } else {
    throw new NtlmError('Negotiate token is neither NTLMSSP nor SPNEGO');
  }
  const mech = fields.find((f) => f.tag === tokenTag);
  const stateField = outer.tag === 0xa1 ? fields.find((f) => f.tag === 0xa0) : undefined;
  const negState = stateField ? NEG_STATE[readTlv(stateField.value, 0).value[0] ?? 3] : undefined;
  const ntlm = mech ? Buffer.from(readTlv(mech.value, 0).value) : Buffer.alloc(0);
  if (ntlm.length > 0 && ntlmMessageType(ntlm) === undefined) throw new NtlmError('SPNEGO token carries a mechanism other than NTLM');
  return negState === undefined ? { ntlm, spnego: true } : { ntlm, spnego: true, negState };
}

/** A NegTokenInit offering NTLM with the NEGOTIATE message. */
export function encodeNegTokenInit(ntlm: Buffer): Buffer {
  const mechTypes = tlv(0xa0, tlv(0x30, NTLM_OID));
  const mechToken = tlv(0xa2, tlv(0x04, ntlm));
  return tlv(0x60, Buffer.concat([SPNEGO_OID, tlv(0xa0, tlv(0x30, Buffer.concat([mechTypes, mechToken])))]));
}

/** A NegTokenResp (server CHALLENGE with accept-incomplete, or client AUTHENTICATE / final state). */
export function encodeNegTokenResp(state: NegState | undefined, ntlm?: Buffer, withMech = false): Buffer {
  const parts: Buffer[] = [];
  if (state !== undefined) parts.push(tlv(0xa0, tlv(0x0a, Buffer.from([NEG_STATE.indexOf(state)]))));
  if (withMech) parts.push(tlv(0xa1, NTLM_OID));
  if (ntlm && ntlm.length > 0) parts.push(tlv(0xa2, tlv(0x04, ntlm)));
  return tlv(0xa1, tlv(0x30, Buffer.concat(parts)));
}
