/**
 * File operations in an open session on a host's administrative endpoint, the way Copy-Item -ToSession
 * works: content goes as base64 chunks, each one PSRP pipeline input object sized to fit one fragment
 * of the host's MaxEnvelopeSize (MS-PSRP 2.2.4: a message larger than the envelope is fragmented; a
 * chunk that fits keeps every Send request one fragment), written to a temporary file beside the target
 * and moved into place at the end. Chunks go in batches, one pipeline each, so neither side holds more
 * than a batch in memory. Refusals are HostErrors with the host's reason; content never appears in them.
 */
import { randomUUID } from 'node:crypto';
import type { PipelineResult, PowerShellSession } from '../powershell';
import { HostError } from '../host-error';
import type { ContentSource } from './content-source';
import { DISCARD_PARTIAL, READ, REMOVE, STAT, WRITE_BATCH } from './file-scripts';

/** Room a chunk's CLIXML string and the PSRP message and fragment headers take besides its base64 (MS-PSRP 2.2.1, 2.2.4). */
const CHUNK_OVERHEAD = 1024;
/** Bytes per pipeline: what each side holds at most, and a few pipelines for a file of megabytes. */
const BATCH_BYTES = 4 * 1024 * 1024;
/** The default bound of a content read (small files: configuration, scripts). */
export const DEFAULT_READ_LIMIT = 1024 * 1024;

export interface RemoteFileStat {
  /** Upper-case hex, as Get-FileHash writes it. */
  readonly sha256: string;
  readonly length: number;
}

/** Raw bytes per chunk for a session whose fragments carry at most `fragmentBudget` bytes: base64 of it fits one fragment. */
export function chunkBytes(fragmentBudget: number): number {
  const chunk = Math.floor((fragmentBudget - CHUNK_OVERHEAD) / 4) * 3;
  if (chunk < 3) throw new HostError('invalid-request', `a fragment budget of ${fragmentBudget} bytes leaves no room for file content`);
  return chunk;
}

/** Writes `source` to `path` on the host; answers the SHA-256 the host computed of the file in place. */
export async function writeRemoteFile(
  session: PowerShellSession,
  path: string,
  source: ContentSource,
  o: { chunkBytes: number; hostLabel: string; signal: AbortSignal },
): Promise<string> {
  const id = randomUUID();
  const batch = Math.max(o.chunkBytes, Math.floor(BATCH_BYTES / o.chunkBytes) * o.chunkBytes);
  let offset = 0;
  try {
    for (let first = true; first || offset < source.size; first = false) {
      const bytes = await source.read(offset, Math.min(batch, source.size - offset));
      offset += bytes.length;
      const last = offset >= source.size;
      const input: string[] = [];
      for (let at = 0; at < bytes.length; at += o.chunkBytes)
        input.push(Buffer.from(bytes.subarray(at, at + o.chunkBytes)).toString('base64'));
      const r = await session.runScript(WRITE_BATCH, {
        parameters: { Path: path, Id: id, First: first, Last: last },
        input,
        signal: o.signal,
      });
      refused(r, 'writing', path, o.hostLabel);
      if (last) return singleString(r, 'writing', path, o.hostLabel);
    }
  } catch (e) {
    if (!o.signal.aborted) await session.runScript(DISCARD_PARTIAL, { parameters: { Path: path, Id: id } }).catch(() => undefined);
    throw e;
  }
  throw new HostError('invalid-request', `writing ${path}: the content source ended early`);
}

/** The SHA-256 and length of a file on the host, undefined when it does not exist. */
export async function statRemoteFile(
  session: PowerShellSession,
  path: string,
  o: { hostLabel: string; signal: AbortSignal },
): Promise<RemoteFileStat | undefined> {
  const r = await session.runScript(STAT, { parameters: { Path: path }, signal: o.signal });
  refused(r, 'reading the hash of', path, o.hostLabel);
  if (r.output.length === 0) return undefined;
  const m = /^([0-9A-F]{64}) (\d+)$/.exec(singleString(r, 'reading the hash of', path, o.hostLabel));
  if (!m)
    throw new HostError('file-refused', `reading the hash of ${path} on ${o.hostLabel}: the host answered something else than a hash`);
  return { sha256: m[1]!, length: Number(m[2]) };
}

/** A small file's content, undefined when it does not exist; a file above `maxBytes` is a `file-too-large` error. */
export async function readRemoteFile(
  session: PowerShellSession,
  path: string,
  o: { maxBytes?: number; hostLabel: string; signal: AbortSignal },
): Promise<Buffer | undefined> {
  const maxBytes = o.maxBytes ?? DEFAULT_READ_LIMIT;
  const r = await session.runScript(READ, { parameters: { Path: path, MaxBytes: maxBytes }, signal: o.signal });
  refused(r, 'reading', path, o.hostLabel);
  if (r.output.length === 0) return undefined;
  const answer = singleString(r, 'reading', path, o.hostLabel);
  if (answer.startsWith('too-large '))
    throw new HostError(
      'file-too-large',
      `${path} on ${o.hostLabel} has ${answer.slice(10)} bytes, more than the ${maxBytes} read at most`,
    );
  if (!answer.startsWith('content ')) throw new HostError('file-refused', `reading ${path} on ${o.hostLabel}: unexpected answer`);
  return Buffer.from(answer.slice(8), 'base64');
}

/** Deletes a file on the host; answers whether it existed (a missing file is no error: the goal is reached). */
export async function removeRemoteFile(
  session: PowerShellSession,
  path: string,
  o: { hostLabel: string; signal: AbortSignal },
): Promise<boolean> {
  const r = await session.runScript(REMOVE, { parameters: { Path: path }, signal: o.signal });
  refused(r, 'removing', path, o.hostLabel);
  return r.output[0] === true;
}

/** A failed pipeline or an error record: the host refused; its message is the reason. */
function refused(r: PipelineResult, what: string, path: string, hostLabel: string): void {
  const failure = r.reason ?? r.errors[0];
  if (r.state !== 'Completed' || failure)
    throw new HostError('file-refused', `${what} ${path} on ${hostLabel} failed: ${failure?.message ?? `the pipeline ended ${r.state}`}`);
}

function singleString(r: PipelineResult, what: string, path: string, hostLabel: string): string {
  const v = r.output[r.output.length - 1];
  if (typeof v !== 'string') throw new HostError('file-refused', `${what} ${path} on ${hostLabel}: the host answered no text`);
  return v;
}
