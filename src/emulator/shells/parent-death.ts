/**
 * Processes the emulator starts must not outlive it, even when it is SIGKILLed and has no chance to clean up.
 * `pwsh -s` sessions end on their own (stdin EOF is fatal to the OutOfProc server), but a WinRS command such
 * as `pwsh -Command "Start-Sleep 600"` never reads its stdin. On Linux such a child is started through
 * util-linux `setpriv --pdeathsig KILL`, so the kernel kills it when the emulator dies (prctl PR_SET_PDEATHSIG,
 * kept across exec). Where setpriv is not available the child is started directly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

let setpriv: string | null | undefined;

function findSetpriv(): string | null {
  if (process.platform !== 'linux') return null;
  for (const dir of ['/usr/bin', '/bin', ...(process.env.PATH ?? '').split(path.delimiter)]) {
    const candidate = path.join(dir, 'setpriv');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return null;
}

/** The file and arguments that start `file args` so that it dies with the emulator where the platform allows. */
export function diesWithEmulator(file: string, args: readonly string[]): { file: string; args: string[] } {
  if (setpriv === undefined) setpriv = findSetpriv();
  return setpriv === null ? { file, args: [...args] } : { file: setpriv, args: ['--pdeathsig', 'KILL', '--', file, ...args] };
}
