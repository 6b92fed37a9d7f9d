/** The emulator CLI as a child process (bundled with esbuild), for tests that must kill it outright. */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { buildSync } from 'esbuild';

export interface EmulatorCli {
  readonly child: ChildProcessByStdio<null, Readable, null>;
  /** The one JSON line the CLI printed when ready, as printed. */
  readonly line: string;
}

export async function startEmulatorCli(
  workDir: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<EmulatorCli> {
  const bundle = path.join(workDir, 'cli.js');
  buildSync({
    entryPoints: [path.join(__dirname, '../../src/emulator/cli.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile: bundle,
    logLevel: 'silent',
  });
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'ignore'], env });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out);
    });
    child.once('exit', () => reject(new Error('emulator exited early')));
  });
  return { child, line };
}

/** Whether a process exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
