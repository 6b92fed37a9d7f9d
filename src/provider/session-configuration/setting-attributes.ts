/**
 * The settings as schema attributes and as values: one table of attribute types, used by the resource
 * (optional + computed: set = managed, unset = filled from the host) and the data source (computed).
 */
import {
  SETTING_NAMES,
  SETTINGS,
  type ObservedSettings,
  type SessionConfigurationSettings,
  type SettingKind,
  type SettingName,
} from '../../host/session-configuration';
import { attr, integer, isWhollyKnown, t, type Value } from '../../tfplugin';
import type { AttributeSpec } from '../../tfplugin/schema/schema';
import { SETTING_DESCRIPTIONS } from './setting-descriptions';

/** The terraform type of each kind of setting value. */
const KIND_TYPES = {
  integer,
  number: t.number,
  string: t.string,
  bool: t.bool,
  list: t.list(t.string),
} as const satisfies Record<SettingKind, unknown>;

type SettingTypes = { readonly [K in SettingName]: (typeof KIND_TYPES)[(typeof SETTINGS)[K]['kind']] };

const SETTING_TYPES = Object.fromEntries(SETTING_NAMES.map((s) => [s, KIND_TYPES[SETTINGS[s].kind]])) as unknown as SettingTypes;

export type ManagedSettingAttributes = { readonly [K in SettingName]: AttributeSpec<SettingTypes[K], 'optional+computed'> };
export type ReportedSettingAttributes = { readonly [K in SettingName]: AttributeSpec<SettingTypes[K], 'computed'> };

/**
 * Resource attributes. keepOnUpdate: an update leaves unmanaged settings as they are (Set semantics);
 * the few an update of another setting changes are planned unknown by the plan hook.
 */
export function managedSettingAttributes(): ManagedSettingAttributes {
  return Object.fromEntries(
    SETTING_NAMES.map((s) => [
      s,
      attr.optionalComputed(SETTING_TYPES[s], {
        keepOnUpdate: true,
        description: `${SETTING_DESCRIPTIONS[s]} Unset: not managed, filled from the host.`,
      }),
    ]),
  ) as unknown as ManagedSettingAttributes;
}

export function reportedSettingAttributes(): ReportedSettingAttributes {
  return Object.fromEntries(
    SETTING_NAMES.map((s) => [s, attr.computed(SETTING_TYPES[s], { description: SETTING_DESCRIPTIONS[s] })]),
  ) as unknown as ReportedSettingAttributes;
}

type ValueRecord = { readonly [name: string]: Value | undefined };

function settingFromValue(v: Value): SessionConfigurationSettings[SettingName] {
  if (Array.isArray(v)) return (v as readonly Value[]).filter((e): e is string => typeof e === 'string');
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  return Number(v); // a BigNumber: the cmdlets hold these as doubles
}

/** The settings an object sets (null and unknown values skipped: not managed, or not yet known). */
export function settingsOf(values: ValueRecord): SessionConfigurationSettings {
  const out: Record<string, unknown> = {};
  for (const s of SETTING_NAMES) {
    const v = values[s];
    if (v === null || v === undefined || !isWhollyKnown(v)) continue;
    out[s] = settingFromValue(v);
  }
  return out;
}

/** The settings whose value is still unknown (validated once known). */
export function unknownSettings(values: ValueRecord): SettingName[] {
  return SETTING_NAMES.filter((s) => {
    const v = values[s];
    return v !== undefined && !isWhollyKnown(v);
  });
}

export function settingValues(observed: ObservedSettings): Record<SettingName, Value> {
  return Object.fromEntries(SETTING_NAMES.map((s) => [s, observed[s] as Value])) as Record<SettingName, Value>;
}
