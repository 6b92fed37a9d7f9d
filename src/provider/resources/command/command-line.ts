/** The command line a script becomes for each `shell`. */
import { encodeCommand, MAX_ENCODED_LENGTH } from '../../functions/encode-command';
import type { Shell } from './command-schema';

/**
 * Progress records would arrive on stderr as CLIXML noise (and slow the script down over WinRS), so
 * they are silenced ahead of the user's script; nothing else of the script's behaviour changes.
 */
const PROGRESS_OFF = "$ProgressPreference = 'SilentlyContinue'\n";

export function commandLine(shell: Shell, text: string): string {
  if (shell === 'cmd') return text;
  return `powershell.exe -NoProfile -NonInteractive -EncodedCommand ${encodeCommand(PROGRESS_OFF + text)}`;
}

/** What makes the text unusable in this shell (plan-time validation), or undefined. */
export function commandLineProblem(shell: Shell, text: string): string | undefined {
  if (text.includes('\0')) return 'contains a NUL character, which no command line can carry';
  if (shell === 'powershell') {
    const length = encodeCommand(PROGRESS_OFF + text).length;
    if (length > MAX_ENCODED_LENGTH) {
      return `is ${length} characters once encoded for powershell.exe -EncodedCommand, more than the ${MAX_ENCODED_LENGTH} a Windows command line leaves for it; copy the script to the host and run it as a file instead`;
    }
  } else if (text.length > MAX_ENCODED_LENGTH) {
    return `is ${text.length} characters, more than a Windows command line (32767) leaves room for`;
  }
  return undefined;
}
