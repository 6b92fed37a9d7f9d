/**
 * After a write of `psremoting_session_configuration` and its WinRM restart: a real session on the
 * endpoint, its view compared with what was declared (IdleTimeOut, MaxIdleTimeOut and BufferMode of the
 * Create answer, and a trivial pipeline). A refusal or a difference is an error naming it.
 */
import { errorMessage } from '../../../common';
import { probeEndpoint, type EndpointView } from '../../../host';
import type { SessionConfigurationSettings } from '../../../host/session-configuration';
import { withHosts, type Ctx } from '../../host-operations';

/** As the state holds it (map values may be null there). */
export type SessionView = Readonly<Record<string, string | null>>;

function viewOf(v: EndpointView): SessionView {
  const out: Record<string, string> = { pipeline: v.pipeline };
  if (v.idleTimeoutMs !== undefined) out.idle_timeout_sec = String(Math.floor(v.idleTimeoutMs / 1000));
  if (v.maxIdleTimeoutMs !== undefined) out.max_idle_timeout_sec = String(Math.floor(v.maxIdleTimeoutMs / 1000));
  if (v.bufferMode !== undefined) out.output_buffering_mode = v.bufferMode;
  return out;
}

/** Declared settings the session shows, and how it shows them. */
const COMPARED = ['idle_timeout_sec', 'max_idle_timeout_sec', 'output_buffering_mode'] as const;

export function differences(declared: SessionConfigurationSettings, view: SessionView): string[] {
  const out: string[] = [];
  for (const name of COMPARED) {
    const want = declared[name];
    if (want === undefined) continue;
    const got = view[name];
    if (got === undefined || got === null || got.toLowerCase() !== String(want).toLowerCase())
      out.push(`${name}: declared ${want}, the session has ${got ?? 'nothing reported'}`);
  }
  if (view.pipeline !== 'ran') out.push(`a trivial pipeline (Get-Command -Name Get-Command) did not run: ${view.pipeline}`);
  return out;
}

/**
 * Waits for this host's restart (run by the apply's anchor once terraform goes quiet; waiting outside
 * the provider's activity lets it happen), then opens the session. Returns the view, or null when there
 * is nothing to verify (opted out, disabled, or restarts left to the next WinRM restart); errors become
 * diagnostics on `verify`.
 */
export async function verifyEndpoint(
  ctx: Ctx,
  hostSpec: string,
  name: string,
  declared: SessionConfigurationSettings,
  verify: boolean,
): Promise<SessionView | null> {
  const pool = ctx.provider.pool;
  if (!verify || declared.enabled === false || pool.restartPolicy === 'never') return null;
  const host = pool.host(hostSpec);
  await pool.coordinator.settled(host.endpoint, ctx.signal);
  let view: SessionView;
  try {
    view = viewOf(await withHosts(ctx, () => host.powershell((client, gate) => probeEndpoint(client, gate, name, ctx.signal), ctx.signal)));
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    ctx.diagnostics.error(
      `The endpoint "${name}" refused a session on ${host.label}`,
      `After the write and the WinRM restart, opening a session on it failed: ${errorMessage(e)}. Set verify = false to skip this check.`,
      ['verify'],
    );
    return null;
  }
  const diffs = differences(declared, view);
  if (diffs.length > 0) {
    ctx.diagnostics.error(
      `Sessions on "${name}" do not get what was declared on ${host.label}`,
      `A session opened after the write and the WinRM restart shows: ${diffs.join('; ')}. A host-wide winrs limit (for example winrm/config/winrs IdleTimeout) can cap the endpoint's values. Set verify = false to skip this check.`,
      ['verify'],
    );
  }
  return view;
}
