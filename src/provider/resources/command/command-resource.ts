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
import { DiagnosticError, defineResource, isUnknown, type PrivateData, type State } from '../../../tfplugin';
import { movesHost, withHosts, type Ctx } from '../../host-operations';
import type { ProviderState } from '../../provider-state';
import { commandLineProblem } from './command-line';
import { nonZeroExit, runOnHost, type Which } from './command-run';
import { changedInputs, RERUN_OUTPUTS } from './command-plan';
import { commandSchema, DEFAULT_SHELL, type Shell } from './command-schema';
import { schemaDefaults } from '../../schema-defaults';
import { tail } from './command-output-text';
import {
  abandonDisconnected,
  collectDisconnected,
  finishedOutputs,
  refreshDisconnected,
  runDisconnected,
  runOverPsrp,
  type DisconnectedBlock,
  type RunOutputs,
} from './psrp-run';
import {
  psrpProblems,
  psrpSettings,
  rerunsAfterRefresh,
  PSRP_RERUN_OUTPUTS,
  COLLECT_OUTPUTS,
  checkIdleTimeoutAgainstHost,
  overPsrp,
} from './psrp-plan';

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
  readonly configuration_name: string | null;
  readonly disconnected: DisconnectedBlock | null;
}

/** Private state key: when this resource last reached its disconnected session (ms since the epoch). */
const LAST_CONTACT = 'last_contact_ms';
/** Private state key: the refresh found the disconnected command ended (or holding output back); the apply collects it. */
const COLLECTABLE = 'collectable';

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
    for (const p of psrpProblems(config)) ctx.diagnostics.error('Invalid PSRP settings', p.message, p.path);
  },

  async plan(ctx, { prior, config, planned, private: priv }) {
    await checkIdleTimeoutAgainstHost(ctx, config);
    if (prior === null) return { planned: { ...planned, check_passed: true } };
    if (movesHost(ctx, prior, config))
      return { planned: { ...planned, ...RERUN_OUTPUTS, ...PSRP_RERUN_OUTPUTS }, requiresReplace: [['host']] };
    if (changedInputs(prior, planned).length === 0 && prior.check_passed !== false && !rerunsAfterRefresh(prior)) {
      // The refresh only looked; the apply takes the output (Receive consumes it, and only an apply's state is saved).
      if (prior.status === 'running' && priv[COLLECTABLE] === true) return { planned: { ...planned, ...COLLECT_OUTPUTS } };
      return;
    }
    return { planned: { ...planned, ...RERUN_OUTPUTS, ...PSRP_RERUN_OUTPUTS } };
  },

  async create(ctx, { config }) {
    const outputs = await runCommand(ctx, config);
    return { state: { ...withDefaults(config), id: randomUUID(), ...outputs }, private: contact() };
  },

  async read(ctx, { state, private: priv }) {
    if (state.status === 'running') {
      const { outputs, collectable } = await withHosts(ctx, (pool) =>
        refreshDisconnected(ctx, pool.host(state.host), psrpSettings(withDefaults(state)), runOutputs(state), lastContact(priv)),
      );
      if (outputs.status === 'expired') {
        ctx.diagnostics.warning(`The disconnected command on ${state.host} expired`, `${outputs.status_detail}.`);
        return { state: { ...state, ...outputs }, private: {} };
      }
      return { state, private: { ...contact(), ...(collectable ? { [COLLECTABLE]: true } : {}) } };
    }
    if (state.check_command === null || state.status === 'expired') return { state };
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

  async update(ctx, { prior, planned, config, private: priv }) {
    const rerun = changedInputs(prior, planned).length > 0 || prior.check_passed === false || rerunsAfterRefresh(prior);
    if (!rerun && prior.status === 'running' && isUnknown(planned.status)) {
      const outputs = await withHosts(ctx, (pool) =>
        collectDisconnected(ctx, pool.host(prior.host), psrpSettings(withDefaults(prior)), runOutputs(prior), lastContact(priv)),
      );
      reportCollected(ctx, prior.host, outputs);
      return {
        state: { ...withDefaults(config), id: prior.id, ...outputsOf(prior), ...outputs },
        private: outputs.status === 'running' ? contact() : {},
      };
    }
    if (!rerun) return { state: { ...withDefaults(config), id: prior.id, ...outputsOf(prior) }, private: priv };
    await abandonRunning(ctx, prior);
    const outputs = await runCommand(ctx, config);
    return { state: { ...withDefaults(config), id: prior.id, ...outputs }, private: contact() };
  },

  async delete(ctx, { prior }) {
    await abandonRunning(ctx, prior);
    if (prior.destroy_command === null) return;
    const { host, result } = await run(ctx, prior, 'destroy_command', prior.destroy_command);
    failOnNonZero(host, 'destroy_command', prior, result);
  },
});

/**
 * Every run goes through the provider's activity tracking (a pending WinRM restart waits for terraform
 * to go quiet); handlers with nothing to run touch no host, and so need no credentials.
 */
function run(
  ctx: Ctx,
  s: Settings,
  which: Which,
  text: string,
): Promise<{ host: Host; result: RemoteCommandResult & { outputJson?: string } }> {
  return withHosts(ctx, async (pool) => {
    const host = pool.host(s.host);
    const r = withDefaults(s);
    if (overPsrp(r)) return { host, result: await runOverPsrp(ctx, host, which, text, psrpSettings(r)) };
    const result = await runOnHost(ctx, host, which, text, {
      // The schema's validator admits only the shells (oneOf), so the stored value is one.
      shell: r.shell as Shell,
      environment: r.environment,
      workingDirectory: r.working_directory,
      timeoutSec: r.timeout_sec,
    });
    return { host, result };
  });
}

type Outputs = RunOutputs & { readonly check_passed: boolean };

async function runCommand(ctx: Ctx, s: Settings): Promise<Outputs> {
  if (s.disconnected !== null) {
    const outputs = await withHosts(ctx, async (pool) => {
      const host = pool.host(s.host);
      const o = await runDisconnected(ctx, host, psrpSettings(withDefaults(s)));
      if (o.status === 'failed') failOnNonZero(host, 'command', s, { stdout: o.stdout, stderr: o.stderr, exitCode: o.exit_code });
      return o;
    });
    return { ...outputs, check_passed: true };
  }
  const { host, result } = await run(ctx, s, 'command', s.command);
  failOnNonZero(host, 'command', s, result);
  return { ...finishedOutputs(result), check_passed: true };
}

/** A disconnected session still held (its command running, or its result kept for a refresh) is closed: before a re-run or destroy, or once a saved state has the result. */
async function abandonRunning(ctx: Ctx, prior: CommandState): Promise<void> {
  if (prior.session_id === null) return;
  await withHosts(ctx, (pool) => abandonDisconnected(ctx, pool.host(prior.host), psrpSettings(withDefaults(prior)), runOutputs(prior)));
}

const contact = (): PrivateData => ({ [LAST_CONTACT]: Date.now() });
const lastContact = (priv: PrivateData): number | undefined => (typeof priv[LAST_CONTACT] === 'number' ? priv[LAST_CONTACT] : undefined);

/** A collection that found the session gone or the command failed says so (the next plan runs it again). */
function reportCollected(ctx: Ctx, host: string, outputs: RunOutputs): void {
  if (outputs.status === 'expired') ctx.diagnostics.warning(`The disconnected command on ${host} expired`, `${outputs.status_detail}.`);
  if (outputs.status === 'failed')
    ctx.diagnostics.warning(
      `The disconnected command on ${host} failed`,
      `It ${outputs.status_detail}.${outputs.stderr.trim() ? `\n\nLast lines of stderr:\n${tail(outputs.stderr)}` : ''}`,
    );
}

function runOutputs(st: CommandState): RunOutputs {
  return {
    stdout: st.stdout ?? '',
    stderr: st.stderr ?? '',
    exit_code: st.exit_code ?? 0,
    output_json: st.output_json,
    status: (st.status ?? 'completed') as RunOutputs['status'],
    status_detail: st.status_detail ?? '',
    session_name: st.session_name,
    session_id: st.session_id,
    command_id: st.command_id,
  };
}

function failOnNonZero(host: Host, which: Which, s: Settings, r: RemoteCommandResult): void {
  const { fail_on_nonzero_exit, shell } = withDefaults(s);
  if (r.exitCode === 0 || !fail_on_nonzero_exit) return;
  const e = nonZeroExit(host, which, shell as Shell, r);
  throw new DiagnosticError(e.summary, e.detail, e.path);
}

/** The configured attributes with the defaults the schema declares (an apply's configuration leaves them null). */
const withDefaults = schemaDefaults(commandSchema);

const outputsOf = (prior: CommandState) => ({
  stdout: prior.stdout,
  stderr: prior.stderr,
  exit_code: prior.exit_code,
  check_passed: prior.check_passed,
  output_json: prior.output_json,
  status: prior.status,
  status_detail: prior.status_detail,
  session_name: prior.session_name,
  session_id: prior.session_id,
  command_id: prior.command_id,
});
