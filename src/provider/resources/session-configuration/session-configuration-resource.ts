/**
 * `psremoting_session_configuration`: plan (validation before any request, winrs cap warnings, the
 * existing-endpoint check), create (Register's document), read (the host's shared plugin read),
 * update (fresh Get, Set semantics, one Put), delete, import — each write followed by the coalesced
 * WinRM restart. Convergence across interrupted applies: the host records that a restart is owed before
 * the write (src/host/restart-marker.ts), so `restart_pending` comes from the host, not from what
 * terraform managed to save.
 */
import { errorMessage } from '../../../common';
import { EndpointExistsError } from '../../../host';
import {
  applyDesired,
  diff,
  observe,
  registerDocument,
  reportedProperties,
  sddlExposure,
  winrsCapWarnings,
  SETTING_NAMES,
  WINRS_CAPPED_SETTINGS,
  type ObservedSettings,
  type SettingChange,
} from '../../../host/session-configuration';
import type { PluginConfig } from '../../../wsman/config';
import {
  defineResource,
  DiagnosticError,
  pathText,
  unknown,
  type AttributePath,
  type Diagnostics,
  type State,
  type Value,
} from '../../../tfplugin';
import { ifReachable, movesHost, onHost, settleRestarts, withHosts, type Ctx } from '../../host-operations';
import type { ProviderState } from '../../provider-state';
import { observedValues } from '../../session-configuration/observed-values';
import { settingsOf, unknownSettings } from '../../session-configuration/setting-attributes';
import { importCommand, isBuiltinEndpoint, parseImportId, sameEndpointName } from './endpoint-identity';
import { configFindings, managedChanges, observedFindings, registeredDefaults, withFollowersUnknown, type Finding } from './plan-logic';
import { sessionConfigurationSchema, TYPE_NAME } from './schema';
import { refreshedView, verifiedPrivate, verifyEndpoint, viewDrift, type SessionView } from './endpoint-verification';
import {
  declaredFile,
  documentWithoutFile,
  fileChanges,
  missingCapabilities,
  observeFile,
  writeFile,
  type ObservedFile,
} from './configuration-file';
import { configurationFileBlock } from './plan-logic';
import {
  configurationFilePath,
  configurationFilePathOf as configurationFilePathOfDoc,
  withConfigurationFile,
  removeFileOnHost,
} from '../../../host/jea';

type S = typeof sessionConfigurationSchema;
type Values = { readonly [name: string]: Value | undefined };

/** A built-in endpoint is unregistered only with allow_builtin_destroy; otherwise destroying it forgets it. */
function forgetsOnDestroy(prior: { readonly name: string; readonly allow_builtin_destroy: boolean | null }): boolean {
  return isBuiltinEndpoint(prior.name) && prior.allow_builtin_destroy !== true;
}

function forgetText(prior: { readonly name: string; readonly host: string }): string {
  return (
    `"${prior.name}" on ${prior.host} is created by Windows; removing it can cut off remote management, so destroying this resource ` +
    'removes it from the state only and leaves the endpoint (with the settings applied so far) on the host. To unregister it, set allow_builtin_destroy = true and apply before destroying.'
  );
}

/**
 * The plan shows what the host will report, not "known after apply" wherever it can be told now: a create
 * writes Register's document with the managed settings (create returns exactly that); an update leaves
 * unmanaged settings as they are, except those a changing setting drives (followers), and changes the
 * `reported` view only when it changes anything on the host.
 */
function plannedExactly(
  prior: Values | null,
  config: Values,
  planned: Values,
  changes: readonly SettingChange[],
  fileChanging: boolean,
): Record<string, Value> {
  const next: Record<string, Value> = { ...(planned as Record<string, Value>), restart_pending: false };
  const file = declaredFile(config);
  // The SDDL derived from role definitions needs the host's SIDs: known after apply.
  const derivesSddl =
    file?.role_definitions !== undefined && (config.security_descriptor_sddl === null || config.security_descriptor_sddl === undefined);
  const sddlUnknown = (out: Record<string, Value>): Record<string, Value> =>
    derivesSddl ? { ...out, security_descriptor_sddl: unknown, access_mode: config.access_mode ?? unknown, reported: unknown } : out;
  if (prior === null) {
    if (typeof config.host !== 'string' || typeof config.name !== 'string' || unknownSettings(config).length > 0) return next;
    const path = configurationFilePath(config.name);
    let doc = registerDocument(config.name, settingsOf(config));
    if (file !== null) doc = withConfigurationFile(doc, path, file);
    const state = stateOf(config.host, doc, config, false, undefined, {
      block: configurationFileBlock(config),
      path: file === null ? null : path,
    });
    return sddlUnknown({ ...next, ...state, configuration_file: config.configuration_file ?? null });
  }
  for (const s of SETTING_NAMES) if (config[s] === null || config[s] === undefined) next[s] = prior[s] ?? null;
  if (changes.length === 0 && !fileChanging) next.reported = prior.reported ?? null;
  // Without the block in the configuration or the state, a file the host has is its own and stays.
  if (file !== null) next.configuration_file_path = prior.configuration_file_path ?? unknown;
  else next.configuration_file_path = fileChanging ? null : (prior.configuration_file_path ?? null);
  const out = withFollowersUnknown(next, config, changes);
  return fileChanging ? sddlUnknown({ ...out, reported: unknown }) : out;
}

/** At apply every value is known: the checks the plan had to skip for unknown values run here, before any write. */
function refuseAtApply(...findings: Finding[][]): void {
  const [first] = findings.flat();
  if (first) throw new DiagnosticError(`Invalid value for "${pathText(first.path.slice(0, 1))}"`, first.message, first.path);
}

function report(diags: Diagnostics, findings: readonly Finding[]): boolean {
  // The summary the runtime's own attribute checks use, so every resource reads alike.
  for (const f of findings) diags.error(`Invalid value for "${pathText(f.path.slice(0, 1))}"`, f.message, f.path);
  return findings.length > 0;
}

/** The state of an endpoint whose document is `doc`; `previous` supplies spellings to keep and the opt-in. */
function stateOf(
  host: string,
  doc: PluginConfig,
  previous: Values,
  restartPending: boolean,
  sessionView?: SessionView | null,
  file?: ObservedFile,
): State<S> {
  const priorName = typeof previous.name === 'string' ? previous.name : undefined;
  return {
    verify: previous.verify !== false,
    session_view: sessionView === undefined ? (previous.session_view ?? null) : sessionView,
    host,
    // The spelling the configuration (or import id) uses, while it names the same endpoint.
    name: priorName !== undefined && (doc.name === undefined || sameEndpointName(doc.name, priorName)) ? priorName : (doc.name ?? ''),
    ...observedValues(doc, previous),
    allow_builtin_destroy: previous.allow_builtin_destroy === true,
    reported: reportedProperties(doc),
    restart_pending: restartPending,
    configuration_file: file === undefined ? (previous.configuration_file ?? null) : file.block,
    configuration_file_path: file === undefined ? (previous.configuration_file_path ?? null) : file.path,
  } as State<S>;
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
      const existing = await ifReachable(
        ctx,
        host,
        'Reading session configurations',
        SKIPPED_CHECKS,
        async () => (await host.plugin(name, ctx.signal)) ?? null,
      );
      if (existing === undefined) return; // unreachable, said once: the other checks would only say it again
      // An error: creating it would fail, and adopting it silently would let a later destroy delete what
      // terraform did not create. Adopting is explicit: an import block or terraform import. terraform
      // destroy plans the whole configuration first (its pre-destroy refresh), so this error stops it too;
      // -refresh=false skips that plan.
      // One terraform's state holds is being replaced (tainted, or -replace): its delete runs first.
      if (existing && !ctx.provider.declaredEndpoints.holds(hostSpec, name)) {
        ctx.diagnostics.error(
          'Session configuration already exists',
          `"${existing.name ?? name}" already exists on ${host.label}, and terraform did not create it. To manage it, import it: ${importCommand(hostSpec, name)} ` +
            `(or an import block with id = "${hostSpec}/${name}"). To destroy the rest of the configuration meanwhile, run terraform destroy -refresh=false.`,
          ['name'],
        );
        return;
      }
    }
    const file = declaredFile(config);
    if (changing && file?.role_definitions !== undefined) {
      const missing = await ifReachable(ctx, host, 'Looking up role capabilities', SKIPPED_CHECKS, () =>
        missingCapabilities(ctx, host, file),
      );
      if (missing?.length)
        ctx.diagnostics.warning(
          'Role capability not found on the host',
          `role_definitions name ${missing.map((m) => `"${m}"`).join(', ')}, which no module on ${host.label}'s PSModulePath holds yet. ` +
            'The apply fails unless a psremoting_role_capability this endpoint references (so it is written first) creates it.',
          ['configuration_file', 'role_definitions'],
        );
    }
    if (changing && pool.restartPolicy === 'never') {
      ctx.diagnostics.warning(
        'Changes take effect at the next WinRM restart',
        `The provider's restart = "never": the change is stored on ${host.label}, but WinRM keeps using the previous configuration until it restarts.`,
      );
    }
    if (!WINRS_CAPPED_SETTINGS.some((s) => desired[s] !== undefined)) return;
    const winrs = (
      await ifReachable(ctx, host, 'Reading winrm/config for the winrs caps', SKIPPED_CHECKS, () => host.winrmConfig(ctx.signal))
    )?.winrs;
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

  async plan(ctx, { prior, config, planned, private: priv }) {
    // Commands on this endpoint planned after it check their idle timeout against what is declared here.
    if (typeof config.host === 'string' && typeof config.name === 'string')
      ctx.provider.declaredEndpoints.declare(config.host, config.name, config.max_idle_timeout_sec);
    if (prior !== null) ctx.provider.declaredEndpoints.hold(prior.host, prior.name);
    // Values unknown at validate time are checked here, still before any request.
    if (report(ctx.diagnostics, configFindings(config))) return;
    const desired = settingsOf(config);
    const name = typeof config.name === 'string' ? config.name : undefined;
    const sddl = desired.security_descriptor_sddl;
    const exposure = sddl !== undefined && (prior === null || prior.security_descriptor_sddl !== sddl) ? sddlExposure(sddl) : undefined;
    if (exposure)
      ctx.diagnostics.warning('Endpoint open to everyone or to no one', `security_descriptor_sddl ${exposure}.`, [
        'security_descriptor_sddl',
      ]);
    const basis: ObservedSettings | undefined = prior
      ? (settingsOf(prior) as ObservedSettings)
      : name
        ? registeredDefaults(name)
        : undefined;
    if (basis && report(ctx.diagnostics, observedFindings(config, basis))) return;

    // Another endpoint (not merely another spelling of the same host or name) replaces: terraform then
    // plans it again as a create.
    const moved = movesHost(ctx, prior, config);
    const renamed = prior !== null && (typeof config.name !== 'string' || !sameEndpointName(prior.name, config.name));
    if (moved || renamed) {
      const requiresReplace: AttributePath[] = [...(moved ? [['host']] : []), ...(renamed ? [['name']] : [])];
      return { planned: { ...planned, restart_pending: false }, requiresReplace };
    }
    const changes = basis ? managedChanges(config, basis) : [];
    const fileChanging = prior !== null && fileChanges(prior, config);
    await planAgainstHost(ctx, config, prior === null, prior === null || changes.length > 0 || fileChanging);

    const next = plannedExactly(prior, config, planned, changes, fileChanging);
    // A write is verified by a new session, whose view is known only then; without a write the last view
    // stays, unless a refresh found sessions seeing something else than was verified (then it is verified again).
    const writes = prior === null || changes.length > 0 || fileChanging;
    const drift = prior === null ? [] : viewDrift(priv, prior.session_view);
    if (drift.length > 0)
      ctx.diagnostics.warning(
        `Sessions on "${prior?.name}" see something else than was verified`,
        `A session opened during the refresh differs from the one that verified the last write: ${drift.join('; ')}. The apply verifies the endpoint again and records what it sees.`,
        ['session_view'],
      );
    const verifies = (writes || drift.length > 0) && config.verify !== false;
    return { planned: (verifies ? { ...next, session_view: unknown } : next) as typeof planned };
  },

  async create(ctx, { config }) {
    refuseAtApply(configFindings(config), observedFindings(config, registeredDefaults(config.name)));
    const written = await withHosts(ctx, async (pool) => {
      const host = pool.host(config.host);
      const what = `Creating session configuration "${config.name}"`;
      const file = declaredFile(config);
      let doc = registerDocument(config.name, settingsOf(config));
      if (file !== null) {
        const registered = doc;
        doc = await onHost(ctx, host, what, () => writeFile(ctx, host, config.name, registered, file, settingsOf(config)));
      }
      await onHost(ctx, host, what, async () => {
        try {
          await host.createPlugin(doc, ctx.signal);
        } catch (e) {
          if (!(e instanceof EndpointExistsError)) throw e;
          throw new DiagnosticError(
            'Session configuration already exists',
            `${e.message}. To manage it, import it: ${importCommand(config.host, config.name)}`,
            ['name'],
          );
        }
      });
      await settleRestarts(ctx, pool);
      const path = file === null ? null : (configurationFilePathOfDoc(doc) ?? null);
      return { state: stateOf(config.host, doc, config, false, undefined, { block: configurationFileBlock(config), path }) };
    });
    const view = await verifyEndpoint(ctx, config.host, config.name, settingsOf(config), config.verify !== false);
    return { ...written, state: { ...written.state, session_view: view }, private: verifiedPrivate(view) };
  },

  read(ctx, { state, private: priv }) {
    return withHosts(ctx, async (pool) => {
      const host = pool.host(state.host);
      // The restart marker is read beside the plugin Enumerate, not after it: on a host's first read
      // each goes on its own connection, so the two authentications and requests overlap and the refresh
      // waits one round trip less (bench/plan.ts). Awaited below unless the plugin read fails first.
      const pendingRead = pool.restartPolicy === 'immediate' ? host.restartPending(ctx.signal) : undefined;
      pendingRead?.catch(() => undefined);
      const doc = await ifReachable(
        ctx,
        host,
        'Reading session configurations',
        'Its last known state is used.',
        async () => (await host.plugin(state.name, ctx.signal)) ?? null,
      );
      if (doc === undefined) return { state };
      if (doc === null) return { state: null };
      ctx.provider.declaredEndpoints.hold(state.host, state.name);
      const pending =
        pendingRead !== undefined && (await onHost(ctx, host, 'Reading whether a WinRM restart is pending', () => pendingRead));
      const file = await onHost(ctx, host, 'Reading the configuration file', () => observeFile(ctx, host, doc, state));
      const next = stateOf(state.host, doc, state, pending, undefined, file);
      const view = await refreshedView(ctx, host, state.name, {
        priv,
        verify: state.verify !== false,
        enabled: next.enabled !== false,
        restartPending: pending,
      });
      return { state: view === undefined ? next : { ...next, session_view: view } };
    });
  },

  async update(ctx, { prior, config, private: priv }) {
    let wrote = false;
    const written = await withHosts(ctx, async (pool) => {
      const host = pool.host(config.host);
      const desired = settingsOf(config);
      const what = `Updating session configuration "${config.name}"`;
      const current = await onHost(ctx, host, what, () => host.freshPlugin(config.name, ctx.signal));
      if (!current)
        throw new DiagnosticError(
          `${what} failed`,
          `"${config.name}" no longer exists on ${host.label}; run terraform apply again to create it.`,
        );
      refuseAtApply(configFindings(config), observedFindings(config, observe(current)));
      let doc = current;
      const changed = diff(desired, observe(current));
      const fileChanging = fileChanges(prior, config);
      if (changed.changes.length > 0 || fileChanging) {
        // One Put and one restart for both the settings and the file.
        const restart = changed.restartRequired || fileChanging;
        doc = applyDesired(current, desired);
        const file = declaredFile(config);
        if (file !== null) {
          const settled = doc;
          doc = await onHost(ctx, host, what, () => writeFile(ctx, host, config.name, settled, file, desired));
        } else if (fileChanging) {
          doc = documentWithoutFile(doc);
          const old = prior.configuration_file_path;
          if (old) await onHost(ctx, host, what, () => removeFileOnHost(host, old, ctx.signal));
        }
        const put = doc;
        await onHost(ctx, host, what, () => host.putPlugin(put, ctx.signal, { restart }));
        wrote = true;
      } else if (prior.restart_pending && pool.restartPolicy === 'immediate') {
        // Written by an apply that ended before its restart: restart now.
        pool.coordinator.markPending(host.endpoint);
      }
      await settleRestarts(ctx, pool);
      const path = configurationFilePathOfDoc(doc) ?? null;
      return { state: stateOf(config.host, doc, config, false, prior.session_view, { block: configurationFileBlock(config), path }) };
    });
    if (!wrote && viewDrift(priv, prior.session_view).length === 0) return written;
    const view = await verifyEndpoint(ctx, config.host, config.name, settingsOf(config), config.verify !== false);
    return { ...written, state: { ...written.state, session_view: view }, private: verifiedPrivate(view) };
  },

  planDestroy(ctx, { prior }) {
    if (forgetsOnDestroy(prior)) ctx.diagnostics.warning('A built-in session configuration is only forgotten', forgetText(prior));
  },

  async delete(ctx, { prior }) {
    if (forgetsOnDestroy(prior)) {
      // Unregistering it could cut off remote management of the host: the safe default is to let go of it.
      ctx.diagnostics.warning('A built-in session configuration was only forgotten', forgetText(prior));
      return;
    }
    await withHosts(ctx, async (pool) => {
      const host = pool.host(prior.host);
      await onHost(ctx, host, `Deleting session configuration "${prior.name}"`, () => host.deletePlugin(prior.name, ctx.signal));
      // Unregister-PSSessionConfiguration deletes the copied configuration file too.
      const file = prior.configuration_file_path;
      if (file)
        await onHost(ctx, host, `Deleting the configuration file of "${prior.name}"`, () => removeFileOnHost(host, file, ctx.signal));
      await settleRestarts(ctx, pool);
    });
  },

  async import(_ctx, { id }) {
    let parsed: { host: string; name: string };
    try {
      parsed = parseImportId(id);
    } catch (e) {
      throw new DiagnosticError('Invalid import id', errorMessage(e));
    }
    const problems = configFindings({ host: parsed.host, name: parsed.name });
    if (problems.length > 0) throw new DiagnosticError('Invalid import id', problems.map((p) => p.message).join('; '));
    return { state: { host: parsed.host, name: parsed.name, allow_builtin_destroy: false, restart_pending: false, verify: true } };
  },
});
