/**
 * `psremoting_session_configuration`: plan (validation before any request, winrs cap warnings, the
 * existing-endpoint check), create (Register's document), read (the host's shared plugin read),
 * update (fresh Get, Set semantics, one Put), delete, import — each write followed by the coalesced
 * WinRM restart. Convergence across interrupted applies: private state keeps the restart marker the
 * host had when this resource wrote; while the host still has it, no restart happened since.
 */
import { EndpointExistsError, type Host, type HostPool } from '../../../host';
import { applyDesired, diff, observe, registerDocument, reportedProperties, winrsCapWarnings, WINRS_CAPPED_SETTINGS, type ObservedSettings } from '../../../host/session-configuration';
import type { PluginConfig } from '../../../wsman/config';
import { defineResource, DiagnosticError, unknown, type AttributePath, type Diagnostics, type PrivateData, type State, type Value } from '../../../tfplugin';
import { ifReachable, onHost, settleRestarts, withHosts, type Ctx } from '../../host-operations';
import type { ProviderState } from '../../provider-state';
import { observedValues } from '../../session-configuration/observed-values';
import { settingsOf } from '../../session-configuration/setting-attributes';
import { importCommand, isBuiltinEndpoint, parseImportId, sameEndpointName } from './endpoint-identity';
import { configFindings, managedChanges, observedFindings, registeredDefaults, withFollowersUnknown, type Finding } from './plan-logic';
import { sessionConfigurationSchema, TYPE_NAME } from './schema';
import { verifyEndpoint, type SessionView } from './endpoint-verification';

type S = typeof sessionConfigurationSchema;
type Values = { readonly [name: string]: Value | undefined };

/** Private state key: the host's restart marker when this resource last wrote. */
const MARKER = 'restart_marker';

function report(diags: Diagnostics, findings: readonly Finding[]): boolean {
  for (const f of findings) diags.error('Invalid session configuration', f.message, f.path);
  return findings.length > 0;
}

/** The state of an endpoint whose document is `doc`; `previous` supplies spellings to keep and the opt-in. */
function stateOf(host: string, doc: PluginConfig, previous: Values, restartPending: boolean, sessionView?: SessionView | null): State<S> {
  return {
    verify: previous.verify !== false,
    session_view: sessionView === undefined ? (previous.session_view ?? null) : sessionView,
    host,
    // The spelling the configuration (or import id) uses, while it names the same endpoint.
    name: doc.name === undefined || (typeof previous.name === 'string' && sameEndpointName(doc.name, previous.name)) ? String(previous.name) : doc.name,
    ...observedValues(doc, previous),
    allow_builtin_destroy: previous.allow_builtin_destroy === true,
    reported: reportedProperties(doc),
    restart_pending: restartPending,
  } as State<S>;
}

/** The marker to remember before a write, when writes restart WinRM; a failure is reported as the write's (`what`). */
async function markerBeforeWrite(ctx: Ctx, pool: HostPool, host: Host, what: string): Promise<PrivateData> {
  if (pool.restartPolicy !== 'immediate') return {};
  return { [MARKER]: await onHost(ctx, host, what, () => host.restartMarker(ctx.signal)) };
}

const SKIPPED_CHECKS = 'The plan-time checks against this host (an existing endpoint, the host-wide winrs caps) were skipped.';

/** Plan checks that need the host: an existing endpoint on create, the winrs caps, the restart policy. */
async function planAgainstHost(ctx: Ctx, config: Values, creating: boolean, changing: boolean): Promise<void> {
  const hostSpec = config.host;
  const name = config.name;
  // These checks only warn: a provider block known only after apply skips them rather than failing the plan.
  if (typeof hostSpec !== 'string' || !ctx.provider.configKnown) return;
  const desired = settingsOf(config);
  await withHosts(ctx, async (pool) => {
    const host = pool.host(hostSpec);
    if (creating && typeof name === 'string') {
      const existing = await ifReachable(ctx, host, 'Reading session configurations', SKIPPED_CHECKS, async () => (await host.plugin(name, ctx.signal)) ?? null);
      if (existing === undefined) return; // unreachable, said once: the other checks would only say it again
      // A warning, not an error: terraform destroy plans the whole configuration first and must not be blocked.
      if (existing) {
        ctx.diagnostics.warning(
          'Session configuration already exists',
          `"${existing.name ?? name}" already exists on ${host.label}, so creating it will fail. To manage it, import it: ${importCommand(hostSpec, name)}`,
          ['name'],
        );
      }
    }
    if (changing && pool.restartPolicy === 'never') {
      ctx.diagnostics.warning(
        'Changes take effect at the next WinRM restart',
        `The provider's restart = "never": the change is stored on ${host.label}, but WinRM keeps using the previous configuration until it restarts.`,
      );
    }
    if (!WINRS_CAPPED_SETTINGS.some((s) => desired[s] !== undefined)) return;
    const winrs = (await ifReachable(ctx, host, 'Reading winrm/config for the winrs caps', SKIPPED_CHECKS, () => host.winrmConfig(ctx.signal)))?.winrs;
    for (const w of winrs ? winrsCapWarnings(desired, winrs, host.label) : []) {
      ctx.diagnostics.warning('Quota above the host-wide cap', w.message, [w.attribute]);
    }
  });
}

export const sessionConfigurationResource = defineResource<ProviderState>()({
  typeName: TYPE_NAME,
  schema: sessionConfigurationSchema,

  validate(ctx, config) {
    report(ctx.diagnostics, configFindings(config));
  },

  async plan(ctx, { prior, config, planned }) {
    // Values unknown at validate time are checked here, still before any request.
    if (report(ctx.diagnostics, configFindings(config))) return;
    const desired = settingsOf(config);
    const name = typeof config.name === 'string' ? config.name : undefined;
    const basis: ObservedSettings | undefined = prior ? (settingsOf(prior) as ObservedSettings) : name ? registeredDefaults(name) : undefined;
    if (basis && report(ctx.diagnostics, observedFindings(desired, basis))) return;

    // Another endpoint (not merely another spelling of the same host or name) replaces: terraform then
    // plans it again as a create.
    const moved = prior !== null && (typeof config.host !== 'string' || !ctx.provider.sameHost(prior.host, config.host));
    const renamed = prior !== null && (typeof config.name !== 'string' || !sameEndpointName(prior.name, config.name));
    if (moved || renamed) {
      const requiresReplace: AttributePath[] = [...(moved ? [['host']] : []), ...(renamed ? [['name']] : [])];
      return { planned: { ...planned, restart_pending: false }, requiresReplace };
    }
    const changes = basis ? managedChanges(config, basis) : [];
    await planAgainstHost(ctx, config, prior === null, prior === null || changes.length > 0);

    let next: Record<string, Value> = { ...(planned as Record<string, Value>), restart_pending: false };
    if (prior) next = withFollowersUnknown(next, config, changes);
    // A write is verified by a new session, whose view may differ; without a write the last view stays.
    if (prior && changes.length > 0 && config.verify !== false) next = { ...next, session_view: unknown };
    return { planned: next as typeof planned };
  },

  async create(ctx, { config }) {
    const written = await withHosts(ctx, async (pool) => {
      const host = pool.host(config.host);
      const doc = registerDocument(config.name, settingsOf(config));
      const what = `Creating session configuration "${config.name}"`;
      const priv = await markerBeforeWrite(ctx, pool, host, what);
      await onHost(ctx, host, what, async () => {
        try {
          await host.createPlugin(doc, ctx.signal);
        } catch (e) {
          if (!(e instanceof EndpointExistsError)) throw e;
          throw new DiagnosticError('Session configuration already exists', `${e.message}. To manage it, import it: ${importCommand(config.host, config.name)}`, ['name']);
        }
      });
      await settleRestarts(ctx, pool);
      return { state: stateOf(config.host, doc, config, false), private: priv };
    });
    return { ...written, state: { ...written.state, session_view: await verifyEndpoint(ctx, config.host, config.name, settingsOf(config), config.verify !== false) } };
  },

  read(ctx, { state, private: priv }) {
    return withHosts(ctx, async (pool) => {
      const host = pool.host(state.host);
      const doc = await ifReachable(ctx, host, 'Reading session configurations', 'Its last known state is used.', async () => (await host.plugin(state.name, ctx.signal)) ?? null);
      if (doc === undefined) return { state };
      if (doc === null) return { state: null };
      // The marker is read only while a restart may be pending, so a refresh stays one request per host.
      const marker = priv[MARKER];
      let pending = false;
      let nextPrivate: PrivateData = priv;
      if (typeof marker === 'string' && pool.restartPolicy === 'immediate') {
        pending = (await onHost(ctx, host, 'Reading the restart marker', () => host.restartMarker(ctx.signal))) === marker;
        if (!pending) nextPrivate = {};
      }
      return { state: stateOf(state.host, doc, state, pending), private: nextPrivate };
    });
  },

  async update(ctx, { prior, config, private: priv }) {
    let wrote = false;
    const written = await withHosts(ctx, async (pool) => {
      const host = pool.host(config.host);
      const desired = settingsOf(config);
      const what = `Updating session configuration "${config.name}"`;
      const current = await onHost(ctx, host, what, () => host.freshPlugin(config.name, ctx.signal));
      if (!current) throw new DiagnosticError(`${what} failed`, `"${config.name}" no longer exists on ${host.label}; run terraform apply again to create it.`);
      let nextPrivate = priv;
      let doc = current;
      const changed = diff(desired, observe(current));
      if (changed.changes.length > 0) {
        const restart = changed.restartRequired;
        if (restart) nextPrivate = await markerBeforeWrite(ctx, pool, host, what);
        doc = applyDesired(current, desired);
        await onHost(ctx, host, what, () => host.putPlugin(doc, ctx.signal, { restart }));
        wrote = true;
      } else if (prior.restart_pending && pool.restartPolicy === 'immediate') {
        // Written by an apply that ended before its restart: restart now, and keep the marker until seen.
        pool.coordinator.markPending(host.endpoint);
      }
      await settleRestarts(ctx, pool);
      return { state: stateOf(config.host, doc, config, false, prior.session_view), private: nextPrivate };
    });
    if (!wrote) return written;
    return { ...written, state: { ...written.state, session_view: await verifyEndpoint(ctx, config.host, config.name, settingsOf(config), config.verify !== false) } };
  },

  async delete(ctx, { prior }) {
    if (isBuiltinEndpoint(prior.name) && prior.allow_builtin_destroy !== true) {
      throw new DiagnosticError(
        'Refusing to destroy a built-in session configuration',
        `"${prior.name}" on ${prior.host} is created by Windows; removing it can cut off remote management. Nothing was changed. To destroy it anyway, set allow_builtin_destroy = true, apply, then destroy.`,
      );
    }
    await withHosts(ctx, async (pool) => {
      const host = pool.host(prior.host);
      await onHost(ctx, host, `Deleting session configuration "${prior.name}"`, () => host.deletePlugin(prior.name, ctx.signal));
      await settleRestarts(ctx, pool);
    });
  },

  async import(_ctx, { id }) {
    let parsed: { host: string; name: string };
    try {
      parsed = parseImportId(id);
    } catch (e) {
      throw new DiagnosticError('Invalid import id', (e as Error).message);
    }
    const problems = configFindings({ host: parsed.host, name: parsed.name });
    if (problems.length > 0) throw new DiagnosticError('Invalid import id', problems.map((p) => p.message).join('; '));
    return { state: { host: parsed.host, name: parsed.name, allow_builtin_destroy: false, restart_pending: false, verify: true } };
  },
});

