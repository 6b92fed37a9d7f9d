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
import { DiagnosticError, defineResource, isUnknown, isWhollyKnown, type Planned, type State, type Unknown } from '../../../tfplugin';
import { withHosts, type Ctx } from '../../host-operations';
import type { ProviderState } from '../../provider-state';
import { commandLineProblem } from './command-line';
import { nonZeroExit, runOnHost, type Which } from './command-run';
import { changedInputs, RERUN_OUTPUTS } from './command-plan';
import { commandSchema, DEFAULT_SHELL, type Shell } from './command-schema';
import { tail } from './command-output-text';

type CommandState = State<typeof commandSchema>;

/** The inputs of a run, as the plan settled them (the schema's defaults applied) and the state keeps them. */
interface Settings {
  readonly host: string;
  readonly command: string;
  readonly shell: Shell;
  readonly environment: Readonly<Record<string, string | null>> | null;
  readonly working_directory: string | null;
  readonly timeout_sec: number;
  readonly fail_on_nonzero_exit: boolean;
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

  plan(_ctx, { prior, planned }) {
    if (prior === null) return { planned: { ...planned, check_passed: true } };
    if (changedInputs(prior, planned).length === 0 && prior.check_passed !== false) return;
    return { planned: { ...planned, ...RERUN_OUTPUTS } };
  },

  async create(ctx, { planned }) {
    const s = settled(planned);
    const outputs = await runCommand(ctx, s);
    return { state: { ...s, id: randomUUID(), ...outputs } };
  },

  async read(ctx, { state }) {
    if (state.check_command === null) return { state };
    const { host, result } = await run(ctx, settled(state), 'check_command', state.check_command);
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

  async update(ctx, { prior, planned }) {
    const rerun = changedInputs(prior, planned).length > 0 || prior.check_passed === false;
    const s = settled(planned);
    const outputs = rerun ? await runCommand(ctx, s) : outputsOf(prior);
    return { state: { ...s, id: prior.id, ...outputs } };
  },

  async delete(ctx, { prior }) {
    if (prior.destroy_command === null) return;
    const s = settled(prior);
    const { host, result } = await run(ctx, s, 'destroy_command', prior.destroy_command);
    failOnNonZero(host, 'destroy_command', s, result);
  },
});

/**
 * Every run goes through the provider's activity tracking (a pending WinRM restart waits for terraform
 * to go quiet); handlers with nothing to run touch no host, and so need no credentials.
 */
function run(ctx: Ctx, s: Settings, which: Which, text: string): Promise<{ host: Host; result: RemoteCommandResult }> {
  return withHosts(ctx, async (pool) => {
    const host = pool.host(s.host);
    const result = await runOnHost(ctx, host, which, text, {
      shell: s.shell,
      environment: s.environment,
      workingDirectory: s.working_directory,
      timeoutSec: s.timeout_sec,
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
  if (r.exitCode === 0 || !s.fail_on_nonzero_exit) return;
  const e = nonZeroExit(host, which, s.shell, r);
  throw new DiagnosticError(e.summary, e.detail, e.path);
}

/**
 * The inputs as the plan settled them: wholly known at apply, with the schema's defaults where the
 * configuration left them unset (the runtime applies them when it plans; a state keeps what was planned).
 */
function settled(v: Planned<typeof commandSchema> | CommandState): Settings {
  const known = <T>(value: T | Unknown, name: string): T => {
    if (isUnknown(value)) throw new DiagnosticError('Provider error', `${name} is still unknown at apply`);
    return value;
  };
  const knownMap = (value: Readonly<Record<string, string | Unknown | null>> | Unknown | null, name: string): Readonly<Record<string, string | null>> | null => {
    const m = known(value, name);
    if (m !== null && !isWhollyKnown(m)) throw new DiagnosticError('Provider error', `${name} is still unknown at apply`);
    return m as Readonly<Record<string, string | null>> | null;
  };
  const defaulted = <T>(value: T | Unknown | null, name: string): T => {
    const v = known(value, name);
    if (v === null) throw new DiagnosticError('Provider error', `${name} was planned without its default`);
    return v;
  };
  return {
    host: known(v.host, 'host'),
    command: known(v.command, 'command'),
    shell: defaulted(v.shell, 'shell') as Shell,
    triggers: knownMap(v.triggers, 'triggers'),
    check_command: known(v.check_command, 'check_command'),
    destroy_command: known(v.destroy_command, 'destroy_command'),
    timeout_sec: defaulted(v.timeout_sec, 'timeout_sec'),
    environment: knownMap(v.environment, 'environment'),
    working_directory: known(v.working_directory, 'working_directory'),
    fail_on_nonzero_exit: defaulted(v.fail_on_nonzero_exit, 'fail_on_nonzero_exit'),
  };
}

const outputsOf = (prior: CommandState) => ({ stdout: prior.stdout, stderr: prior.stderr, exit_code: prior.exit_code, check_passed: prior.check_passed });
