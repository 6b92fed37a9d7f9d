/**
 * Walks a value alongside its schema: every attribute (and nested attribute or block object) with its
 * path. Validation, planning, redaction and import stubs are all such walks.
 */
import type { PathStep } from '../diagnostics';
import { isRecord, mapValue, Unknown, type Value } from '../cty/values';
import { isCtyType, type AttributeSpec, type Attributes, type Blocks, type BlockNesting } from './schema';

export interface ObjectShape {
  readonly attributes: Attributes;
  readonly blocks?: Blocks;
}

/** The object elements of a nested collection with the path step of each (none for set elements). */
export function elementsOf(nesting: BlockNesting, v: Value): [PathStep | undefined, Value][] {
  if (v === null || v instanceof Unknown) return [];
  if (nesting === 'single' || nesting === 'group') return [[undefined, v]];
  if (Array.isArray(v)) return (v as readonly Value[]).map((e, i) => [nesting === 'list' ? i : undefined, e]);
  if (isRecord(v)) return Object.entries(v).map(([k, e]) => [{ key: k }, e]);
  return [];
}

/** The collection rebuilt with each object element replaced by fn(element, its path step). */
export function mapElements(nesting: BlockNesting, v: Value, fn: (element: Value, step: PathStep | undefined) => Value): Value {
  if (v === null || v instanceof Unknown) return v;
  const mapped = elementsOf(nesting, v).map(([step, e]) => [step, fn(e, step)] as const);
  if (nesting === 'single' || nesting === 'group') return mapped[0]?.[1] ?? v;
  if (nesting === 'map') return mapValue(mapped.map(([step, e]) => [(step as { key: string }).key, e] as const));
  return mapped.map(([, e]) => e);
}

/** The nested object shape of an attribute, if it has nested attributes. */
export function nestedShape(a: AttributeSpec): { nesting: BlockNesting; shape: ObjectShape } | undefined {
  if (isCtyType(a.type) || a.type.kind !== 'nested') return undefined;
  return { nesting: a.type.nesting, shape: { attributes: a.type.attributes } };
}

/** Every nested object shape of a shape: nested attributes and blocks alike, by name. */
export function childShapes(shape: ObjectShape): [string, BlockNesting, ObjectShape][] {
  const out: [string, BlockNesting, ObjectShape][] = [];
  for (const [name, a] of Object.entries(shape.attributes)) {
    const n = nestedShape(a);
    if (n) out.push([name, n.nesting, n.shape]);
  }
  for (const [name, b] of Object.entries(shape.blocks ?? {})) out.push([name, b.nesting, b]);
  return out;
}

export const field = (obj: Value, name: string): Value => (isRecord(obj) ? (obj[name] ?? null) : null);
