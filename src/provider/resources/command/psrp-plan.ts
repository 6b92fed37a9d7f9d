/** Plan-time rules of `psremoting_command` over PSRP: which runs use it, what is refused, when a refresh plans a re-run. */
import { isUnknown, unknown, type AttributePath, type Value } from '../../../tfplugin';
import { getQuota } from '../../../wsman/config';
import { ifReachable, withHosts, type Ctx } from '../../host-operations';
import { DEFAULT_CONFIGURATION, type DisconnectedBlock, type PsrpSettings } from './psrp-run';

interface PsrpInputs {
  readonly shell: Value;
  readonly configuration_name: Value;
  readonly disconnected: Value;
}

/** Runs with an endpoint or a disconnected block go over PSRP. */
export const overPsrp = (s: { configuration_name: string | null; disconnected: DisconnectedBlock | null }): boolean =>
  s.configuration_name !== null || s.disconnected !== null;

/** PSRP runs PowerShell: shell = "cmd" with an endpoint or a disconnected block is refused. */
export function psrpProblems(config: PsrpInputs): Array<{ message: string; path: AttributePath }> {
  if (config.shell !== 'cmd') return [];
  const out: Array<{ message: string; path: AttributePath }> = [];
  if (typeof config.configuration_name === 'string')
    out.push({
      message: 'configuration_name runs the command over PSRP, which runs PowerShell: it needs shell = "powershell".',
      path: ['configuration_name'],
    });
  if (config.disconnected !== null && !isUnknown(config.disconnected))
    out.push({ message: 'a disconnected session runs PowerShell: it needs shell = "powershell".', path: ['disconnected'] });
  return out;
}

export function psrpSettings(s: {
  host: string;
  command: string;
  configuration_name: string | null;
  environment: Readonly<Record<string, string | null>> | null;
  working_directory: string | null;
  timeout_sec: number;
  triggers: Readonly<Record<string, string | null>> | null;
  disconnected: DisconnectedBlock | null;
}): PsrpSettings {
  const environment: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.environment ?? {})) if (v !== null) environment[k] = v;
  return {
    host: s.host,
    command: s.command,
    configurationName: s.configuration_name ?? DEFAULT_CONFIGURATION,
    environment,
    workingDirectory: s.working_directory,
    timeoutSec: s.timeout_sec,
    triggers: s.triggers,
    disconnected: s.disconnected,
  };
}

/** A refresh that found the disconnected session expired, or its command failed, plans the command again. */
export function rerunsAfterRefresh(prior: {
  status: string | null;
  session_name: string | null;
  fail_on_nonzero_exit: boolean | null;
}): boolean {
  if (prior.session_name === null) return false;
  return prior.status === 'expired' || (prior.status === 'failed' && prior.fail_on_nonzero_exit !== false);
}

export const PSRP_RERUN_OUTPUTS = {
  output_json: unknown,
  status: unknown,
  status_detail: unknown,
  session_id: unknown,
  command_id: unknown,
} as const;

/** What an apply that collects a disconnected command's output may change. */
export const COLLECT_OUTPUTS = { stdout: unknown, stderr: unknown, exit_code: unknown, ...PSRP_RERUN_OUTPUTS } as const;

/**
 * The idle timeout against the endpoint's MaxIdleTimeout: the value declared for it in this
 * configuration when its plan came first (a command that depends on its endpoint; see
 * src/provider/declared-endpoints.ts), else what the host reports now. An unreachable host, or a value
 * unknown until apply, skips the check.
 */
export async function checkIdleTimeoutAgainstHost(
  ctx: Ctx,
  config: { host: Value; configuration_name: Value; disconnected: Value },
): Promise<void> {
  const d = config.disconnected as { idle_timeout_sec?: Value } | null;
  const idle = d && !isUnknown(d) ? d.idle_timeout_sec : null;
  if (typeof idle !== 'number' || typeof config.host !== 'string') return;
  if (isUnknown(config.configuration_name)) return;
  const name = typeof config.configuration_name === 'string' ? config.configuration_name : DEFAULT_CONFIGURATION;
  const hostSpec = config.host;
  const declared = ctx.provider.declaredEndpoints.find(hostSpec, name)?.maxIdleTimeoutSec ?? 'unset';
  if (declared === 'unknown') return;
  if (declared !== 'unset') {
    if (idle > declared) refuseIdle(ctx, idle, name, hostSpec, declared, 'as declared in this configuration');
    return;
  }
  if (!ctx.provider.configKnown) return;
  await withHosts(ctx, async (pool) => {
    const host = pool.host(hostSpec);
    const plugin = await ifReachable(
      ctx,
      host,
      'Reading session configurations',
      'The idle timeout was not checked against the endpoint.',
      () => host.plugin(name, ctx.signal),
    );
    const max = Number((plugin && getQuota(plugin, 'MaxIdleTimeoutms')) ?? NaN);
    if (Number.isFinite(max) && idle * 1000 > max)
      refuseIdle(ctx, idle, name, host.label, Math.floor(max / 1000), 'as the host reports it');
  });
}

function refuseIdle(ctx: Ctx, idle: number, name: string, host: string, maxSec: number, source: string): void {
  ctx.diagnostics.error(
    "Idle timeout above the endpoint's maximum",
    `disconnected.idle_timeout_sec = ${idle} is more than the MaxIdleTimeout of "${name}" on ${host} (${maxSec} s, ${source}); the host would refuse the disconnect.`,
    ['disconnected', 'idle_timeout_sec'],
  );
}
