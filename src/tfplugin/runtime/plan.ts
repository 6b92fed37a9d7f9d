/**
 * The plan the runtime derives before a resource's own plan hook (terraform's resource lifecycle rules):
 * - configured values are planned as configured (terraform's proposed state already says so);
 * - a computed attribute left unset is planned as its default, else unknown on create, else unknown on
 *   update unless declared keepOnUpdate, else (nothing changes) its prior value;
 * - requires-replace paths are those declared attributes whose planned value differs from the prior.
 */
import { valueEquals } from '../cty/equality';
import { isRecord, unknown, type Value } from '../cty/values';
import type { AttributePath, PathStep } from '../diagnostics';
import { attributeTypeOf, blockTypeOf } from '../schema/implied-type';
import { defaultOf, isComputed, type BlockNesting, type Schema } from '../schema/schema';
import { childShapes, field, mapElements, type ObjectShape } from '../schema/walk';

export interface DerivedPlan {
  planned: Value;
  requiresReplace: AttributePath[];
}

export function derivePlan(schema: Schema, prior: Value, config: Value, proposed: Value): DerivedPlan {
  if (proposed === null) return { planned: null, requiresReplace: [] };
  // Defaults first: a default differing from the prior value is itself what makes this an update.
  let planned = planObject(schema, prior, config, proposed, false);
  if (prior !== null && !valueEquals(planned, prior, blockTypeOf(schema))) planned = planObject(schema, prior, config, planned, true);
  const requiresReplace: AttributePath[] = [];
  if (prior !== null) collectReplacements(schema, prior, planned, [], requiresReplace);
  return { planned, requiresReplace };
}

function planObject(shape: ObjectShape, prior: Value, config: Value, proposed: Value, updating: boolean): Value {
  if (!isRecord(proposed)) return proposed;
  const out: Record<string, Value> = { ...proposed };
  for (const [name, a] of Object.entries(shape.attributes)) {
    if (!isComputed(a) || field(config, name) !== null) continue;
    const fallback = defaultOf(a);
    if (fallback !== undefined) out[name] = fallback;
    else if (prior === null || (updating && !a.options.keepOnUpdate)) out[name] = unknown;
  }
  for (const [name, nesting, child] of childShapes(shape)) {
    out[name] = planNested(nesting, child, field(prior, name), field(config, name), out[name] ?? null, updating);
  }
  return out;
}

/** Nested objects are planned element by element, matched to prior elements by index or key. */
function planNested(nesting: BlockNesting, shape: ObjectShape, prior: Value, config: Value, proposed: Value, updating: boolean): Value {
  // Set elements cannot be matched to prior ones: computed values inside stay as proposed.
  if (nesting === 'set') return proposed;
  return mapElements(nesting, proposed, (e, step) => planObject(shape, elementAt(prior, step), elementAt(config, step), e, updating));
}

/** The element of a collection at a path step; the value itself for a single object (no step). */
function elementAt(v: Value, step: PathStep | undefined): Value {
  if (typeof step === 'number') return Array.isArray(v) ? ((v as readonly Value[])[step] ?? null) : null;
  return typeof step === 'object' ? field(v, step.key) : v;
}

function collectReplacements(shape: ObjectShape, prior: Value, planned: Value, path: PathStep[], out: AttributePath[]): void {
  for (const [name, a] of Object.entries(shape.attributes)) {
    if (a.options.requiresReplace && !valueEquals(field(prior, name), field(planned, name), attributeTypeOf(a.type)))
      out.push([...path, name]);
  }
  for (const [name, nesting, child] of childShapes(shape)) {
    const p = field(prior, name);
    const q = field(planned, name);
    if (nesting === 'single' || nesting === 'group') {
      if (isRecord(p) && isRecord(q)) collectReplacements(child, p, q, [...path, name], out);
    } else if (nesting === 'list' && Array.isArray(p) && Array.isArray(q)) {
      const n = Math.min(p.length, q.length);
      for (let i = 0; i < n; i++) collectReplacements(child, (p as Value[])[i]!, (q as Value[])[i]!, [...path, name, i], out);
    } else if (nesting === 'map' && isRecord(p) && isRecord(q)) {
      for (const k of Object.keys(p)) if (k in q) collectReplacements(child, p[k]!, q[k]!, [...path, name, { key: k }], out);
    } else if (nesting === 'set' && hasReplacingAttribute(child)) {
      if (!valueEquals(p, q, ['set', blockTypeOf(child)])) out.push([...path, name]);
    }
  }
}

function hasReplacingAttribute(shape: ObjectShape): boolean {
  return (
    Object.values(shape.attributes).some((a) => a.options.requiresReplace) ||
    childShapes(shape).some(([, , child]) => hasReplacingAttribute(child))
  );
}
