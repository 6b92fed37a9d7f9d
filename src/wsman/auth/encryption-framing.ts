import { WsmanBadResponseError } from '../faults/errors';

/**
 * MS-WSMV 2.2.9.1 message encryption body: a two-part `multipart/encrypted` document whose second part is
 * `<u32 LE signature length><signature><sealed SOAP>`. Symmetric: the client wraps requests and unwraps
 * responses, the emulator does the reverse, with the same functions.
 */

/** The protocol names of MS-WSMV 2.2.9.1: NTLM (through SPNEGO) and Kerberos sealing. */
export const ENCRYPTED_PROTOCOL = {
  spnego: 'application/HTTP-SPNEGO-session-encrypted',
  kerberos: 'application/HTTP-Kerberos-session-encrypted',
} as const;
export type EncryptedProtocol = (typeof ENCRYPTED_PROTOCOL)[keyof typeof ENCRYPTED_PROTOCOL];
const SPNEGO_ENCRYPTED_PROTOCOL = ENCRYPTED_PROTOCOL.spnego;
const BOUNDARY = 'Encrypted Boundary';
export const encryptedContentType = (protocol: EncryptedProtocol): string =>
  `multipart/encrypted;protocol="${protocol}";boundary="${BOUNDARY}"`;
export const ENCRYPTED_CONTENT_TYPE = encryptedContentType(SPNEGO_ENCRYPTED_PROTOCOL);
export const SOAP_CONTENT_TYPE = 'application/soap+xml;charset=UTF-8';
/** Both parts' MIME headers fit here (Windows writes about 200 bytes of them). */
const MAX_MIME_HEADER_BYTES = 1024;

/** What sealing needs from a security context (NtlmSession implements it). */
export interface MessageSealer {
  seal(message: Uint8Array): { sealed: Buffer; signature: Buffer };
  unseal(sealed: Uint8Array, signature: Uint8Array): Buffer;
}

/** Which MS-WSMV sealing protocol a Content-Type names, if any. */
export function encryptedProtocolOf(contentType: string | undefined): EncryptedProtocol | undefined {
  if (contentType === undefined || !/^multipart\/encrypted\s*;/i.test(contentType)) return undefined;
  const lower = contentType.toLowerCase();
  return Object.values(ENCRYPTED_PROTOCOL).find((p) => lower.includes(p.toLowerCase()));
}

export function isEncryptedContentType(contentType: string | undefined): boolean {
  return encryptedProtocolOf(contentType) !== undefined;
}

export function encodeEncryptedBody(
  sealer: MessageSealer,
  plaintext: Buffer,
  originalType = SOAP_CONTENT_TYPE,
  protocol: EncryptedProtocol = SPNEGO_ENCRYPTED_PROTOCOL,
): Buffer {
  const { sealed, signature } = sealer.seal(plaintext);
  const sigLength = Buffer.alloc(4);
  sigLength.writeUInt32LE(signature.length, 0);
  const head =
    `--${BOUNDARY}\r\n` +
    `\tContent-Type: ${protocol}\r\n` +
    `\tOriginalContent: type=${originalType};Length=${plaintext.length}\r\n` +
    `--${BOUNDARY}\r\n` +
    `\tContent-Type: application/octet-stream\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), sigLength, signature, sealed, Buffer.from(`--${BOUNDARY}--\r\n`, 'latin1')]);
}

export interface DecodedEncryptedBody {
  readonly plaintext: Buffer;
  /** The original Content-Type (e.g. `application/soap+xml;charset=UTF-8`). */
  readonly originalType: string;
}

/** Unwraps and verifies an encrypted body; tolerates `-- Encrypted Boundary` (a space, seen from Exchange). */
export function decodeEncryptedBody(sealer: MessageSealer, body: Buffer): DecodedEncryptedBody {
  const bad = (why: string): WsmanBadResponseError => new WsmanBadResponseError(`malformed encrypted message: ${why}`);
  // Only the short MIME headers are searched as text: a regex over a whole hostile body can take
  // quadratic time, and the sealed payload is binary anyway.
  const text = body.subarray(0, MAX_MIME_HEADER_BYTES).toString('latin1');
  const boundary = /--\s?Encrypted Boundary\r?\n/g;
  const first = boundary.exec(text);
  const second = first && boundary.exec(text);
  if (!first || !second || first.index !== 0) throw bad('missing the two MIME parts');
  const headers = text.slice(first.index + first[0].length, second.index);
  const original = /OriginalContent:\s*type=([^\r\n]*?);\s*Length=(\d+)/i.exec(headers);
  if (!original) throw bad('no OriginalContent header with a Length');
  const length = Number(original[2]);
  const part = text.slice(second.index + second[0].length);
  const headerEnd = /Content-Type:\s*application\/octet-stream\r?\n/i.exec(part);
  if (!headerEnd || headerEnd.index > 64) throw bad('second part is not application/octet-stream');
  const start = second.index + second[0].length + headerEnd.index + headerEnd[0].length;
  if (start + 4 > body.length) throw bad('truncated');
  const sigLength = body.readUInt32LE(start);
  const sigEnd = start + 4 + sigLength;
  if (sigLength === 0 || sigLength > 64 || sigEnd + length > body.length) throw bad('signature or payload length exceeds the body');
  const tail = body.subarray(sigEnd + length).toString('latin1');
  if (!/^--\s?Encrypted Boundary--/.test(tail)) throw bad('payload length does not match OriginalContent');
  const plaintext = sealer.unseal(body.subarray(sigEnd, sigEnd + length), body.subarray(start + 4, sigEnd));
  return { plaintext, originalType: original[1]!.trim() };
}
