/** Copies of values safe to log: sensitive attributes (per the schema) replaced by a marker. */
import { isRecord, type Value } from '../cty/values';
import { childShapes, field, mapElements, type ObjectShape } from '../schema/walk';

export const REDACTED = '(sensitive value)';

export function redactSensitive(shape: ObjectShape, obj: Value): Value {
  if (!isRecord(obj)) return obj;
  const out: Record<string, Value> = { ...obj };
  for (const [name, a] of Object.entries(shape.attributes)) {
    if (a.options.sensitive && out[name] !== null) out[name] = REDACTED;
  }
  for (const [name, nesting, child] of childShapes(shape)) {
    const v = field(obj, name);
    if (v === REDACTED || v === null) continue;
    out[name] = mapElements(nesting, v, (e) => redactSensitive(child, e));
  }
  return out;
}
