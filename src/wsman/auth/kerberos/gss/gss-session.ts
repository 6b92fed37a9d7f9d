/**
 * An established Kerberos GSS-API context (RFC 4121): per-message tokens in both directions.
 * Wrap tokens (4.2.6.2) are always sealed, with EC 0 and RRC 28 as Windows sends them to WinRM (so the
 * MS-WSMV "signature" part is the 16-byte token header plus 44 bytes: 60 for AES); received tokens may
 * use any EC and RRC. MIC tokens (4.2.6.1) serve the SPNEGO mechListMIC. Sequence numbers are checked
 * strictly: a replayed, dropped or reordered token is refused.
 */
import { checksum, decrypt, encrypt, usageKeys, verifyChecksum, type EncryptionKey, type UsageKeys } from '../crypto/aes-sha1-profile';
import { KerberosError } from '../kerberos-error';
import type { MessageSealer } from '../../encryption-framing';

export type GssRole = 'initiator' | 'acceptor';

/** RFC 4121 2 key usages. */
const KG_USAGE = { acceptorSeal: 22, acceptorSign: 23, initiatorSeal: 24, initiatorSign: 25 } as const;
const FLAG = { sentByAcceptor: 0x01, sealed: 0x02, acceptorSubkey: 0x04 } as const;
const HEADER = 16;
/** RRC Windows uses for AES wrap tokens (MS-KILE 3.4.5.4.1): the confounder-less tail (16 + 12) in front. */
const WINDOWS_RRC = 28;

interface Direction {
  readonly seal: UsageKeys;
  readonly sign: UsageKeys;
  seq: bigint;
}

export interface GssSessionParams {
  readonly role: GssRole;
  readonly key: EncryptionKey;
  /** Whether `key` is the acceptor's subkey from the AP-REP (flag 0x04 in every token). */
  readonly acceptorSubkey: boolean;
  readonly sendSeq: number;
  readonly receiveSeq: number;
}

export class KerberosSession implements MessageSealer {
  readonly role: GssRole;
  private readonly out: Direction;
  private readonly in: Direction;
  private readonly flags: number;

  constructor(p: GssSessionParams) {
    this.role = p.role;
    const initiator = { seal: usageKeys(p.key, KG_USAGE.initiatorSeal), sign: usageKeys(p.key, KG_USAGE.initiatorSign) };
    const acceptor = { seal: usageKeys(p.key, KG_USAGE.acceptorSeal), sign: usageKeys(p.key, KG_USAGE.acceptorSign) };
    const mine = p.role === 'initiator' ? initiator : acceptor;
    const theirs = p.role === 'initiator' ? acceptor : initiator;
    this.out = { ...mine, seq: BigInt(p.sendSeq >>> 0) };
    this.in = { ...theirs, seq: BigInt(p.receiveSeq >>> 0) };
    this.flags = (p.role === 'acceptor' ? FLAG.sentByAcceptor : 0) | (p.acceptorSubkey ? FLAG.acceptorSubkey : 0);
  }

  /** A sealed wrap token for `data`. */
  wrap(data: Uint8Array): Buffer {
    const header = this.header(0x0504, this.flags | FLAG.sealed, this.out.seq++);
    const cipher = encrypt(this.out.seal, Buffer.concat([data, header]));
    header.writeUInt16BE(WINDOWS_RRC, 6);
    return Buffer.concat([header, rotateRight(cipher, WINDOWS_RRC)]);
  }

  /** The data of a sealed wrap token from the peer; KerberosError('integrity') when it does not verify. */
  unwrap(token: Uint8Array): Buffer {
    const t = Buffer.from(token);
    if (t.length < HEADER || t.readUInt16BE(0) !== 0x0504 || t[3] !== 0xff)
      throw new KerberosError('bad-message', 'not an RFC 4121 wrap token');
    const flags = t[2]!;
    this.checkFlags(flags);
    if ((flags & FLAG.sealed) === 0)
      throw new KerberosError('integrity', 'wrap token is not sealed; message encryption requires confidentiality');
    const ec = t.readUInt16BE(4);
    const rrc = t.readUInt16BE(6);
    const body = t.subarray(HEADER);
    let plain: Buffer;
    try {
      plain = decrypt(this.in.seal, rotateLeft(body, rrc));
    } catch (e) {
      // Windows counts EC into the rotation (impacket krb5/gssapi.py GSSAPI_AES does the same).
      if (!(e instanceof KerberosError) || ec === 0) throw e;
      plain = decrypt(this.in.seal, rotateLeft(body, rrc + ec));
    }
    if (plain.length < ec + HEADER) throw new KerberosError('integrity', 'wrap token is shorter than its filler');
    const copy = plain.subarray(plain.length - HEADER);
    if (!copy.subarray(0, 6).equals(t.subarray(0, 6)) || !copy.subarray(8).equals(t.subarray(8, HEADER)))
      throw new KerberosError('integrity', 'wrap token header does not match its encrypted copy');
    this.checkSequence(t.readBigUInt64BE(8));
    return Buffer.from(plain.subarray(0, plain.length - ec - HEADER));
  }

  /** A MIC token over `data` (RFC 4121 4.2.6.1). */
  getMic(data: Uint8Array): Buffer {
    const header = this.header(0x0404, this.flags, this.out.seq++);
    return Buffer.concat([header, checksum(this.out.sign, data, header)]);
  }

  verifyMic(token: Uint8Array, data: Uint8Array): void {
    const t = Buffer.from(token);
    if (t.length !== HEADER + 12 || t.readUInt16BE(0) !== 0x0404 || !t.subarray(3, 8).equals(Buffer.alloc(5, 0xff)))
      throw new KerberosError('bad-message', 'not an RFC 4121 MIC token');
    this.checkFlags(t[2]!);
    if (!verifyChecksum(this.in.sign, t.subarray(HEADER), data, t.subarray(0, HEADER)))
      throw new KerberosError('integrity', 'MIC token does not verify');
    this.checkSequence(t.readBigUInt64BE(8));
  }

  /** MS-WSMV 2.2.9.1 sealing: the token split into its header part (the "signature") and the data-sized rest. */
  seal(message: Uint8Array): { sealed: Buffer; signature: Buffer } {
    const token = this.wrap(message);
    const cut = token.length - message.length;
    return { signature: token.subarray(0, cut), sealed: token.subarray(cut) };
  }

  unseal(sealed: Uint8Array, signature: Uint8Array): Buffer {
    return this.unwrap(Buffer.concat([signature, sealed]));
  }

  /** A token header: MIC tokens fill bytes 3-7 with 0xFF, wrap tokens have one 0xFF then EC and RRC (0 until rotated). */
  private header(tokId: number, flags: number, seq: bigint): Buffer {
    const h = Buffer.alloc(HEADER, 0xff);
    h.writeUInt16BE(tokId, 0);
    h[2] = flags;
    if (tokId === 0x0504) h.writeUInt32BE(0, 4);
    h.writeBigUInt64BE(seq & 0xffffffffffffffffn, 8);
    return h;
  }

  private checkFlags(flags: number): void {
    const fromAcceptor = (flags & FLAG.sentByAcceptor) !== 0;
    if (fromAcceptor !== (this.role === 'initiator'))
      throw new KerberosError('integrity', 'token direction flag is wrong (a reflected token?)');
    if ((flags & FLAG.acceptorSubkey) !== (this.flags & FLAG.acceptorSubkey))
      throw new KerberosError('integrity', 'token AcceptorSubkey flag does not match the context');
  }

  private checkSequence(seq: bigint): void {
    if (seq !== this.in.seq)
      throw new KerberosError('integrity', `token sequence number ${seq} where ${this.in.seq} was expected (replayed, lost or reordered)`);
    this.in.seq++;
  }
}

function rotateRight(b: Buffer, n: number): Buffer {
  const k = b.length === 0 ? 0 : n % b.length;
  return k === 0 ? b : Buffer.concat([b.subarray(b.length - k), b.subarray(0, b.length - k)]);
}

function rotateLeft(b: Buffer, n: number): Buffer {
  const k = b.length === 0 ? 0 : n % b.length;
  return k === 0 ? Buffer.from(b) : Buffer.concat([b.subarray(k), b.subarray(0, k)]);
}
