/**
 * Where the emulator finds PowerShell 7: `PSREMOTING_PWSH` (a path to the executable), then `pwsh` on PATH,
 * then the repository's own tool folder `.tools/pwsh/` (git-ignored), which `npm install` fills with
 * `dotnet tool install PowerShell --version 7.6.9 --tool-path .tools/pwsh` (scripts/pwsh-install.js) when
 * neither of the others exists. The install script, CI and the tests read the answer from here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EmulatorError } from '../emulator-error';
import { isExecutableFile } from '../shells/executable-file';

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

/**
 * Environment every pwsh the emulator starts gets. No telemetry or update check. And no multicore-JIT
 * startup profile: pwsh writes `~/.cache/powershell/StartupProfileData-*` at every exit, without a lock.
 * When many pwsh processes run at once (the emulator runs one per session), that file gets corrupted,
 * and every later pwsh that replays it crashes with "Stack overflow." until it is rewritten (PowerShell
 * issue #26528, dotnet/runtime #121977; seen in this project's CI). Requiring more CPUs than any machine has
 * turns the runtime's multicore JIT off, so the file is neither read nor written. A start measured 7% slower.
 */
export const PWSH_ENVIRONMENT: Readonly<Record<string, string>> = {
  POWERSHELL_TELEMETRY_OPTOUT: '1',
  POWERSHELL_UPDATECHECK: 'Off',
  DOTNET_MultiCoreJitMinNumCpus: '65535',
};

/** How to start PowerShell: `file` with `prefix` before pwsh's own arguments. */
export interface PwshCommand {
  readonly file: string;
  readonly prefix: readonly string[];
}

export const PWSH_MISSING_MESSAGE =
  `PowerShell 7 (pwsh) was not found: set PSREMOTING_PWSH to its path, put pwsh on PATH, or run npm install ` +
  `with the .NET SDK on PATH (it runs: dotnet tool install PowerShell --version ${PWSH_VERSION} --tool-path .tools/pwsh). ` +
  `Other ways to get it: https://learn.microsoft.com/powershell/scripting/install/installing-powershell`;

export function locatePwsh(env: NodeJS.ProcessEnv = process.env): PwshLocation | undefined {
  const explicit = env.PSREMOTING_PWSH;
  if (explicit !== undefined && explicit !== '')
    return isExecutableFile(explicit) ? { path: explicit, source: 'PSREMOTING_PWSH' } : undefined;
  const found = onPath(executableName(), env);
  if (found !== undefined) return { path: found, source: 'PATH' };
  const tool = path.join(PWSH_TOOL_FOLDER, executableName());
  return isExecutableFile(tool) ? { path: tool, source: 'tool folder' } : undefined;
}

/** How to run the pwsh found, or the emulator's `pwsh-missing` error carrying the message that says how to get one. */
export function requirePwsh(env: NodeJS.ProcessEnv = process.env): PwshCommand {
  const found = locatePwsh(env);
  if (!found) throw new EmulatorError('pwsh-missing', PWSH_MISSING_MESSAGE);
  return pwshCommand(found.path, env);
}

/**
 * A `dotnet tool install` puts a shim where pwsh is expected; the shim starts `dotnet …/pwsh.dll` as a child
 * and stays alive beside it, doubling the memory of every session and hiding the real process from the signals
 * and parent-death guard the emulator gives what it starts. The tool's own pwsh.dll (in the install's
 * `.store/powershell/<version>/powershell/<version>/tools/<tfm>/any/unix/`) is therefore started directly with
 * the `dotnet` on PATH when both exist; any other pwsh is started as it is.
 */
export function pwshCommand(pwsh: string, env: NodeJS.ProcessEnv = process.env): PwshCommand {
  const dll = toolDll(path.dirname(pwsh));
  const dotnet = dll === undefined ? undefined : onPath('dotnet', env);
  return dll !== undefined && dotnet !== undefined ? { file: dotnet, prefix: ['exec', dll] } : { file: pwsh, prefix: [] };
}

function toolDll(folder: string): string | undefined {
  const store = path.join(folder, '.store', 'powershell');
  const below = (dir: string): string[] => {
    try {
      return fs.readdirSync(dir).map((name) => path.join(dir, name));
    } catch {
      return [];
    }
  };
  for (const version of below(store)) {
    for (const tfm of below(path.join(version, 'powershell', path.basename(version), 'tools'))) {
      const dll = path.join(tfm, 'any', process.platform === 'win32' ? 'win' : 'unix', 'pwsh.dll');
      if (fs.existsSync(dll)) return dll;
    }
  }
  return undefined;
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  return (env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => path.join(dir, name))
    .find(isExecutableFile);
}

function executableName(): string {
  return process.platform === 'win32' ? 'pwsh.exe' : 'pwsh';
}
