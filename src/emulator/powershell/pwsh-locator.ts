/**
 * Where the emulator finds PowerShell 7: `PSREMOTING_PWSH` (a path to the executable), then `pwsh` on PATH,
 * then the repository's own tool folder `.tools/pwsh/` (git-ignored), which `npm install` fills with
 * `dotnet tool install PowerShell --version 7.6.9 --tool-path .tools/pwsh` (scripts/pwsh-install.js) when
 * neither of the others exists. The install script, CI and the tests read the answer from here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EmulatorError } from '../emulator-error';

/** The PowerShell release the project tests against. */
export const PWSH_VERSION = '7.6.9';

/** The repository root: this file sits in src/emulator/powershell (or dist/emulator/powershell once built). */
const REPOSITORY = path.resolve(__dirname, '..', '..', '..');

export const PWSH_TOOL_FOLDER = path.join(REPOSITORY, '.tools', 'pwsh');

export type PwshSource = 'PSREMOTING_PWSH' | 'PATH' | 'tool folder';

export interface PwshLocation {
  readonly path: string;
  readonly source: PwshSource;
}

export const PWSH_MISSING_MESSAGE =
  `PowerShell 7 (pwsh) was not found: set PSREMOTING_PWSH to its path, put pwsh on PATH, or run npm install ` +
  `with the .NET SDK on PATH (it runs: dotnet tool install PowerShell --version ${PWSH_VERSION} --tool-path .tools/pwsh). ` +
  `Other ways to get it: https://learn.microsoft.com/powershell/scripting/install/installing-powershell`;

export function locatePwsh(env: NodeJS.ProcessEnv = process.env): PwshLocation | undefined {
  const explicit = env.PSREMOTING_PWSH;
  if (explicit !== undefined && explicit !== '') return isExecutable(explicit) ? { path: explicit, source: 'PSREMOTING_PWSH' } : undefined;
  const onPath = (env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => path.join(dir, executableName()))
    .find(isExecutable);
  if (onPath !== undefined) return { path: onPath, source: 'PATH' };
  const tool = path.join(PWSH_TOOL_FOLDER, executableName());
  return isExecutable(tool) ? { path: tool, source: 'tool folder' } : undefined;
}

/** The pwsh to run, or the emulator's `pwsh-missing` error carrying the message that says how to get one. */
export function requirePwsh(env: NodeJS.ProcessEnv = process.env): string {
  const found = locatePwsh(env);
  if (!found) throw new EmulatorError('pwsh-missing', PWSH_MISSING_MESSAGE);
  return found.path;
}

function executableName(): string {
  return process.platform === 'win32' ? 'pwsh.exe' : 'pwsh';
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
