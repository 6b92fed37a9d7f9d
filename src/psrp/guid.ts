import { PsrpError } from './errors';

/**
 * GUIDs in PSRP message headers travel in .NET `Guid.ToByteArray()` order (MS-PSRP 2.2.1): the first
 * three groups little-endian, the last two as written. Text form is the usual 8-4-4-4-12 hex.
 */

export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

const GUID_TEXT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** True for the 8-4-4-4-12 text form (either case). */
export function isGuid(text: string): boolean {
  return GUID_TEXT.test(text);
}

/** The 16 bytes .NET writes for `guid` (lower- or upper-case text accepted). */
export function guidToBytes(guid: string): Buffer {
  if (!isGuid(guid)) throw new PsrpError('message', `not a GUID: ${JSON.stringify(guid.slice(0, 64))}`);
  const rfc = Buffer.from(guid.replace(/-/g, ''), 'hex');
  const out = Buffer.from(rfc);
  // Data1 (4 bytes), Data2 (2), Data3 (2) are little-endian in .NET's order.
  out[0] = rfc[3]!;
  out[1] = rfc[2]!;
  out[2] = rfc[1]!;
  out[3] = rfc[0]!;
  out[4] = rfc[5]!;
  out[5] = rfc[4]!;
  out[6] = rfc[7]!;
  out[7] = rfc[6]!;
  return out;
}

/** The lower-case text of 16 bytes in .NET order. */
export function bytesToGuid(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new PsrpError('message', `a GUID is 16 bytes, got ${bytes.length}`);
  const b = bytes;
  const hex = (from: number, to: number, reverse: boolean): string => {
    const part = Buffer.from(b.subarray(from, to));
    return (reverse ? part.reverse() : part).toString('hex');
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}`;
}
