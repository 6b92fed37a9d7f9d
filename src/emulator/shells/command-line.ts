/**
 * How a WinRS command line becomes a local process. The emulated host's command interpreter is the local
 * shell: where Windows runs `cmd.exe /c <command> <arguments>`, the emulator runs `/bin/sh -c "<command>
 * <arguments>"`. A leading `cmd /c` or `cmd.exe /c` (what pypsrp and pywinrm send) is dropped, since the
 * local shell already plays cmd.exe's part. With WINRS_SKIP_CMD_SHELL the program is started directly.
 *
 * When the first word names no shell builtin and no program on PATH, the outcome is what cmd.exe prints
 * for an unknown program (`'NAME' is not recognized …`, exit code 9009), so a PowerShell script sent to a
 * host without PowerShell fails the way it would on a Windows box without it.
 */
import * as path from 'node:path';
import { isExecutableFile } from './executable-file';
import { hostSteps, type HostStep } from '../wmi/restart-command';
import { powershellArguments } from '../powershell/powershell-command-line';
import { locatePwsh, pwshCommand, type PwshCommand } from '../powershell/pwsh-locator';

export type LaunchPlan =
  | { readonly kind: 'shell'; readonly line: string }
  /** Windows PowerShell's command line, run by pwsh (src/emulator/powershell/powershell-command-line.ts). */
  | { readonly kind: 'powershell'; readonly pwsh: PwshCommand; readonly args: readonly string[] }
  /** Served by the emulated host itself (a WinRM restart): the command ends at once with exit code 0. */
  | { readonly kind: 'host'; readonly steps: readonly HostStep[] }
  | { readonly kind: 'direct'; readonly file: string; readonly args: readonly string[] }
  | { readonly kind: 'notRecognized'; readonly name: string };

export const NOT_RECOGNIZED_EXIT_CODE = 9009;

export function notRecognizedMessage(name: string): string {
  return `'${name}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n`;
}

// POSIX sh special builtins, regular builtins and reserved words that may start a command line.
const SH_WORDS = new Set(
  (
    '! { } ( case do done elif else esac fi for if in then until while . : [ alias bg break cd command continue echo eval exec exit ' +
    'export false fc fg getopts hash jobs kill printf pwd read readonly return set shift test times trap true type ulimit umask unalias unset wait'
  ).split(' '),
);

export function planLaunch(command: string, args: readonly string[], skipCmdShell: boolean, env: NodeJS.ProcessEnv): LaunchPlan {
  const envPath = env.PATH;
  let words = [command, ...args];
  const powershell = planPowerShell(words, env);
  if (powershell) return powershell;
  if (skipCmdShell) return { kind: 'direct', file: command, args };
  const first = path.win32.basename(words[0] ?? '').toLowerCase();
  const second = words[1] ?? '';
  if ((first === 'cmd' || first === 'cmd.exe') && /^\/c(\s|$)/i.test(second)) {
    // `/c` may arrive as its own argument or as the start of one (`/c echo out && exit 1`).
    const rest = second.slice(2).trim();
    words = [...(rest === '' ? [] : [rest]), ...words.slice(2)];
  }
  const line = words.join(' ').trim();
  const afterCmd = planPowerShell(words, env);
  if (afterCmd) return afterCmd;
  const name = firstWord(line);
  if (name === undefined || isRunnable(name, envPath)) return { kind: 'shell', line };
  return { kind: 'notRecognized', name };
}

/**
 * A PowerShell command line: a WinRM restart in it (`Restart-Service WinRM`, also -EncodedCommand) is the
 * emulated host's to perform, and then nothing else of the line runs; otherwise pwsh runs it. Without pwsh
 * the line fails as on a Windows host without PowerShell.
 */
function planPowerShell(words: readonly string[], env: NodeJS.ProcessEnv): LaunchPlan | undefined {
  const args = powershellArguments(words);
  if (args === undefined) return undefined;
  const steps = hostSteps(words.join(' '));
  if (steps?.some((s) => s.kind === 'restart-winrm')) return { kind: 'host', steps };
  const pwsh = locatePwsh(env);
  if (!pwsh) return { kind: 'notRecognized', name: path.win32.basename(words[0] ?? 'powershell') };
  return { kind: 'powershell', pwsh: pwshCommand(pwsh.path, env), args };
}

function firstWord(line: string): string | undefined {
  const m = /^\s*(?:"([^"]*)"|'([^']*)'|([^\s;&|<>()]+))/.exec(line);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

function isRunnable(name: string, envPath: string | undefined): boolean {
  // Assignments, expansions and globs are left to the shell to judge.
  if (SH_WORDS.has(name) || /[=$`*?]/.test(name)) return true;
  if (name.includes('/')) return isExecutableFile(name);
  return (envPath ?? '').split(path.delimiter).some((dir) => dir !== '' && isExecutableFile(path.join(dir, name)));
}
