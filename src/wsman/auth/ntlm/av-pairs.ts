import { NtlmError } from './ntlm-error';

/** AV_PAIR ids (MS-NLMP 2.2.2.1). */
export const AV_ID = {
  eol: 0,
  nbComputerName: 1,
  nbDomainName: 2,
  dnsComputerName: 3,
  dnsDomainName: 4,
  dnsTreeName: 5,
  flags: 6,
  timestamp: 7,
  singleHost: 8,
  targetName: 9,
  channelBindings: 10,
} as const;

/** MsvAvFlags bit: the AUTHENTICATE message carries a MIC. */
export const AV_FLAG_MIC_PRESENT = 0x2;

export interface AvPair {
  readonly id: number;
  readonly value: Buffer;
}

export function decodeAvPairs(data: Buffer): AvPair[] {
  const out: AvPair[] = [];
  let off = 0;
  while (off + 4 <= data.length) {
    const id = data.readUInt16LE(off);
    const len = data.readUInt16LE(off + 2);
    off += 4;
    if (id === AV_ID.eol) return out;
    if (off + len > data.length) throw new NtlmError('NTLM target info is truncated');
    out.push({ id, value: Buffer.from(data.subarray(off, off + len)) });
    off += len;
  }
  throw new NtlmError('NTLM target info has no end-of-list marker');
}

export function encodeAvPairs(pairs: readonly AvPair[]): Buffer {
  const parts: Buffer[] = [];
  for (const p of pairs) {
    if (p.id === AV_ID.eol) continue;
    const head = Buffer.alloc(4);
    head.writeUInt16LE(p.id, 0);
    head.writeUInt16LE(p.value.length, 2);
    parts.push(head, p.value);
  }
  parts.push(Buffer.alloc(4));
  return Buffer.concat(parts);
}

export function avString(value: string): Buffer {
  return Buffer.from(value, 'utf16le');
}
