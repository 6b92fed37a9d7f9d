/**
 * The resource's plan decisions without I/O: what a configuration gets wrong (with attribute paths),
 * which managed settings change, and which unmanaged settings an update changes as a side effect.
 */
import { hostProblem } from '../../../host';
import {
  diff,
  observe,
  registerDocument,
  validateAgainstObserved,
  validateSettings,
  type ObservedSettings,
  type SettingChange,
  type SettingName,
} from '../../../host/session-configuration';
import { CONFIGURATION_FILE_FIELDS, validateFields } from '../../../host/jea';
import { isUnknown, unknown, type AttributePath, type Value } from '../../../tfplugin';
import { fieldValuesOf } from '../../jea/field-attributes';
import { settingsOf, unknownSettings } from '../../session-configuration/setting-attributes';

type Values = { readonly [name: string]: Value | undefined };

export interface Finding {
  readonly path: AttributePath;
  readonly message: string;
}

const knownString = (v: Value | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** Everything wrong with a configuration that can be told without a host; unknown values are skipped. */
export function configFindings(config: Values): Finding[] {
  const findings: Finding[] = [];
  const host = knownString(config.host);
  const problem = host === undefined ? undefined : hostProblem(host);
  if (problem) findings.push({ path: ['host'], message: problem });
  const name = knownString(config.name);
  // An unknown name is checked once known; a valid stand-in keeps the settings' own checks running.
  for (const f of validateSettings(name ?? 'unknown', settingsOf(config))) findings.push({ path: [f.attribute], message: f.message });
  findings.push(...configurationFileFindings(config));
  return findings;
}

/** The configuration file block's findings, at their paths inside the block (unknown fields are checked once known). */
export function configurationFileFindings(config: Values): Finding[] {
  const block = configurationFileBlock(config);
  if (block === null) return [];
  const { values } = fieldValuesOf(CONFIGURATION_FILE_FIELDS, block);
  const findings: Finding[] = validateFields(CONFIGURATION_FILE_FIELDS, values, { absolutePaths: true }).map((f) => ({
    path: ['configuration_file', ...f.path],
    message: f.message,
  }));
  // Register applies the SDDL it derives from role definitions only when none is given (its isSddlSpecified check).
  if (values.role_definitions !== undefined && config.security_descriptor_sddl !== null && config.security_descriptor_sddl !== undefined)
    findings.push({
      path: ['configuration_file', 'role_definitions'],
      message:
        'role_definitions decide who may connect (the SDDL is derived from them); security_descriptor_sddl would override that: set one of them',
    });
  return findings;
}

/** The configuration_file block's object, or null when it is not set (or not yet known). */
export function configurationFileBlock(values: Values): { readonly [name: string]: Value } | null {
  const b = values.configuration_file;
  return b !== null && b !== undefined && !isUnknown(b) && typeof b === 'object' && !Array.isArray(b)
    ? (b as { readonly [name: string]: Value })
    : null;
}

/** What the host would report for a new endpoint before the managed settings are applied. */
export function registeredDefaults(name: string): ObservedSettings {
  return observe(registerDocument(name, {}));
}

/**
 * Checks that need the host's other values: the prior state on update, Register's defaults on create.
 * A value known only after apply is not "unset" (the host's value would not apply to it): while any is
 * unknown these checks wait, and run again at apply on the real values.
 */
export function observedFindings(config: Values, basis: ObservedSettings): Finding[] {
  if (unknownSettings(config).length > 0) return [];
  return validateAgainstObserved(settingsOf(config), basis).map((f) => ({ path: [f.attribute], message: f.message }));
}

/** Managed settings whose configured value differs from the prior state (unknown ones count as changes). */
export function managedChanges(config: Values, prior: ObservedSettings): SettingChange[] {
  const changes = diff(settingsOf(config), prior).changes;
  for (const setting of unknownSettings(config)) changes.push({ setting, desired: config[setting], observed: prior[setting] });
  return changes;
}

/**
 * Settings an update of another one changes on the host (as Set-PSSessionConfiguration does): the
 * access mode rewrites the SDDL's NETWORK entry and the Enabled flag; the SDDL and Enabled decide the
 * access mode; turning the shared process off zeroes its idle timeout.
 */
const FOLLOWERS: ReadonlyArray<readonly [SettingName, readonly SettingName[]]> = [
  ['access_mode', ['security_descriptor_sddl', 'enabled']],
  ['enabled', ['access_mode']],
  ['security_descriptor_sddl', ['access_mode']],
  ['use_shared_process', ['process_idle_timeout_sec']],
];

/** The planned values with unmanaged followers of a changing setting made unknown ("known after apply"). */
export function withFollowersUnknown(planned: Values, config: Values, changes: readonly SettingChange[]): Record<string, Value> {
  const out: Record<string, Value> = { ...(planned as Record<string, Value>) };
  const changing = new Set(changes.map((c) => c.setting));
  for (const [driver, followers] of FOLLOWERS) {
    if (!changing.has(driver)) continue;
    for (const f of followers) if (config[f] === null || config[f] === undefined) out[f] = unknown;
  }
  return out;
}
