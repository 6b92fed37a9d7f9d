import { NTLM_FLAG, hasFlag } from './flags';
import { NtlmError } from './ntlm-error';
import { directionKeys, hmacMd5, type NtlmRole } from './ntlmv2';
import { Rc4 } from './rc4';

const NTLM_SIGNATURE_LENGTH = 16;

interface Direction {
  readonly signKey: Buffer;
  readonly rc4: Rc4;
  seq: number;
}

/**
 * The established security context of one connection: sign/seal what we send, verify/unseal what we
 * receive, each direction with its own RC4 keystream and sequence number (extended session security).
 */
export class NtlmSession {
  private readonly out: Direction;
  private readonly in: Direction;
  private readonly keyExchange: boolean;

  constructor(
    readonly role: NtlmRole,
    exportedSessionKey: Buffer,
    readonly flags: number,
  ) {
    if (!hasFlag(flags, NTLM_FLAG.extendedSessionSecurity)) {
      throw new NtlmError('NTLM without extended session security is not supported');
    }
    const bits = hasFlag(flags, NTLM_FLAG.negotiate128) ? 128 : hasFlag(flags, NTLM_FLAG.negotiate56) ? 56 : 40;
    const peer: NtlmRole = role === 'client' ? 'server' : 'client';
    const mine = directionKeys(exportedSessionKey, role, bits);
    const theirs = directionKeys(exportedSessionKey, peer, bits);
    this.out = { signKey: mine.signKey, rc4: new Rc4(mine.sealKey), seq: 0 };
    this.in = { signKey: theirs.signKey, rc4: new Rc4(theirs.sealKey), seq: 0 };
    this.keyExchange = hasFlag(flags, NTLM_FLAG.keyExchange);
  }

  /** Seals a message; returns the sealed bytes and its 16-byte signature. */
  seal(message: Uint8Array): { sealed: Buffer; signature: Buffer } {
    const sealed = this.out.rc4.update(message);
    return { sealed, signature: this.signature(this.out, message) };
  }

  /** Unseals a message and verifies its signature; throws NtlmError when it does not match. */
  unseal(sealed: Uint8Array, signature: Uint8Array): Buffer {
    const message = this.in.rc4.update(sealed);
    this.verify(message, signature);
    return message;
  }

  /** A signature over a message sent in clear. */
  sign(message: Uint8Array): Buffer {
    return this.signature(this.out, message);
  }

  /** Verifies a signature over a message received in clear; throws NtlmError when it does not match. */
  verify(message: Uint8Array, signature: Uint8Array): void {
    const expected = this.signature(this.in, message);
    if (signature.length !== NTLM_SIGNATURE_LENGTH || !expected.equals(Buffer.from(signature))) {
      throw new NtlmError('NTLM message signature does not match (tampered message or lost sequence)');
    }
  }

  private signature(d: Direction, message: Uint8Array): Buffer {
    const seq = Buffer.alloc(4);
    seq.writeUInt32LE(d.seq, 0);
    d.seq = (d.seq + 1) >>> 0;
    let checksum = hmacMd5(d.signKey, seq, message).subarray(0, 8);
    if (this.keyExchange) checksum = d.rc4.update(checksum);
    return Buffer.concat([Buffer.from([1, 0, 0, 0]), checksum, seq]);
  }
}
