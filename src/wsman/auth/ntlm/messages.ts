import { decodeAvPairs, encodeAvPairs, type AvPair } from './av-pairs';
import { NTLM_FLAG, hasFlag } from './flags';
import { NtlmError } from './ntlm-error';

/** Encode and decode of the three NTLM messages (MS-NLMP 2.2.1). */

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');
const TYPE = { negotiate: 1, challenge: 2, authenticate: 3 } as const;
/** Version structure we send: Windows 10 build 19041, NTLMSSP revision 15 (only informational). */
export const CLIENT_VERSION = Buffer.from([10, 0, 0x61, 0x4a, 0, 0, 0, 15]);
const AUTHENTICATE_HEADER = 88;
export const MIC_OFFSET = 72;

export interface NegotiateMessage {
  readonly flags: number;
  readonly domain?: string;
  readonly workstation?: string;
  readonly version?: Buffer;
}

export interface ChallengeMessage {
  readonly flags: number;
  readonly serverChallenge: Buffer;
  readonly targetName?: string;
  readonly targetInfo: readonly AvPair[];
  readonly version?: Buffer;
}

export interface AuthenticateMessage {
  readonly flags: number;
  readonly lmChallengeResponse: Buffer;
  readonly ntChallengeResponse: Buffer;
  readonly domain: string;
  readonly user: string;
  readonly workstation: string;
  readonly encryptedRandomSessionKey: Buffer;
  readonly version?: Buffer;
  /** 16 bytes when present; encode writes zeros when absent. */
  readonly mic?: Buffer;
}

/** The message type of a raw NTLMSSP token (1, 2 or 3), or undefined when it is not NTLMSSP. */
export function ntlmMessageType(token: Buffer): number | undefined {
  if (token.length < 12 || !token.subarray(0, 8).equals(SIGNATURE)) return undefined;
  return token.readUInt32LE(8);
}

/** Lays out fixed header fields and a payload of variable fields, as every NTLM message does. */
class Writer {
  private readonly payload: Buffer[] = [];
  private payloadLength = 0;
  constructor(
    readonly header: Buffer,
    private readonly payloadStart: number,
  ) {}

  field(at: number, data: Buffer): void {
    this.header.writeUInt16LE(data.length, at);
    this.header.writeUInt16LE(data.length, at + 2);
    this.header.writeUInt32LE(this.payloadStart + this.payloadLength, at + 4);
    this.payload.push(data);
    this.payloadLength += data.length;
  }

  finish(): Buffer {
    return Buffer.concat([this.header, ...this.payload]);
  }
}

function start(type: number, headerLength: number): Buffer {
  const h = Buffer.alloc(headerLength);
  SIGNATURE.copy(h, 0);
  h.writeUInt32LE(type, 8);
  return h;
}

function text(value: string | undefined, flags: number): Buffer {
  if (!value) return Buffer.alloc(0);
  return Buffer.from(value, hasFlag(flags, NTLM_FLAG.unicode) ? 'utf16le' : 'latin1');
}

export function encodeNegotiate(m: NegotiateMessage): Buffer {
  const w = new Writer(start(TYPE.negotiate, 40), 40);
  w.header.writeUInt32LE(m.flags >>> 0, 12);
  // NEGOTIATE strings are OEM-encoded (the unicode choice is made later).
  w.field(16, m.domain ? Buffer.from(m.domain, 'latin1') : Buffer.alloc(0));
  w.field(24, m.workstation ? Buffer.from(m.workstation, 'latin1') : Buffer.alloc(0));
  (m.version ?? Buffer.alloc(8)).copy(w.header, 32);
  return w.finish();
}

export function encodeChallenge(m: ChallengeMessage): Buffer {
  if (m.serverChallenge.length !== 8) throw new NtlmError('NTLM server challenge must be 8 bytes');
  const w = new Writer(start(TYPE.challenge, 56), 56);
  w.field(12, text(m.targetName, m.flags));
  w.header.writeUInt32LE(m.flags >>> 0, 20);
  m.serverChallenge.copy(w.header, 24);
  w.field(40, encodeAvPairs(m.targetInfo));
  (m.version ?? Buffer.alloc(8)).copy(w.header, 48);
  return w.finish();
}

export function encodeAuthenticate(m: AuthenticateMessage): Buffer {
  const w = new Writer(start(TYPE.authenticate, AUTHENTICATE_HEADER), AUTHENTICATE_HEADER);
  w.field(12, m.lmChallengeResponse);
  w.field(20, m.ntChallengeResponse);
  w.field(28, text(m.domain, m.flags));
  w.field(36, text(m.user, m.flags));
  w.field(44, text(m.workstation, m.flags));
  w.field(52, m.encryptedRandomSessionKey);
  w.header.writeUInt32LE(m.flags >>> 0, 60);
  (m.version ?? Buffer.alloc(8)).copy(w.header, 64);
  (m.mic ?? Buffer.alloc(16)).copy(w.header, MIC_OFFSET);
  return w.finish();
}

/** Reads fixed fields with bounds checks; a hostile token fails with NtlmError, never a RangeError. */
class Reader {
  constructor(
    readonly buf: Buffer,
    expectedType: number,
    minLength: number,
  ) {
    if (buf.length < minLength) throw new NtlmError(`NTLM message is too short (${buf.length} bytes)`);
    const type = ntlmMessageType(buf);
    if (type === undefined) throw new NtlmError('not an NTLMSSP message');
    if (type !== expectedType) throw new NtlmError(`expected NTLM message type ${expectedType}, got ${type}`);
  }

  /** A variable field and its offset (so callers can tell how large the fixed header was). */
  field(at: number): { data: Buffer; offset: number } {
    const len = this.buf.readUInt16LE(at);
    const offset = this.buf.readUInt32LE(at + 4);
    if (len === 0) return { data: Buffer.alloc(0), offset };
    if (offset + len > this.buf.length) throw new NtlmError('NTLM message field points outside the message');
    return { data: Buffer.from(this.buf.subarray(offset, offset + len)), offset };
  }

  text(at: number, flags: number): string {
    return this.field(at).data.toString(hasFlag(flags, NTLM_FLAG.unicode) ? 'utf16le' : 'latin1');
  }
}

export function decodeNegotiate(buf: Buffer): NegotiateMessage {
  const r = new Reader(buf, TYPE.negotiate, 16);
  const flags = buf.readUInt32LE(12);
  if (buf.length < 32) return { flags };
  const hasVersion = hasFlag(flags, NTLM_FLAG.version) && buf.length >= 40;
  return {
    flags,
    domain: r.field(16).data.toString('latin1') || undefined,
    workstation: r.field(24).data.toString('latin1') || undefined,
    version: hasVersion ? Buffer.from(buf.subarray(32, 40)) : undefined,
  };
}

export function decodeChallenge(buf: Buffer): ChallengeMessage {
  const r = new Reader(buf, TYPE.challenge, 48);
  const flags = buf.readUInt32LE(20);
  const info = r.field(40);
  const hasVersion = info.offset >= 56 || (info.data.length === 0 && buf.length >= 56);
  return {
    flags,
    targetName: r.text(12, flags) || undefined,
    serverChallenge: Buffer.from(buf.subarray(24, 32)),
    targetInfo: info.data.length > 0 ? decodeAvPairs(info.data) : [],
    version: hasVersion && hasFlag(flags, NTLM_FLAG.version) ? Buffer.from(buf.subarray(48, 56)) : undefined,
  };
}

export function decodeAuthenticate(buf: Buffer): AuthenticateMessage {
  const r = new Reader(buf, TYPE.authenticate, 64);
  const flags = buf.readUInt32LE(60);
  const fields = [12, 20, 28, 36, 44, 52].map((at) => r.field(at));
  const payloadStart = Math.min(...fields.filter((f) => f.data.length > 0).map((f) => f.offset), buf.length);
  return {
    flags,
    lmChallengeResponse: fields[0]!.data,
    ntChallengeResponse: fields[1]!.data,
    domain: r.text(28, flags),
    user: r.text(36, flags),
    workstation: r.text(44, flags),
    encryptedRandomSessionKey: fields[5]!.data,
    version: payloadStart >= 72 ? Buffer.from(buf.subarray(64, 72)) : undefined,
    mic: payloadStart >= AUTHENTICATE_HEADER ? Buffer.from(buf.subarray(MIC_OFFSET, AUTHENTICATE_HEADER)) : undefined,
  };
}
