/**
 * How every provider operation touches hosts: counted by the pool's activity tracker (the restart
 * coordinator waits for terraform to stop sending work), host failures named after the host, and
 * restart failures reported as errors naming the host.
 */
import { isTransient, type Host, type HostPool } from '../host';
import { DiagnosticError, type ProviderContext, type Value } from '../tfplugin';
import { hostFailureHint } from './host-failure-hints';
import type { ProviderState } from './provider-state';
import { errorMessage } from '../common';

export type Ctx = ProviderContext<ProviderState>;

export function withHosts<T>(ctx: Ctx, run: (pool: HostPool) => Promise<T>): Promise<T> {
  const pool = ctx.provider.pool;
  return pool.activity.track(() => run(pool));
}

/** Runs one host step; a failure becomes an error naming the host (an abort stays an abort). */
export async function onHost<T>(ctx: Ctx, host: Host, what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    throw hostFailure(ctx, host, what, e);
  }
}

function hostFailure(ctx: Ctx, host: Host, what: string, e: unknown): unknown {
  if (e instanceof DiagnosticError || ctx.signal.aborted) return e;
  const hint = hostFailureHint(e, host.endpoint);
  return new DiagnosticError(`${what} on ${host.label} failed`, hint ? `${errorMessage(e)}. ${hint}` : errorMessage(e));
}

/** After a write: waits out the coalesced restarts when this call is the anchor, reporting each failure. */
export async function settleRestarts(ctx: Ctx, pool: HostPool): Promise<void> {
  for (const failure of await pool.coordinator.settle(ctx.signal)) {
    ctx.diagnostics.error(
      `WinRM restart failed on ${failure.host}`,
      `${failure.error.message}. The configuration is stored on the host; the next apply restarts WinRM again.`,
    );
  }
}

/**
 * A host step that may find the host unreachable (refused, reset, timed out after the retries). By
 * default that is an error naming the host and the reason: a plan that could not look at a host must
 * not report "no changes". With allow_stale_state it is a warning saying what that means here
 * (`consequence`), and undefined, so the plan goes on with the last known state.
 */
export async function ifReachable<T>(
  ctx: Ctx,
  host: Host,
  what: string,
  consequence: string,
  step: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await step();
  } catch (e) {
    if (ctx.signal.aborted || !isTransient(e)) throw hostFailure(ctx, host, what, e);
    if (!ctx.provider.allowStaleState) {
      throw new DiagnosticError(
        `${host.label} is unreachable`,
        `${what}: ${errorMessage(e)}. Nothing on this host was checked. To plan with the last known state of its resources instead, set allow_stale_state = true in the provider block.`,
      );
    }
    ctx.diagnostics.warning(
      `${host.label} is unreachable`,
      `${what}: ${errorMessage(e)}. ${consequence} Operations on it fail until it answers.`,
    );
    return undefined;
  }
}

/**
 * Whether a plan moves a resource to another host: another endpoint, not another spelling of the same
 * one ("web1" and "http://web1:5985/wsman" under the default scheme), so `host` replaces only then.
 * Decided here rather than by the schema's requiresReplace, which compares spellings.
 */
export function movesHost(ctx: Ctx, prior: { readonly host: Value } | null, config: { readonly host: Value }): boolean {
  return (
    prior !== null && (typeof config.host !== 'string' || typeof prior.host !== 'string' || !ctx.provider.sameHost(prior.host, config.host))
  );
}
