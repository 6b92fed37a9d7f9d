/**
 * What a file write sends: bytes read by offset, so a large local file is never held in memory whole
 * (a write reads one batch of chunks at a time).
 */
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { HostError } from '../host-error';

export interface ContentSource {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer only at the end). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export function bytesSource(bytes: Uint8Array): ContentSource {
  return { size: bytes.length, read: (offset, length) => Promise.resolve(bytes.subarray(offset, offset + length)) };
}

/** A local file; its size is taken when the source is made, and a file that changes size meanwhile fails the read. */
export async function localFileSource(path: string): Promise<ContentSource> {
  const size = (await stat(path)).size;
  return {
    size,
    read: async (offset, length) => {
      const handle = await open(path, 'r');
      try {
        const buffer = Buffer.alloc(Math.min(length, Math.max(0, size - offset)));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        if (bytesRead !== buffer.length) throw new HostError('source-changed', `${path} changed while it was read`);
        return buffer;
      } finally {
        await handle.close();
      }
    },
  };
}

const HASH_READ = 1024 * 1024;

/** The SHA-256 of a source, upper-case hex as Get-FileHash writes it. */
export async function sourceSha256(source: ContentSource): Promise<string> {
  const hash = createHash('sha256');
  for (let offset = 0; offset < source.size; offset += HASH_READ) hash.update(await source.read(offset, HASH_READ));
  return hash.digest('hex').toUpperCase();
}
