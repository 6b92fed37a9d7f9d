/** What of a value may reach a log: sensitive attributes (per the schema) remembered for masking, planned values by name only. */
import { isRecord, isUnknown, type Value } from '../cty/values';
import { childShapes, elementsOf, field, type ObjectShape } from '../schema/walk';
import { rememberSecret } from './safe-text';

/**
 * Remembers every string inside the sensitive attributes of a value (per the schema), so that where
 * such a value flows later (into an error a host echoes, a log line) it is masked.
 */
export function rememberSensitive(shape: ObjectShape, obj: Value): void {
  if (!isRecord(obj)) return;
  for (const [name, a] of Object.entries(shape.attributes)) if (a.options.sensitive) rememberStrings(field(obj, name));
  for (const [name, nesting, child] of childShapes(shape)) {
    for (const [, element] of elementsOf(nesting, field(obj, name))) rememberSensitive(child, element);
  }
}

function rememberStrings(v: Value): void {
  if (typeof v === 'string') rememberSecret(v);
  else if (Array.isArray(v)) for (const e of v as readonly Value[]) rememberStrings(e);
  else if (isRecord(v)) for (const e of Object.values(v)) rememberStrings(e);
}

/** The attributes (top-level and nested, as dotted paths) planned unknown: what a plan log may say without values. */
export function unknownAttributes(shape: ObjectShape, obj: Value, prefix = ''): string[] {
  if (!isRecord(obj)) return [];
  const out = Object.keys(shape.attributes)
    .filter((name) => isUnknown(field(obj, name)))
    .map((name) => prefix + name);
  for (const [name, nesting, child] of childShapes(shape)) {
    for (const [step, element] of elementsOf(nesting, field(obj, name))) {
      out.push(
        ...unknownAttributes(
          child,
          element,
          `${prefix}${name}${step === undefined ? '' : `[${typeof step === 'object' ? step.key : step}]`}.`,
        ),
      );
    }
  }
  return out;
}
