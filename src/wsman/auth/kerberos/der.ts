/**
 * The DER subset Kerberos messages use (RFC 4120 section 5: SEQUENCE, explicit [n] context and
 * [APPLICATION n] tags, INTEGER, OCTET STRING, BIT STRING, GeneralString, GeneralizedTime, OID).
 *
 * Hand-written rather than asn1js or @peculiar/asn1-schema: the Kerberos schema is about thirty small
 * structures, all built from these seven primitives, and a schema library would add a runtime
 * dependency (neither is a direct dependency of this project today) for less code than its glue. What
 * this codec writes and reads is checked against a real peer: MIT's KDC and GSS-API acceptor decode
 * every message we build and we decode theirs (test/interop/kerberos-*.interop.ts, test/wsman/kerberos).
 *
 * The reader is defensive: lengths are bounded by the input, nesting is bounded by the schema walk
 * (callers ask for a field, never recurse on what the input says), and every mismatch is a typed
 * KerberosError, never a crash.
 */
import { encodeOidBody } from '../../../common';
import { KerberosError } from './kerberos-error';

export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  enumerated: 0x0a,
  sequence: 0x30,
  generalizedTime: 0x18,
  generalString: 0x1b,
} as const;

/** A [APPLICATION n] constructed tag (RFC 4120 uses n up to 30, so one byte). */
export const application = (n: number): number => 0x60 | n;
/** A [n] constructed context tag (explicit tagging, RFC 4120 section 5.2). */
export const context = (n: number): number => 0xa0 | n;

// ---------------------------------------------------------------- writing

export function tlv(tag: number, content: Uint8Array): Buffer {
  const n = content.length;
  let head: Buffer;
  if (n < 0x80) head = Buffer.of(tag, n);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    head = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([head, content]);
}

export const seq = (...items: Array<Buffer | undefined>): Buffer =>
  tlv(TAG.sequence, Buffer.concat(items.filter((i): i is Buffer => i !== undefined)));
/** `[n] value`, or nothing when the optional value is absent. */
export function field(n: number, value: Buffer | undefined): Buffer | undefined {
  return value === undefined ? undefined : tlv(context(n), value);
}
export const octets = (b: Uint8Array): Buffer => tlv(TAG.octetString, b);
export const generalString = (s: string): Buffer => tlv(TAG.generalString, Buffer.from(s, 'utf8'));
export const seqOf = (items: readonly Buffer[]): Buffer => tlv(TAG.sequence, Buffer.concat(items));

/** A signed 32-bit (or unsigned 32-bit, for nonces and sequence numbers) INTEGER in minimal two's complement. */
export function integer(v: number): Buffer {
  if (!Number.isInteger(v) || v < -0x80000000 || v > 0xffffffff) throw new KerberosError('bad-message', `integer ${v} is outside 32 bits`);
  let n = BigInt(v);
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  } while (!((n === 0n && (bytes[0]! & 0x80) === 0) || (n === -1n && (bytes[0]! & 0x80) !== 0)));
  return tlv(TAG.integer, Buffer.from(bytes));
}

/** A 32-bit flags BIT STRING (KDCOptions, APOptions, TicketFlags): bit 0 is the most significant. */
export function flags32(bits: number): Buffer {
  const b = Buffer.alloc(5);
  b.writeUInt32BE(bits >>> 0, 1);
  return tlv(TAG.bitString, b);
}

/** KerberosTime: GeneralizedTime `YYYYMMDDHHMMSSZ`, whole seconds (RFC 4120 5.2.3). */
export function kerberosTime(d: Date): Buffer {
  const text = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return tlv(TAG.generalizedTime, Buffer.from(text, 'ascii'));
}

export const oid = (dotted: string): Buffer => tlv(TAG.oid, encodeOidBody(dotted));

// ---------------------------------------------------------------- reading

export interface Tlv {
  readonly tag: number;
  /** The content octets. */
  readonly value: Buffer;
  /** The whole encoding, tag and length included (checksums cover it, e.g. the TGS-REQ body). */
  readonly raw: Buffer;
}

function bad(what: string): KerberosError {
  return new KerberosError('bad-message', `malformed ASN.1: ${what}`);
}

/** Reads one TLV at `at`; returns it and where the next one starts. */
export function readTlv(buf: Buffer, at = 0): { tlv: Tlv; next: number } {
  if (at + 2 > buf.length) throw bad('truncated header');
  const tag = buf[at]!;
  if ((tag & 0x1f) === 0x1f) throw bad('multi-byte tags are not used by Kerberos');
  let len = buf[at + 1]!;
  let off = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || off + n > buf.length) throw bad('bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[off + i]!;
    off += n;
  }
  if (off + len > buf.length) throw bad('length exceeds the input');
  return { tlv: { tag, value: buf.subarray(off, off + len), raw: buf.subarray(at, off + len) }, next: off + len };
}

/** The single TLV that makes up `buf`, with the expected tag. */
export function expectTlv(buf: Buffer, tag: number, what: string): Tlv {
  const { tlv: t, next } = readTlv(buf);
  if (t.tag !== tag) throw bad(`${what}: expected tag 0x${tag.toString(16)}, got 0x${t.tag.toString(16)}`);
  if (next !== buf.length) throw bad(`${what}: trailing bytes`);
  return t;
}

export function children(content: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < content.length;) {
    const r = readTlv(content, at);
    out.push(r.tlv);
    at = r.next;
  }
  return out;
}

/**
 * The explicit [n] fields of a SEQUENCE body, by number. `Fields.need(n)` / `.opt(n)` return the inner
 * TLV's content holder so callers read each field with the primitive readers below.
 */
export class Fields {
  private readonly byTag = new Map<number, Tlv>();

  constructor(
    sequence: Tlv,
    private readonly what: string,
  ) {
    if (sequence.tag !== TAG.sequence) throw bad(`${what}: expected a SEQUENCE`);
    for (const c of children(sequence.value)) {
      if ((c.tag & 0xe0) !== 0xa0) throw bad(`${what}: unexpected tag 0x${c.tag.toString(16)}`);
      const inner = readTlv(c.value);
      if (inner.next !== c.value.length) throw bad(`${what}: trailing bytes in [${c.tag & 0x1f}]`);
      this.byTag.set(c.tag & 0x1f, inner.tlv);
    }
  }

  /** Opens `[APPLICATION app] SEQUENCE {…}`. */
  static application(buf: Buffer, app: number, what: string): Fields {
    const outer = expectTlv(buf, application(app), what);
    return new Fields(expectTlv(outer.value, TAG.sequence, what), what);
  }

  static sequence(t: Tlv, what: string): Fields {
    return new Fields(t, what);
  }

  has(n: number): boolean {
    return this.byTag.has(n);
  }

  need(n: number): Tlv {
    const t = this.byTag.get(n);
    if (!t) throw bad(`${this.what}: field [${n}] is missing`);
    return t;
  }

  opt(n: number): Tlv | undefined {
    return this.byTag.get(n);
  }

  int(n: number): number {
    return readInteger(this.need(n));
  }

  str(n: number): string {
    return readString(this.need(n));
  }

  bytes(n: number): Buffer {
    return readOctets(this.need(n));
  }

  time(n: number): Date {
    return readTime(this.need(n));
  }
}

export function readInteger(t: Tlv): number {
  if ((t.tag !== TAG.integer && t.tag !== TAG.enumerated) || t.value.length === 0 || t.value.length > 5)
    throw bad('expected a 32-bit INTEGER');
  let v = t.value[0]! & 0x80 ? -1n : 0n;
  for (const byte of t.value) v = (v << 8n) | BigInt(byte);
  return Number(v);
}

export function readOctets(t: Tlv): Buffer {
  if (t.tag !== TAG.octetString) throw bad('expected an OCTET STRING');
  return t.value;
}

export function readString(t: Tlv): string {
  if (t.tag !== TAG.generalString && t.tag !== 0x0c && t.tag !== 0x16) throw bad('expected a KerberosString');
  return t.value.toString('utf8');
}

export function readFlags32(t: Tlv): number {
  if (t.tag !== TAG.bitString || t.value.length < 1) throw bad('expected a BIT STRING');
  const bytes = Buffer.alloc(4);
  t.value.subarray(1, 5).copy(bytes);
  return bytes.readUInt32BE(0);
}

export function readTime(t: Tlv): Date {
  const m = t.tag === TAG.generalizedTime ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(t.value.toString('ascii')) : null;
  if (!m) throw bad('expected a KerberosTime');
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

export function readSequenceOf(t: Tlv, what: string): Tlv[] {
  if (t.tag !== TAG.sequence) throw bad(`${what}: expected a SEQUENCE OF`);
  return children(t.value);
}
