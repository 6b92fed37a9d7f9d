/**
 * The `configuration_file` block of `psremoting_session_configuration` on the host: the .pssc written
 * where Register-PSSessionConfiguration -Path copies it, the plugin document pointing at it with the
 * run-as settings and the SDDL derived from role definitions, and the file read back as field values.
 */
import { errorMessage } from '../../../common';
import type { Host } from '../../../host';
import {
  changedFields,
  configurationFileGuid,
  configurationFilePath,
  configurationFilePathOf,
  CONFIGURATION_FILE_FIELDS,
  missingRoleCapabilities,
  parseDataFile,
  principalSids,
  readDataFileOnHost,
  renderDataFile,
  roleDefinitionsSddl,
  withConfigurationFile,
  withoutConfigurationFile,
  writeDataFileOnHost,
  type FieldValues,
  type RequiredGroups,
  type RoleDefinition,
} from '../../../host/jea';
import { applyDesired, type SessionConfigurationSettings } from '../../../host/session-configuration';
import { DiagnosticError, type Value } from '../../../tfplugin';
import type { PluginConfig } from '../../../wsman/config';
import { fieldStateValues, fieldValuesOf } from '../../jea/field-attributes';
import type { Ctx } from '../../host-operations';
import { configurationFileBlock } from './plan-logic';

type Values = { readonly [name: string]: Value | undefined };

/** The declared file: its field values, or null without the block. */
export function declaredFile(config: Values): FieldValues | null {
  const block = configurationFileBlock(config);
  return block === null ? null : fieldValuesOf(CONFIGURATION_FILE_FIELDS, block).values;
}

/** Whether the declared file differs from the one in `prior` (added, removed, or a field changed). */
export function fileChanges(prior: Values, config: Values): boolean {
  const want = declaredFile(config);
  const had = declaredFile(prior);
  if (want === null || had === null) return (want === null) !== (had === null);
  return changedFields(CONFIGURATION_FILE_FIELDS, want, had).length > 0;
}

/** Where the file goes: the path the endpoint already points at, else where Register would put it. */
export function filePathFor(name: string, current: PluginConfig | undefined): string {
  return (current && configurationFilePathOf(current)) ?? configurationFilePath(name);
}

const roleCapabilityNames = (values: FieldValues): string[] => [
  ...new Set(Object.values((values.role_definitions ?? {}) as Record<string, RoleDefinition>).flatMap((r) => r.role_capabilities ?? [])),
];

/** Role capabilities the declared file names that no module on the host holds (checked against the host). */
export async function missingCapabilities(ctx: Ctx, host: Host, values: FieldValues): Promise<string[]> {
  return missingRoleCapabilities(host, roleCapabilityNames(values), ctx.signal);
}

/**
 * Writes the file and answers the plugin document for it: `doc` with ConfigFilePath and the run-as
 * settings, and with the SDDL derived from role definitions when the SDDL is not managed itself.
 */
export async function writeFile(
  ctx: Ctx,
  host: Host,
  name: string,
  doc: PluginConfig,
  values: FieldValues,
  desired: SessionConfigurationSettings,
): Promise<PluginConfig> {
  const missing = await missingCapabilities(ctx, host, values);
  if (missing.length > 0)
    throw new DiagnosticError(
      'Role capability not found',
      `role_definitions name ${missing.map((m) => `"${m}"`).join(', ')}, which no module on ${host.label}'s PSModulePath holds in its RoleCapabilities folder. Declare it with psremoting_role_capability (and reference it, so it is written first) or install it.`,
      ['configuration_file', 'role_definitions'],
    );
  // The principals are translated before the file is written: a name the host does not know fails the
  // apply with nothing written, as a missing role capability does.
  const sddl = desired.security_descriptor_sddl === undefined ? await derivedSddl(host, values, ctx.signal) : undefined;
  const path = filePathFor(name, doc);
  const text = renderDataFile(CONFIGURATION_FILE_FIELDS, values, configurationFileGuid(name));
  await writeDataFileOnHost(host, path, text, ctx.signal);
  const out = withConfigurationFile(doc, path, values);
  return sddl === undefined ? out : applyDesired(out, { ...desired, security_descriptor_sddl: sddl });
}

/** The SDDL Register derives from the role definitions (principals as SIDs on the host), or none without them. */
async function derivedSddl(host: Host, values: FieldValues, signal: AbortSignal): Promise<string | undefined> {
  const roles = values.role_definitions as Readonly<Record<string, RoleDefinition>> | undefined;
  if (roles === undefined) return undefined;
  const groups = values.required_groups as RequiredGroups | undefined;
  let sids: Map<string, string>;
  try {
    sids = await principalSids(host, [...Object.keys(roles), ...(groups?.and ?? []), ...(groups?.or ?? [])], signal);
  } catch (e) {
    throw new DiagnosticError('Role definition principal not found', errorMessage(e), ['configuration_file', 'role_definitions']);
  }
  const sid = (n: string): string => sids.get(n) ?? n;
  return roleDefinitionsSddl(Object.keys(roles).map(sid), {
    ...(groups?.and ? { and: groups.and.map(sid) } : {}),
    ...(groups?.or ? { or: groups.or.map(sid) } : {}),
  });
}

/** The plugin document without a file (the block removed). */
export function documentWithoutFile(doc: PluginConfig): PluginConfig {
  return withoutConfigurationFile(doc);
}

export interface ObservedFile {
  readonly block: Record<string, Value> | null;
  readonly path: string | null;
}

/**
 * The file the endpoint points at, as block values (keeping `previous` spellings that mean the same).
 * A missing file reads as a block with every field unset, so each declared field shows as drift; a file
 * that does not parse is an error naming the file and the position. A file the configuration never
 * declared (an endpoint registered with -Path outside terraform, then imported) is the host's own, like
 * an unset setting: its path is reported, its content neither read nor managed, so a configuration
 * without the block leaves it in place; declaring the block takes it over.
 */
export async function observeFile(ctx: Ctx, host: Host, doc: PluginConfig, previous: Values): Promise<ObservedFile> {
  const path = configurationFilePathOf(doc);
  if (path === undefined) return { block: null, path: null };
  const managed = configurationFileBlock(previous);
  if (managed === null) return { block: null, path };
  const text = await readDataFileOnHost(host, path, ctx.signal);
  let values: FieldValues = {};
  if (text !== undefined) {
    try {
      values = parseDataFile(CONFIGURATION_FILE_FIELDS, text).values;
    } catch (e) {
      throw new DiagnosticError(
        `The configuration file of "${doc.name ?? ''}" on ${host.label} cannot be read`,
        `${path}: ${errorMessage(e)}`,
        ['configuration_file'],
      );
    }
  }
  return { block: fieldStateValues(CONFIGURATION_FILE_FIELDS, values, managed), path };
}
