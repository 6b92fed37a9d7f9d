/** The schema of `psremoting_command`: what users write, and what a run leaves in the state. */
import { hostProblem } from '../../../host';
import { attr, defineSchema, integer, integerBetween, MIN_MASKED_LENGTH, oneOf, t } from '../../../tfplugin';
import { MAX_OUTPUT_BYTES } from './command-run';
import { psrpAttributes, psrpBlocks } from './psrp-schema';

const SHELLS = ['powershell', 'cmd'] as const;
export type Shell = (typeof SHELLS)[number];

export const DEFAULT_SHELL: Shell = 'powershell';
export const DEFAULT_TIMEOUT_SEC = 600;
/** A day: longer work belongs in a scheduled task, not in a terraform apply holding a shell open. */
const MAX_TIMEOUT_SEC = 86_400;

const nonBlank = (what: string) => (v: string) => (v.trim() === '' ? `${what} must not be empty` : undefined);

/**
 * Environment variable names as Windows takes them (SetEnvironmentVariable): not empty, no "=" (the
 * separator in the environment block), no NUL; a WinRS shell would otherwise carry a broken block.
 */
function environmentNameProblem(env: Readonly<Record<string, unknown>>): string | undefined {
  const bad = Object.keys(env).find((name) => name === '' || name.includes('=') || name.includes('\u0000'));
  return bad === undefined ? undefined : `environment variable names must be non-empty and without "=", got ${JSON.stringify(bad)}`;
}

export const commandSchema = defineSchema({
  description:
    'A command run on a Windows host over WinRM: by default in a WinRS shell, as a PowerShell script or a cmd.exe command line; ' +
    'with `configuration_name` or `disconnected`, as PowerShell over PSRP inside that endpoint, and with `disconnected` in a ' +
    'session that outlives the apply. It runs on create, runs again in place when `command`, `shell`, `configuration_name`, ' +
    '`environment`, `working_directory` or `triggers` change, or when `check_command` fails on refresh (drift), and ' +
    "`destroy_command` runs on destroy. Each run uses its own shell (over PSRP, its own session) within the provider's " +
    '`max_concurrency_per_host`; the shell is deleted when the command ends, fails, times out or terraform is interrupted, except ' +
    "a disconnected command's session, which the host keeps until an apply collects the end of its output or its IdleTimeout passes.",
  attributes: {
    id: attr.computed(t.string, { keepOnUpdate: true, description: 'A random identifier of this command resource.' }),
    host: attr.required(t.string, {
      validators: [(v) => hostProblem(v)],
      description:
        'The host to run on: a name, `name:port`, or an `http(s)://name[:port]/wsman` URL. Moving to another host replaces the resource; ' +
        'another spelling of the same host (`web1`, `WEB1:5985`, `http://web1:5985/wsman` under the default scheme) does not.',
    }),
    command: attr.required(t.string, {
      validators: [nonBlank('command')],
      description:
        'The PowerShell script (`shell = "powershell"`) or cmd.exe command line (`shell = "cmd"`) to run. A change runs it again.',
    }),
    shell: attr.optionalComputed(t.string, {
      default: DEFAULT_SHELL,
      validators: [oneOf(...SHELLS)],
      description:
        '`powershell` (default): the script is sent as `powershell.exe -NoProfile -NonInteractive -EncodedCommand <base64 UTF-16LE>`, ' +
        'so no quoting can break it. `cmd`: the command line is run as is by cmd.exe. Applies to `check_command` and `destroy_command` too. ' +
        'A change runs the command again.',
    }),
    triggers: attr.optional(t.map(t.string), {
      description: 'Arbitrary values; any change runs the command again (for example a file hash or a version).',
    }),
    check_command: attr.optional(t.string, {
      validators: [nonBlank('check_command')],
      description:
        'Run on every refresh, in the same shell type and environment. A non-zero exit code means the host drifted from what ' +
        '`command` established: `check_passed` becomes false and the next plan shows the command running again.',
    }),
    destroy_command: attr.optional(t.string, {
      validators: [nonBlank('destroy_command')],
      description:
        'Run when the resource is destroyed (not when the command merely runs again). A failure keeps the resource in the state.',
    }),
    timeout_sec: attr.optionalComputed(integer, {
      default: DEFAULT_TIMEOUT_SEC,
      validators: [integerBetween(1, MAX_TIMEOUT_SEC)],
      description:
        `Seconds each run (command, check, destroy) may take; beyond it the command is stopped, its shell (over PSRP, its session) ` +
        'deleted and the run fails. With `disconnected` it bounds how long an apply waits for the command instead: the command is ' +
        'not stopped but runs on in its session, the apply fails, and the next apply reattaches and collects its output. ' +
        `Default ${DEFAULT_TIMEOUT_SEC}.`,
    }),
    environment: attr.optional(t.map(t.string), {
      sensitive: true,
      validators: [environmentNameProblem],
      description:
        `Environment variables for the command, check and destroy runs. Sensitive: never logged, and values of ${MIN_MASKED_LENGTH} or more characters ` +
        'are replaced by `(sensitive value)` wherever they appear in `stdout`, `stderr` and error messages. A change runs the command again.',
    }),
    working_directory: attr.optional(t.string, {
      validators: [nonBlank('working_directory')],
      description:
        "The directory the command starts in (a path on the host). Default: the user's profile directory. A change runs the command again.",
    }),
    fail_on_nonzero_exit: attr.optionalComputed(t.bool, {
      default: true,
      description:
        'When true (default), a non-zero exit code fails the apply with the exit code and the tail of stderr; when false, it is only recorded in `exit_code`.',
    }),
    stdout: attr.computed(t.string, {
      keepOnUpdate: true,
      description: `Standard output of the last run (UTF-8; beyond ${MAX_OUTPUT_BYTES / 1024} KiB the middle is dropped and a marker says how many bytes).`,
    }),
    stderr: attr.computed(t.string, {
      keepOnUpdate: true,
      description: "Standard error of the last run, with PowerShell's CLIXML error records rendered as text; bounded like `stdout`.",
    }),
    exit_code: attr.computed(integer, { keepOnUpdate: true, description: 'Exit code of the last run.' }),
    check_passed: attr.computed(t.bool, {
      keepOnUpdate: true,
      description:
        'False when `check_command` failed at the last refresh: the plan then shows it going to true, with the command running again. ' +
        'True after every run and whenever there is no check.',
    }),
    ...psrpAttributes,
  },
  blocks: psrpBlocks,
});
