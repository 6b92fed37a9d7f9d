/** The attributes of `psremoting_command` that run it over PSRP: the endpoint, the disconnected block, what such runs report. */
import { MAX_REATTACH_ATTEMPTS } from '../../../host';
import { attr, block, integer, integerBetween, oneOf, t } from '../../../tfplugin';

/** Windows' floor for a disconnected session's IdleTimeout (PowerShell MinimumIdleTimeout) and the cmdlet's ceiling. */
export const MIN_IDLE_TIMEOUT_SEC = 60;
export const MAX_IDLE_TIMEOUT_SEC = 2_147_483;

export const RUN_STATUSES = ['running', 'completed', 'failed', 'expired'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const psrpAttributes = {
  configuration_name: attr.optional(t.string, {
    validators: [(v: string) => (v.trim() === '' ? 'configuration_name must not be empty' : undefined)],
    description:
      'Run `command`, `check_command` and `destroy_command` over PSRP inside this session configuration (endpoint), as ' +
      '`Invoke-Command -ConfigurationName` does, for example a JEA endpoint such as `Ops.Restricted`. Needs `shell = "powershell"`. ' +
      'The environment is set with `Set-Item Env:` and the working directory with `Set-Location` before the script, so a ' +
      "constrained endpoint must expose them when those attributes are used. Over PSRP `stdout` is the output as the endpoint's " +
      "`Out-String` renders it (each object's ToString where the endpoint hides Out-String), `output_json` the output objects, " +
      '`stderr` the error, warning, verbose, debug and information records, and `exit_code` follows `pwsh -File`: the value of ' +
      '`exit N`, else 1 when the script ended with a terminating error, else 0. An endpoint that does not exist, is disabled or ' +
      "refuses the user fails the run with the host's reason. A change runs the command again.",
  }),
  output_json: attr.computed(t.string, {
    keepOnUpdate: true,
    description:
      'Over PSRP: the output objects of the last run as a JSON array (for `jsondecode`), objects as their properties, capped like `stdout` by keeping the first objects. Null for WinRS runs.',
  }),
  status: attr.computed(t.string, {
    keepOnUpdate: true,
    description:
      'Of a command in a disconnected session: `running`, `completed`, `failed` (ended with a non-zero exit code) or `expired` ' +
      '(the host dropped the session before its output was collected: its IdleTimeout passed or WinRM restarted; ' +
      '`status_detail` says which, and the next plan runs the command again). `completed` or `failed` for other runs.',
  }),
  status_detail: attr.computed(t.string, {
    keepOnUpdate: true,
    description: 'Why the status is what it is, for `expired` and `failed` runs; empty otherwise.',
  }),
  session_name: attr.computed(t.string, {
    keepOnUpdate: true,
    description:
      'The name of the disconnected session (`New-PSSession -Name`), derived from the host, endpoint, command, environment, working ' +
      'directory and triggers, so an apply that was interrupted or killed before terraform could record anything finds the running ' +
      'session at the next apply and reattaches instead of running the command again. Null without `disconnected`.',
  }),
  session_id: attr.computed(t.string, {
    keepOnUpdate: true,
    description: 'The ShellId of the disconnected session while its command runs; null otherwise.',
  }),
  command_id: attr.computed(t.string, {
    keepOnUpdate: true,
    description: 'The pipeline (CommandId) of the disconnected command while it runs; null otherwise.',
  }),
};

export const psrpBlocks = {
  disconnected: block.single({
    description:
      'Run the command in a disconnected session, as `Invoke-Command -InDisconnectedSession` does: it starts in a new session ' +
      'which is disconnected at once, so it outlives the connection, terraform and the provider. Runs over PSRP in ' +
      '`configuration_name` (default `Microsoft.PowerShell`).',
    attributes: {
      idle_timeout_sec: attr.optional(integer, {
        validators: [integerBetween(MIN_IDLE_TIMEOUT_SEC, MAX_IDLE_TIMEOUT_SEC)],
        description:
          `How long the host keeps the session while no client is connected (${MIN_IDLE_TIMEOUT_SEC} s or more, and at most the ` +
          "endpoint's MaxIdleTimeout, checked at plan time: against the endpoint's declared `max_idle_timeout_sec` when the endpoint " +
          'is a `psremoting_session_configuration` of this configuration that the command depends on, else against what the host ' +
          'reports); the clock starts at each disconnect, ' +
          "even while the command runs. Past it the host deletes the session and its command. Default: the endpoint's IdleTimeout.",
      }),
      output_buffering_mode: attr.optional(t.string, {
        validators: [oneOf('Block', 'Drop')],
        description:
          '`Block`: when the output buffer fills while nobody receives, the command is suspended until an apply collects it ' +
          '(the plan shows that collection), so no output is lost. `Drop`: the command keeps running and the oldest output is discarded. ' +
          "Default: the endpoint's OutputBufferingMode.",
      }),
      wait: attr.optional(t.bool, {
        description:
          '`true` (default): the apply waits for the end. A connection lost while it waits (a dropped socket, a host too slow to ' +
          `answer) is attached again within the same apply while the session exists, up to ${MAX_REATTACH_ATTEMPTS - 1} times in a ` +
          'row, each logged. Past that, or when `timeout_sec` passes or the apply is interrupted or killed (SIGKILL included), the ' +
          'apply fails and the command runs on; the next apply finds the session by `session_name` and reattaches instead of running ' +
          'the command again. Output an apply received before it failed or was killed is not in the final `stdout`, `stderr` or ' +
          '`output_json`: the host hands out each output once and terraform saves nothing from a create that did not finish, so ' +
          'these hold what the reattaching apply received; `exit_code` and `status` come from the end of the run. ' +
          '`false`: the apply returns once the command runs (`status = "running"`). A refresh only looks at the session (whether ' +
          'it still exists and whether its command ended) and takes no output, since terraform discards what the refresh of a plan ' +
          'learns; once the command ended, the plan shows an update of its outputs, and that apply takes the buffered output into ' +
          '`stdout`/`stderr`/`output_json`, records `status` and closes the session.',
      }),
    },
  }),
};
