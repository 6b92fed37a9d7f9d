/** One run of a command, check or destroy command on a host, with failures turned into diagnostics that explain them. */
import { CommandTimeoutError, type Host, type RemoteCommandResult } from '../../../host';
import { DiagnosticError, maskSecrets, type AttributePath, type ProviderContext } from '../../../tfplugin';
import { commandLine } from './command-line';
import { hostFailureHint } from '../../host-failure-hints';
import { tail } from './command-output-text';
import type { Shell } from './command-schema';
import { errorMessage } from '../../../common';

/** Per stream; terraform keeps stdout and stderr in the state, so they stay small. */
export const MAX_OUTPUT_BYTES = 128 * 1024;

/** cmd.exe's exit code for "is not recognized as an internal or external command" (Windows' ERROR 9009). */
const NOT_RECOGNIZED = 9009;

export type Which = 'command' | 'check_command' | 'destroy_command';

export interface RunSettings {
  readonly shell: Shell;
  readonly environment: Readonly<Record<string, string | null>> | null;
  readonly workingDirectory: string | null;
  readonly timeoutSec: number;
}

/** The run's result with environment values masked; transport failures and timeouts become diagnostics naming the host. */
export async function runOnHost(
  ctx: ProviderContext<unknown>,
  host: Host,
  which: Which,
  text: string,
  s: RunSettings,
): Promise<RemoteCommandResult> {
  const environment = definedValues(s.environment);
  const secrets = Object.values(environment);
  ctx.log.debug(`running ${which}`, { host: host.label, shell: s.shell, timeout_sec: s.timeoutSec });
  let r: RemoteCommandResult;
  try {
    r = await host.runCommand(
      {
        commandLine: commandLine(s.shell, text),
        environment,
        workingDirectory: s.workingDirectory ?? undefined,
        timeoutMs: s.timeoutSec * 1000,
        maxOutputBytes: MAX_OUTPUT_BYTES,
      },
      ctx.signal,
    );
  } catch (e) {
    if (ctx.signal.aborted) throw e; // terraform stopped us: the runtime reports the interruption
    if (e instanceof CommandTimeoutError) {
      throw new DiagnosticError(
        `${label(which)} timed out on ${host.label}`,
        `It ran longer than timeout_sec = ${s.timeoutSec} and was stopped; its shell on the host was deleted.`,
        ['timeout_sec'],
      );
    }
    const hint = hostFailureHint(e, host.endpoint);
    throw new DiagnosticError(
      `Could not run ${label(which, 'object')} on ${host.label}`,
      maskSecrets(hint ? `${errorMessage(e)}. ${hint}` : errorMessage(e), secrets),
      [which],
    );
  }
  ctx.log.debug(`${which} finished`, { host: host.label, exit_code: r.exitCode });
  return { ...r, stdout: maskSecrets(r.stdout, secrets), stderr: maskSecrets(r.stderr, secrets) };
}

/** The error for a run that exited non-zero: host, exit code, the stderr tail (else stdout's), and what 9009 means. */
export function nonZeroExit(
  host: Host,
  which: Which,
  shell: Shell,
  r: RemoteCommandResult,
): { summary: string; detail: string; path: AttributePath } {
  const lines = [`${label(which)} exited with code ${r.exitCode} on ${host.label}.`];
  if (r.stderr.trim() !== '') lines.push('', 'Last lines of stderr:', tail(r.stderr));
  else if (r.stdout.trim() !== '') lines.push('', 'stderr was empty; last lines of stdout:', tail(r.stdout));
  if (r.exitCode === NOT_RECOGNIZED) {
    lines.push(
      '',
      `Exit code ${NOT_RECOGNIZED} is cmd.exe's "not recognized": a program the command line names does not exist on the host.`,
    );
    if (shell === 'powershell')
      lines.push('shell = "powershell" needs powershell.exe on the host; use shell = "cmd" for a plain command line.');
  }
  return { summary: `${label(which)} failed on ${host.label} (exit code ${r.exitCode})`, detail: lines.join('\n'), path: [which] };
}

/** How a sentence names the run: capitalised at its start, lower-case as its object ("Could not run the check_command"). */
export const label = (which: Which, role: 'subject' | 'object' = 'subject'): string => `${role === 'subject' ? 'The' : 'the'} ${which}`;

function definedValues(env: Readonly<Record<string, string | null>> | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env ?? {})) if (v !== null) out[k] = v;
  return out;
}
