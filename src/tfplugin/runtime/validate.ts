/**
 * Per-attribute validation of a configuration: an explicit null for a required attribute (terraform
 * passes `name = null` through to the provider), declared validators on wholly known values, and
 * warnings for deprecated attributes that are set. Each diagnostic carries the attribute's path.
 */
import { isWhole, type CtyNumber } from '../cty/number';
import { isUnknown, isWhollyKnown, type Value } from '../cty/values';
import type { AttributePath, Diagnostics } from '../diagnostics';
import { isCtyType, type Validator } from '../schema/schema';
import { childShapes, elementsOf, field, type ObjectShape } from '../schema/walk';

/**
 * `pinned`: inside a set element, which has no path step, every diagnostic points at the set. Returns
 * whether a required attribute was null anywhere in the object.
 */
export function validateObject(
  shape: ObjectShape,
  obj: Value,
  diags: Diagnostics,
  path: AttributePath = [],
  pinned?: AttributePath,
): boolean {
  if (obj === null || isUnknown(obj)) return false;
  let requiredNull = false;
  for (const [name, a] of Object.entries(shape.attributes)) {
    const v = field(obj, name);
    const at = pinned ?? [...path, name];
    if (v === null) {
      if (a.mode === 'required') {
        diags.error(`Missing value for "${name}"`, `"${name}" is required; null is not a value for it`, at);
        requiredNull = true;
      }
      continue;
    }
    if (a.options.deprecated) diags.warning('Deprecated attribute', `"${name}" is deprecated: ${a.options.deprecated}`, at);
    if (!isWhollyKnown(v)) continue;
    if (!isCtyType(a.type) && a.type.kind === 'integer' && !Number.isSafeInteger(v)) {
      const n = v as CtyNumber;
      const problem = isWhole(n) ? 'must be between -2^53 and 2^53' : 'must be a whole number';
      diags.error(`Invalid value for "${name}"`, `${problem}, got ${n.toString()}`, at);
      continue;
    }
    for (const validate of (a.options.validators ?? []) as readonly Validator<Value>[]) {
      const problem = validate(v);
      if (problem) diags.error(`Invalid value for "${name}"`, problem, at);
    }
  }
  for (const [name, b] of Object.entries(shape.blocks ?? {})) {
    if (b.deprecated && field(obj, name) !== null)
      diags.warning('Deprecated block', `"${name}" is deprecated: ${b.deprecated}`, pinned ?? [...path, name]);
  }
  for (const [name, nesting, child] of childShapes(shape)) {
    for (const [step, element] of elementsOf(nesting, field(obj, name))) {
      const inSet = nesting === 'set' ? (pinned ?? [...path, name]) : pinned;
      if (validateObject(child, element, diags, step === undefined ? [...path, name] : [...path, name, step], inSet)) requiredNull = true;
    }
  }
  return requiredNull;
}

/**
 * The schema's checks, then the definition's own (`own`). An error the definition reports at a path the
 * schema already rejected repeats the same mistake in other words, so it is dropped: one error per mistake.
 * A required attribute that is null skips the definition's checks: they are written for values the
 * schema guarantees.
 */
export async function validateConfig(shape: ObjectShape, obj: Value, diags: Diagnostics, own: () => void | Promise<void>): Promise<void> {
  if (validateObject(shape, obj, diags)) return;
  const key = (path: AttributePath): string => JSON.stringify(path);
  const rejected = new Set(diags.items.flatMap((d) => (d.severity === 'error' && d.path ? [key(d.path)] : [])));
  const before = diags.items.length;
  await own();
  if (rejected.size === 0) return;
  const added = diags.items.splice(before);
  diags.items.push(...added.filter((d) => !(d.severity === 'error' && d.path && rejected.has(key(d.path)))));
}
