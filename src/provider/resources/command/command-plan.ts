/** When a plan runs the command again, and how the plan shows why. */
import { isWhollyKnown, unknown, type Value } from '../../../tfplugin';

/** Attributes whose change runs the command again (the others only update the state). */
const RERUN_ON = ['command', 'shell', 'environment', 'working_directory', 'triggers', 'configuration_name'] as const;

type Inputs = { readonly [K in (typeof RERUN_ON)[number]]: Value };

/** The attributes (by name) that changed between the prior state and the plan, unknown ones counting as changed. */
export function changedInputs(prior: Inputs, planned: Inputs): string[] {
  return RERUN_ON.filter((name) => !sameValue(prior[name], planned[name]));
}

/** The outputs of a run, planned unknown; check_passed planned true so a drift shows as `false -> true`. */
export const RERUN_OUTPUTS = { stdout: unknown, stderr: unknown, exit_code: unknown, check_passed: true } as const;

/** Strings and maps of strings (map values are null-prototype records, so compare entries, not objects). */
function sameValue(a: Value, b: Value): boolean {
  if (!isWhollyKnown(a) || !isWhollyKnown(b)) return false;
  return canonical(a) === canonical(b);
}

function canonical(v: Value): string {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    return JSON.stringify(Object.entries(v as Record<string, Value>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  }
  return JSON.stringify(v);
}
