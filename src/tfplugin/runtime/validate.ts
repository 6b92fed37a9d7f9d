/**
 * Per-attribute validation of a configuration: declared validators on wholly known values, and
 * warnings for deprecated attributes that are set. Each diagnostic carries the attribute's path.
 */
import { isUnknown, isWhollyKnown, type Value } from '../cty/values';
import type { AttributePath, Diagnostics } from '../diagnostics';
import { isCtyType, type Validator } from '../schema/schema';
import { childShapes, elementsOf, field, type ObjectShape } from '../schema/walk';

/** `pinned`: inside a set element, which has no path step, every diagnostic points at the set. */
export function validateObject(shape: ObjectShape, obj: Value, diags: Diagnostics, path: AttributePath = [], pinned?: AttributePath): void {
  if (obj === null || isUnknown(obj)) return;
  for (const [name, a] of Object.entries(shape.attributes)) {
    const v = field(obj, name);
    if (v === null) continue;
    const at = pinned ?? [...path, name];
    if (a.options.deprecated) diags.warning('Deprecated attribute', `"${name}" is deprecated: ${a.options.deprecated}`, at);
    if (!isWhollyKnown(v)) continue;
    if (!isCtyType(a.type) && a.type.kind === 'integer' && !Number.isSafeInteger(v)) {
      diags.error(`Invalid value for "${name}"`, `must be a whole number between -2^53 and 2^53, got ${String(v)}`, at);
      continue;
    }
    for (const validate of (a.options.validators ?? []) as readonly Validator<Value>[]) {
      const problem = validate(v);
      if (problem) diags.error(`Invalid value for "${name}"`, problem, at);
    }
  }
  for (const [name, b] of Object.entries(shape.blocks ?? {})) {
    if (b.deprecated && field(obj, name) !== null) diags.warning('Deprecated block', `"${name}" is deprecated: ${b.deprecated}`, pinned ?? [...path, name]);
  }
  for (const [name, nesting, child] of childShapes(shape)) {
    for (const [step, element] of elementsOf(nesting, field(obj, name))) {
      const inSet = nesting === 'set' ? (pinned ?? [...path, name]) : pinned;
      validateObject(child, element, diags, step === undefined ? [...path, name] : [...path, name, step], inSet);
    }
  }
}
