/**
 * `psremoting_command`: a command run on a host, again when its inputs change or its check fails, and a
 * destroy command on destroy.
 *
 * A run that fails (non-zero exit with fail_on_nonzero_exit, timeout, transport error) leaves the state
 * as it was: a failed create stores nothing, so the next apply runs it again, and never runs
 * destroy_command for a command that did not succeed; a failed re-run keeps the prior state, so the
 * change stays planned.
 */
import { randomUUID } from 'node:crypto';
import type { Host, RemoteCommandResult } from '../../../host';
import { DiagnosticError, defineResource, isUnknown, type State } from '../../../tfplugin';
import { movesHost, withHosts, type Ctx } from '../../host-operations';
import type { ProviderState } from '../../provider-state';
import { commandLineProblem } from './command-line';
import { nonZeroExit, runOnHost, type Which } from './command-run';
import { changedInputs, RERUN_OUTPUTS } from './command-plan';
import { commandSchema, DEFAULT_SHELL, DEFAULT_TIMEOUT_SEC, type Shell } from './command-schema';
import { tail } from './command-output-text';

type CommandState = State<typeof commandSchema>;

/** The settings a run takes from the configuration or the state (both wholly known at apply). */
interface Settings {
  readonly host: string;
  readonly command: string;
  readonly shell: string | null;
  readonly environment: Readonly<Record<string, string | null>> | null;
  readonly working_directory: string | null;
  readonly timeout_sec: number | null;
  readonly fail_on_nonzero_exit: boolean | null;
  readonly check_command: string | null;
  readonly destroy_command: string | null;
  readonly triggers: Readonly<Record<string, string | null>> | null;
}

export const commandResource = defineResource<ProviderState>()({
  typeName: 'psremoting_command',
  schema: commandSchema,

  validate(ctx, config) {
    if (isUnknown(config.shell)) return;
    const shell = (config.shell ?? DEFAULT_SHELL) as Shell;
    for (const which of ['command', 'check_command', 'destroy_command'] as const) {
      const text = config[which];
      if (typeof text !== 'string') continue;
      const problem = commandLineProblem(shell, text);
      if (problem) ctx.diagnostics.error(`Invalid ${which}`, `${which} ${problem}.`, [which]);
    }
  },

  plan(ctx, { prior, config, planned }) {
    if (prior === null) return { planned: { ...planned, check_passed: true } };
    if (movesHost(ctx, prior, config)) return { planned: { ...planned, ...RERUN_OUTPUTS }, requiresReplace: [['host']] };
    if (changedInputs(prior, planned).length === 0 && prior.check_passed !== false) return;
    return { planned: { ...planned, ...RERUN_OUTPUTS } };
  },

  async create(ctx, { config }) {
    const outputs = await runCommand(ctx, config);
    return { state: { ...withDefaults(config), id: randomUUID(), ...outputs } };
  },

  async read(ctx, { state }) {
    if (state.check_command === null) return { state };
    const { host, result } = await run(ctx, state, 'check_command', state.check_command);
    const passed = result.exitCode === 0;
    if (!passed) {
      ctx.diagnostics.warning(
        `Drift on ${host.label}: check_command exited with code ${result.exitCode}`,
        `The command runs again at the next apply.${result.stderr.trim() ? `\n\nLast lines of stderr:\n${tail(result.stderr)}` : ''}`,
        ['check_command'],
      );
    }
    return { state: { ...state, check_passed: passed } };
  },

  async update(ctx, { prior, planned, config }) {
    const rerun = changedInputs(prior, planned).length > 0 || prior.check_passed === false;
    const outputs = rerun ? await runCommand(ctx, config) : outputsOf(prior);
    return { state: { ...withDefaults(config), id: prior.id, ...outputs } };
  },

  async delete(ctx, { prior }) {
    if (prior.destroy_command === null) return;
    const { host, result } = await run(ctx, prior, 'destroy_command', prior.destroy_command);
    failOnNonZero(host, 'destroy_command', prior, result);
  },
});

/**
 * Every run goes through the provider's activity tracking (a pending WinRM restart waits for terraform
 * to go quiet); handlers with nothing to run touch no host, and so need no credentials.
 */
function run(ctx: Ctx, s: Settings, which: Which, text: string): Promise<{ host: Host; result: RemoteCommandResult }> {
  return withHosts(ctx, async (pool) => {
    const host = pool.host(s.host);
    const r = withDefaults(s);
    const result = await runOnHost(ctx, host, which, text, {
      shell: r.shell,
      environment: r.environment,
      workingDirectory: r.working_directory,
      timeoutSec: r.timeout_sec,
    });
    return { host, result };
  });
}

async function runCommand(ctx: Ctx, s: Settings): Promise<Pick<CommandState, 'stdout' | 'stderr' | 'exit_code' | 'check_passed'>> {
  const { host, result } = await run(ctx, s, 'command', s.command);
  failOnNonZero(host, 'command', s, result);
  return { stdout: result.stdout, stderr: result.stderr, exit_code: result.exitCode, check_passed: true };
}

function failOnNonZero(host: Host, which: Which, s: Settings, r: RemoteCommandResult): void {
  const { fail_on_nonzero_exit, shell } = withDefaults(s);
  if (r.exitCode === 0 || !fail_on_nonzero_exit) return;
  const e = nonZeroExit(host, which, shell, r);
  throw new DiagnosticError(e.summary, e.detail, e.path);
}

/** The configured attributes with the defaults the plan gave them (configuration leaves them null). */
function withDefaults(s: Settings): Omit<CommandState, 'id' | 'stdout' | 'stderr' | 'exit_code' | 'check_passed'> & { shell: Shell; timeout_sec: number; fail_on_nonzero_exit: boolean } {
  return {
    host: s.host,
    command: s.command,
    shell: (s.shell ?? DEFAULT_SHELL) as Shell,
    triggers: s.triggers,
    check_command: s.check_command,
    destroy_command: s.destroy_command,
    timeout_sec: s.timeout_sec ?? DEFAULT_TIMEOUT_SEC,
    environment: s.environment,
    working_directory: s.working_directory,
    fail_on_nonzero_exit: s.fail_on_nonzero_exit ?? true,
  };
}

const outputsOf = (prior: CommandState) => ({ stdout: prior.stdout, stderr: prior.stderr, exit_code: prior.exit_code, check_passed: prior.check_passed });
