/**
 * After a write of `psremoting_session_configuration` and its WinRM restart: a real session on the
 * endpoint as the provider's user, its view compared with what was declared (IdleTimeOut, MaxIdleTimeOut
 * and BufferMode of the Create answer, and a trivial pipeline), and its language mode and visible
 * commands recorded. A refusal or a difference is an error naming it.
 *
 * A restricted endpoint (not FullLanguage: a JEA endpoint) is looked at again on every refresh, and the
 * language mode and visible commands it shows are compared with those verified after the last write
 * (kept in the resource's private state): a role capability edited by hand, a module removed, a role
 * definition changed show as drift, which the next apply verifies again.
 */
import { errorMessage } from '../../../common';
import { probeEndpoint, type EndpointView, type Host } from '../../../host';
import type { SessionConfigurationSettings } from '../../../host/session-configuration';
import type { PrivateData, PrivateJson } from '../../../tfplugin';
import { withHosts, type Ctx } from '../../host-operations';

/** As the state holds it (map values may be null there). */
export type SessionView = Readonly<Record<string, string | null>>;

/** Separates the names in `visible_commands` (no command name contains it). */
const NAME_SEPARATOR = ', ';
/** The private state key of the view verified after the last write. */
const VERIFIED = 'verified_view';
/** What a refresh compares with the verified view. */
const WATCHED = ['language_mode', 'visible_commands', 'pipeline'] as const;

function viewOf(v: EndpointView): SessionView {
  const out: Record<string, string> = { pipeline: v.pipeline, language_mode: v.languageMode };
  if (v.idleTimeoutMs !== undefined) out.idle_timeout_sec = String(Math.floor(v.idleTimeoutMs / 1000));
  if (v.maxIdleTimeoutMs !== undefined) out.max_idle_timeout_sec = String(Math.floor(v.maxIdleTimeoutMs / 1000));
  if (v.bufferMode !== undefined) out.output_buffering_mode = v.bufferMode;
  if (v.visibleCommands !== undefined) out.visible_commands = v.visibleCommands.join(NAME_SEPARATOR);
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

/** The private state that remembers a verified view (what later refreshes compare with), or none for a view not worth watching. */
export function verifiedPrivate(view: SessionView | null): PrivateData {
  if (view?.visible_commands === undefined || view.visible_commands === null) return {};
  const watched: Record<string, PrivateJson> = {};
  for (const k of WATCHED) watched[k] = view[k] ?? null;
  return { [VERIFIED]: watched };
}

function verifiedView(priv: PrivateData): SessionView | undefined {
  const v = priv[VERIFIED];
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: Record<string, string | null> = {};
  for (const k of WATCHED) {
    const x = (v as Record<string, PrivateJson>)[k];
    out[k] = typeof x === 'string' ? x : null;
  }
  return out;
}

const names = (list: string | null | undefined): string[] => (list ? list.split(NAME_SEPARATOR) : []);

/** How a refreshed view differs from the one verified after the last write; empty when it does not (or nothing was verified). */
export function viewDrift(priv: PrivateData, current: SessionView | null): string[] {
  const verified = verifiedView(priv);
  if (!verified || !current) return [];
  const out: string[] = [];
  if (current.pipeline !== verified.pipeline) out.push(`the trivial pipeline: ${current.pipeline ?? 'not run'}`);
  if (current.language_mode !== verified.language_mode)
    out.push(`language mode ${current.language_mode ?? 'not known'} (was ${verified.language_mode ?? 'not known'})`);
  const before = new Set(names(verified.visible_commands).map((n) => n.toLowerCase()));
  const now = names(current.visible_commands);
  const nowLower = new Set(now.map((n) => n.toLowerCase()));
  const added = now.filter((n) => !before.has(n.toLowerCase()));
  const removed = names(verified.visible_commands).filter((n) => !nowLower.has(n.toLowerCase()));
  if (added.length > 0) out.push(`now visible: ${added.join(', ')}`);
  if (removed.length > 0) out.push(`no longer visible: ${removed.join(', ')}`);
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
    view = viewOf(await withHosts(ctx, () => probe(ctx, host, name)));
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

/**
 * On refresh, for an endpoint whose verified view is watched (a restricted one): what a session sees
 * now. An endpoint that refuses the session gives a view saying why (drift, not a failed refresh).
 * Undefined when there is nothing to look at: not watched, opted out, or the host's configuration is not
 * in effect yet (a restart pending).
 */
export async function refreshedView(
  ctx: Ctx,
  host: Host,
  name: string,
  o: { priv: PrivateData; verify: boolean; enabled: boolean; restartPending: boolean },
): Promise<SessionView | undefined> {
  if (!verifiedView(o.priv) || !o.verify || !o.enabled || o.restartPending || ctx.provider.pool.restartPolicy === 'never') return undefined;
  try {
    return viewOf(await probe(ctx, host, name));
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    return { pipeline: `failed: ${errorMessage(e)}` };
  }
}

function probe(ctx: Ctx, host: Host, name: string): Promise<EndpointView> {
  return host.powershell((client, gate) => probeEndpoint(client, gate, name, ctx.signal), ctx.signal);
}
