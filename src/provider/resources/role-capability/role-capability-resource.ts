/**
 * `psremoting_role_capability`: validate (names, paths, fields) before any request; create writes the
 * module manifest when missing and the .psrc; read parses the .psrc back field by field (gone: null, so
 * terraform plans it again); update rewrites it; delete removes it.
 */
import { errorMessage } from '../../../common';
import { hostProblem, type Host } from '../../../host';
import { windowsPathProblem } from '../../../host/files';
import {
  defaultModulePath,
  hashtableOf,
  moduleManifestPath,
  parseDataFile,
  readDataFileOnHost,
  removeFileOnHost,
  renderDataFile,
  renderPsd1,
  roleCapabilityGuid,
  roleCapabilityPath,
  ROLE_CAPABILITY_FIELDS,
  validateFields,
  writeDataFileOnHost,
} from '../../../host/jea';
import { defineResource, DiagnosticError, pathText, type State, type Value } from '../../../tfplugin';
import { onHost, withHosts, type Ctx } from '../../host-operations';
import type { ProviderState } from '../../provider-state';
import { fieldStateValues, fieldValuesOf } from '../../jea/field-attributes';
import { roleCapabilitySchema, ROLE_CAPABILITY_TYPE } from './schema';
import { hostFiles } from '../../../host/files';

type S = typeof roleCapabilitySchema;
type Values = { readonly [name: string]: Value | undefined };

// A module or role capability name is a file name: no path separators or reserved characters.
const NAME = /^[^\\/:*?"<>|\s](?:[^\\/:*?"<>|]*[^\\/:*?"<>|\s.])?$/;

interface Finding {
  readonly path: ReadonlyArray<string | number | { readonly key: string }>;
  readonly message: string;
}

function findings(config: Values): Finding[] {
  const out: Finding[] = [];
  const host = typeof config.host === 'string' ? hostProblem(config.host) : undefined;
  if (host) out.push({ path: ['host'], message: host });
  for (const attr of ['module', 'name'] as const) {
    const v = config[attr];
    if (typeof v === 'string' && !NAME.test(v))
      out.push({ path: [attr], message: `${attr} "${v}" must be a file name: no \\ / : * ? " < > |, no leading or trailing space` });
  }
  if (typeof config.module_path === 'string') {
    const problem = windowsPathProblem(config.module_path);
    if (problem) out.push({ path: ['module_path'], message: `module_path ${problem}` });
  }
  const { values } = fieldValuesOf(ROLE_CAPABILITY_FIELDS, config);
  out.push(...validateFields(ROLE_CAPABILITY_FIELDS, values, { absolutePaths: false }));
  return out;
}

function report(
  ctx: { diagnostics: { error(summary: string, detail: string, path?: ReadonlyArray<string | number | { readonly key: string }>): void } },
  found: Finding[],
): boolean {
  for (const f of found) ctx.diagnostics.error(`Invalid value for "${pathText(f.path.slice(0, 1))}"`, f.message, f.path);
  return found.length > 0;
}

function locations(config: { module: string; module_path?: string | null; name: string }): {
  modulePath: string;
  path: string;
  manifest: string;
} {
  const modulePath = config.module_path ?? defaultModulePath(config.module);
  return { modulePath, path: roleCapabilityPath(modulePath, config.name), manifest: moduleManifestPath(modulePath, config.module) };
}

/** A manifest that makes the folder a module PowerShell finds (ModuleVersion is the one key it requires). */
function manifestText(module: string): string {
  return renderPsd1(
    hashtableOf([
      ['ModuleVersion', '1.0.0'],
      ['GUID', roleCapabilityGuid(module, '')],
      ['Description', `Role capabilities of ${module}, managed by terraform`],
    ]),
  );
}

async function writeCapability(
  ctx: Ctx,
  host: Host,
  config: Values & { module: string; name: string; module_path?: string | null },
): Promise<string> {
  const { path, manifest } = locations(config);
  if ((await hostFiles(host).stat(manifest, ctx.signal)) === undefined)
    await writeDataFileOnHost(host, manifest, manifestText(config.module), ctx.signal);
  const { values } = fieldValuesOf(ROLE_CAPABILITY_FIELDS, config);
  await writeDataFileOnHost(
    host,
    path,
    renderDataFile(ROLE_CAPABILITY_FIELDS, values, roleCapabilityGuid(config.module, config.name)),
    ctx.signal,
  );
  return path;
}

function stateOf(config: Values, modulePath: string, path: string, fields?: Record<string, Value>): State<S> {
  const declared = Object.fromEntries(Object.keys(ROLE_CAPABILITY_FIELDS).map((f) => [f, config[f] ?? null]));
  return { host: config.host, module: config.module, name: config.name, ...declared, ...fields, module_path: modulePath, path } as State<S>;
}

export const roleCapabilityResource = defineResource<ProviderState>()({
  typeName: ROLE_CAPABILITY_TYPE,
  schema: roleCapabilitySchema,

  validate(ctx, config) {
    report(ctx, findings(config));
  },

  plan(ctx, { config, planned }) {
    if (report(ctx, findings(config))) return;
    if (typeof config.module !== 'string' || typeof config.name !== 'string') return;
    if (config.module_path !== null && typeof config.module_path !== 'string') return;
    const { modulePath, path } = locations({ module: config.module, module_path: config.module_path, name: config.name });
    return { planned: { ...planned, module_path: modulePath, path } };
  },

  async create(ctx, { config }) {
    return withHosts(ctx, async (pool) => {
      const host = pool.host(config.host);
      const what = `Writing role capability "${config.name}"`;
      const path = await onHost(ctx, host, what, () => writeCapability(ctx, host, config));
      return { state: stateOf(config, locations(config).modulePath, path) };
    });
  },

  read(ctx, { state }) {
    return withHosts(ctx, async (pool) => {
      const host = pool.host(state.host);
      const { modulePath, path } = locations(state);
      const text = await onHost(ctx, host, `Reading role capability "${state.name}"`, () => readDataFileOnHost(host, path, ctx.signal));
      if (text === undefined) return { state: null };
      let values;
      try {
        values = parseDataFile(ROLE_CAPABILITY_FIELDS, text).values;
      } catch (e) {
        throw new DiagnosticError(`The role capability file on ${host.label} cannot be read`, `${path}: ${errorMessage(e)}`);
      }
      return { state: stateOf(state, modulePath, path, fieldStateValues(ROLE_CAPABILITY_FIELDS, values, state)) };
    });
  },

  async update(ctx, { config }) {
    return withHosts(ctx, async (pool) => {
      const host = pool.host(config.host);
      const path = await onHost(ctx, host, `Writing role capability "${config.name}"`, () => writeCapability(ctx, host, config));
      return { state: stateOf(config, locations(config).modulePath, path) };
    });
  },

  async delete(ctx, { prior }) {
    await withHosts(ctx, async (pool) => {
      const host = pool.host(prior.host);
      await onHost(ctx, host, `Removing role capability "${prior.name}"`, () => removeFileOnHost(host, locations(prior).path, ctx.signal));
    });
  },
});
