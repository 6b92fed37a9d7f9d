/**
 * Files on a host, for the provider: each operation runs in the host's shared session on the
 * administrative endpoint (shared-session.ts), so many files on one host use one session.
 */
import type { Host } from '../host';
import type { ContentSource } from './content-source';
import { readRemoteFile, removeRemoteFile, statRemoteFile, writeRemoteFile, type RemoteFileStat } from './file-operations';
import { fileSessions } from './shared-session';

export interface HostFiles {
  /** Writes the file (parent folders created, an existing file replaced atomically); answers the SHA-256 the host computed. */
  write(path: string, source: ContentSource, signal: AbortSignal): Promise<string>;
  /** SHA-256 and length, undefined when the file does not exist. */
  stat(path: string, signal: AbortSignal): Promise<RemoteFileStat | undefined>;
  /** A small file's content (at most `maxBytes`, 1 MiB by default), undefined when it does not exist. */
  read(path: string, signal: AbortSignal, maxBytes?: number): Promise<Buffer | undefined>;
  /** Deletes the file; whether it existed. */
  remove(path: string, signal: AbortSignal): Promise<boolean>;
}

export function hostFiles(host: Host): HostFiles {
  const sessions = fileSessions(host);
  const hostLabel = host.label;
  return {
    write: (path, source, signal) =>
      sessions.use(({ session, chunkBytes }) => writeRemoteFile(session, path, source, { chunkBytes, hostLabel, signal }), signal),
    stat: (path, signal) => sessions.use(({ session }) => statRemoteFile(session, path, { hostLabel, signal }), signal),
    read: (path, signal, maxBytes) => sessions.use(({ session }) => readRemoteFile(session, path, { maxBytes, hostLabel, signal }), signal),
    remove: (path, signal) => sessions.use(({ session }) => removeRemoteFile(session, path, { hostLabel, signal }), signal),
  };
}
