/**
 * `psremoting_command` over PSRP: runs inside `configuration_name`, and the disconnected-session
 * lifecycle (start or reattach by session name, collect on refresh, expired sessions planned as re-runs).
 */
import { createHash } from 'node:crypto';
import {
  BoundedOutput,
  closeSession,
  collect,
  CommandTimeoutError,
  commandOf,
  findSession,
  probeCommand,
  runPsrpCommand,
  SessionGoneError,
  startDisconnected,
  type DisconnectedCommand,
  type Host,
  type PsrpCommandResult,
  type SessionRef,
} from '../../../host';
import { DiagnosticError, maskSecrets, type ProviderContext } from '../../../tfplugin';
import { errorMessage } from '../../../common';
import { label, MAX_OUTPUT_BYTES, type Which } from './command-run';
import type { RunStatus } from './psrp-schema';

export const DEFAULT_CONFIGURATION = 'Microsoft.PowerShell';

export interface DisconnectedBlock {
  readonly idle_timeout_sec: number | null;
  readonly output_buffering_mode: string | null;
  readonly wait: boolean | null;
}

export interface PsrpSettings {
  readonly host: string;
  readonly command: string;
  readonly configurationName: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly workingDirectory: string | null;
  readonly timeoutSec: number;
  readonly triggers: Readonly<Record<string, string | null>> | null;
  readonly disconnected: DisconnectedBlock | null;
}

/** What a run leaves in the state. */
export interface RunOutputs {
  readonly stdout: string;
  readonly stderr: string;
  readonly exit_code: number;
  readonly output_json: string | null;
  readonly status: RunStatus;
  readonly status_detail: string;
  readonly session_name: string | null;
  readonly session_id: string | null;
  readonly command_id: string | null;
}

/**
 * The disconnected session's name: the same configuration gives the same name, so a later apply finds a
 * session an interrupted one started (New-PSSession -Name). Environment values go into the hash only.
 */
export function sessionNameOf(s: PsrpSettings): string {
  const sorted = (m: Readonly<Record<string, string | null>> | null) =>
    Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const key = JSON.stringify([
    s.host.toLowerCase(),
    s.configurationName.toLowerCase(),
    s.command,
    sorted(s.environment),
    s.workingDirectory,
    sorted(s.triggers),
  ]);
  return `psremoting-${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}

function masked(r: PsrpCommandResult, secrets: readonly string[]): PsrpCommandResult {
  return {
    ...r,
    stdout: maskSecrets(r.stdout, secrets),
    stderr: maskSecrets(r.stderr, secrets),
    outputJson: maskSecrets(r.outputJson, secrets),
  };
}

/** A failure of the host or the endpoint as a diagnostic naming both; the host's reason is kept (masked). */
function failure(ctx: ProviderContext<unknown>, host: Host, which: Which, s: PsrpSettings, e: unknown): unknown {
  if (ctx.signal.aborted || e instanceof DiagnosticError) return e;
  if (e instanceof CommandTimeoutError) {
    return new DiagnosticError(
      `${label(which)} timed out on ${host.label}`,
      `It ran longer than timeout_sec = ${s.timeoutSec} and was stopped; its session was closed.`,
      ['timeout_sec'],
    );
  }
  return new DiagnosticError(
    `Could not run ${label(which, 'object')} in endpoint "${s.configurationName}" on ${host.label}`,
    maskSecrets(errorMessage(e), Object.values(s.environment)),
    ['configuration_name'],
  );
}

/** One run over PSRP in a new session on the endpoint (command, check or destroy command). */
export async function runOverPsrp(
  ctx: ProviderContext<unknown>,
  host: Host,
  which: Which,
  text: string,
  s: PsrpSettings,
): Promise<PsrpCommandResult> {
  ctx.log.debug(`running ${which} over PSRP`, { host: host.label, endpoint: s.configurationName, timeout_sec: s.timeoutSec });
  try {
    const r = await host.powershell(
      (client, gate) =>
        runPsrpCommand(
          client,
          gate,
          {
            configurationName: s.configurationName,
            script: text,
            environment: s.environment,
            workingDirectory: s.workingDirectory ?? undefined,
            timeoutMs: s.timeoutSec * 1000,
            maxOutputBytes: MAX_OUTPUT_BYTES,
          },
          ctx.signal,
        ),
      ctx.signal,
    );
    return masked(r, Object.values(s.environment));
  } catch (e) {
    throw failure(ctx, host, which, s, e);
  }
}

function disconnectedCommand(s: PsrpSettings, timeoutMs: number): DisconnectedCommand {
  const d = s.disconnected;
  return {
    configurationName: s.configurationName,
    script: s.command,
    environment: s.environment,
    workingDirectory: s.workingDirectory ?? undefined,
    timeoutMs,
    maxOutputBytes: MAX_OUTPUT_BYTES,
    sessionName: sessionNameOf(s),
    idleTimeoutMs: d?.idle_timeout_sec == null ? undefined : d.idle_timeout_sec * 1000,
    bufferMode: d?.output_buffering_mode === 'Drop' ? 'Drop' : d?.output_buffering_mode === 'Block' ? 'Block' : undefined,
  };
}

/** How long a collection listens for more output, after a Receive that brought nothing, before disconnecting again. */
const COLLECT_QUIET_MS = 2000;

/** The outputs of a run that ended outside a disconnected session (WinRS, or PSRP in a session of its own). */
export function finishedOutputs(r: { stdout: string; stderr: string; exitCode: number; outputJson?: string }): RunOutputs {
  return {
    stdout: r.stdout,
    stderr: r.stderr,
    exit_code: r.exitCode,
    output_json: r.outputJson ?? null,
    ...statusOf('Completed', r.exitCode),
    session_name: null,
    session_id: null,
    command_id: null,
  };
}

function statusOf(state: PsrpCommandResult['state'], exitCode: number): Pick<RunOutputs, 'status' | 'status_detail'> {
  if (state === 'Running') return { status: 'running', status_detail: '' };
  if (exitCode === 0) return { status: 'completed', status_detail: '' };
  return { status: 'failed', status_detail: `ended ${state === 'Completed' ? '' : `${state.toLowerCase()} `}with exit code ${exitCode}` };
}

function outputsOf(r: PsrpCommandResult, c: DisconnectedCommand, ref: SessionRef, prior?: RunOutputs): RunOutputs {
  const join = (a: string | undefined, b: string): string => {
    const out = new BoundedOutput(MAX_OUTPUT_BYTES);
    out.push(Buffer.from((a ?? '') + b, 'utf8'));
    return out.text();
  };
  const running = r.state === 'Running';
  return {
    stdout: join(prior?.stdout, r.stdout),
    stderr: join(prior?.stderr, r.stderr),
    exit_code: r.exitCode,
    output_json: joinJson(prior?.output_json ?? null, r.outputJson),
    ...statusOf(r.state, r.exitCode),
    session_name: c.sessionName,
    session_id: running ? ref.shellId : null,
    command_id: running ? ref.commandId : null,
  };
}

/** Two JSON arrays as one, kept within the output cap by dropping the newest objects (the value stays valid JSON). */
function joinJson(prior: string | null, next: string): string {
  if (prior === null || prior === '[]') return next;
  if (next === '[]') return prior;
  const joined = `${prior.slice(0, -1)},${next.slice(1)}`;
  return joined.length <= MAX_OUTPUT_BYTES ? joined : prior;
}

/**
 * Create (or re-run) with a `disconnected` block: reattaches to the session an earlier, interrupted
 * apply started under the same name, else starts the command disconnected; with wait, collects until
 * it ends (timeout_sec bounds the wait; the command then runs on and the next apply reattaches). A
 * connection lost during the wait is attached again by `collect`, a few times in a row, each logged.
 */
export async function runDisconnected(ctx: ProviderContext<unknown>, host: Host, s: PsrpSettings): Promise<RunOutputs> {
  const c = disconnectedCommand(s, s.timeoutSec * 1000);
  const wait = s.disconnected?.wait !== false;
  const secrets = Object.values(s.environment);
  try {
    return await host.powershell(async (client, gate) => {
      const existing = await findSession(client, c.configurationName, c.sessionName, ctx.signal);
      const commandId = existing && (await commandOf(client, existing.shellId, ctx.signal));
      let ref: SessionRef;
      if (existing && commandId) {
        ctx.log.info('reattaching to the disconnected session an earlier apply started', { host: host.label, session: c.sessionName });
        ref = { shellId: existing.shellId, commandId };
      } else {
        ref = await startDisconnected(client, gate, c, ctx.signal);
      }
      if (!wait) return outputsOf({ stdout: '', stderr: '', exitCode: 0, outputJson: '[]', state: 'Running' }, c, ref);
      const timeout = AbortSignal.timeout(c.timeoutMs);
      try {
        const r = await collect(client, gate, c, ref, { signal: AbortSignal.any([ctx.signal, timeout]), log: ctx.log });
        return outputsOf(masked(r, secrets), c, ref);
      } catch (e) {
        if (timeout.aborted && !ctx.signal.aborted) {
          throw new DiagnosticError(
            `${label('command')} is still running on ${host.label} after timeout_sec = ${s.timeoutSec}`,
            `It runs on in the disconnected session "${c.sessionName}"; the next apply reattaches to it and collects its output.`,
            ['timeout_sec'],
          );
        }
        throw e;
      }
    }, ctx.signal);
  } catch (e) {
    throw failure(ctx, host, 'command', s, e);
  }
}

/**
 * Refresh of a running disconnected command: whether its session still exists and whether its command
 * ended (or holds output back), without taking any output (terraform discards what a plan's refresh
 * learns). A session the host no longer has is expired, with the reason.
 */
export async function refreshDisconnected(
  ctx: ProviderContext<unknown>,
  host: Host,
  s: PsrpSettings,
  prior: RunOutputs,
  lastContactMs: number | undefined,
): Promise<{ outputs: RunOutputs; collectable: boolean }> {
  if (prior.session_id === null || prior.command_id === null) return { outputs: prior, collectable: false };
  const c = disconnectedCommand(s, s.timeoutSec * 1000);
  const ref = { shellId: prior.session_id, commandId: prior.command_id };
  try {
    const progress = await host.powershell((client, gate) => probeCommand(client, gate, c, ref, ctx.signal), ctx.signal);
    return { outputs: prior, collectable: progress === 'collectable' };
  } catch (e) {
    if (!(e instanceof SessionGoneError)) throw failure(ctx, host, 'command', s, e);
    return { outputs: expired(c, prior, lastContactMs), collectable: false };
  }
}

/**
 * Apply of a collection the plan announced: connect, take what the command wrote, and disconnect, or
 * close the session once the command ended (the state this returns is saved).
 */
export async function collectDisconnected(
  ctx: ProviderContext<unknown>,
  host: Host,
  s: PsrpSettings,
  prior: RunOutputs,
  lastContactMs: number | undefined,
): Promise<RunOutputs> {
  if (prior.session_id === null || prior.command_id === null) return prior;
  const c = disconnectedCommand(s, s.timeoutSec * 1000);
  const ref = { shellId: prior.session_id, commandId: prior.command_id };
  try {
    const r = await host.powershell(
      (client, gate) => collect(client, gate, c, ref, { quietMs: COLLECT_QUIET_MS, signal: ctx.signal, log: ctx.log }),
      ctx.signal,
    );
    return outputsOf(masked(r, Object.values(s.environment)), c, ref, prior);
  } catch (e) {
    if (!(e instanceof SessionGoneError)) throw failure(ctx, host, 'command', s, e);
    return expired(c, prior, lastContactMs);
  }
}

function expired(c: DisconnectedCommand, prior: RunOutputs, lastContactMs: number | undefined): RunOutputs {
  return { ...prior, status: 'expired', status_detail: expiredReason(c, lastContactMs), session_id: null, command_id: null };
}

/** Why the host no longer has the session: its IdleTimeout passed since the last contact, or it was lost earlier (a WinRM restart). */
function expiredReason(c: DisconnectedCommand, lastContactMs: number | undefined): string {
  const idle = c.idleTimeoutMs;
  if (idle !== undefined && lastContactMs !== undefined && Date.now() - lastContactMs >= idle) {
    return `the session's IdleTimeout (${idle / 1000} s) passed before its output was collected; the next apply runs the command again`;
  }
  if (idle === undefined)
    return 'the session is gone from the host: its IdleTimeout passed or WinRM restarted before its output was collected; the next apply runs the command again';
  return 'the session was lost before its IdleTimeout passed: WinRM restarted (or the host rebooted) while it ran; the next apply runs the command again';
}

/** Destroy or re-run of a command still running in its session: the session is closed on the host (its command ends). */
export async function abandonDisconnected(ctx: ProviderContext<unknown>, host: Host, s: PsrpSettings, prior: RunOutputs): Promise<void> {
  if (prior.session_id === null) return;
  const shellId = prior.session_id;
  await host
    .powershell((client, gate) => closeSession(client, gate, s.configurationName, shellId, ctx.signal), ctx.signal)
    .catch((e: unknown) =>
      ctx.log.warn('could not close the disconnected session; the host removes it after its IdleTimeout', {
        host: host.label,
        error: errorMessage(e),
      }),
    );
}
