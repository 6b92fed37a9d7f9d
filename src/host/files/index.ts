/** Files on a host over a PowerShell session on its administrative endpoint (what Copy-Item -ToSession does). */
export { hostFiles, type HostFiles } from './host-files';
export { bytesSource, localFileSource, sourceSha256, type ContentSource } from './content-source';
export { chunkBytes, DEFAULT_READ_LIMIT, type RemoteFileStat } from './file-operations';
export { windowsPathProblem } from './windows-path';
