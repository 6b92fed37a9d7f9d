/**
 * Objects of a schema with nothing set — attributes null, blocks as terraform represents absent ones
 * (empty list/set/map, null single, an empty object for a group) — for import stubs and stored state
 * that predates a block.
 */
import { isRecord, mapValue, type Value } from '../cty/values';
import type { BlockSpec, NestedBlockSpec } from './schema';
import { elementsOf } from './walk';

const absentBlock = (b: NestedBlockSpec): Value =>
  b.nesting === 'list' || b.nesting === 'set' ? [] : b.nesting === 'map' ? mapValue([]) : b.nesting === 'group' ? emptyObject(b) : null;

export function emptyObject(block: BlockSpec): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const name of Object.keys(block.attributes)) out[name] = null;
  for (const [name, b] of Object.entries(block.blocks ?? {})) out[name] = absentBlock(b);
  return out;
}

/** The value with null blocks (at any depth) replaced by their absent form. */
export function withAbsentBlocks(block: BlockSpec, v: Value): Value {
  if (!isRecord(v)) return v;
  const out: Record<string, Value> = { ...v };
  for (const [name, b] of Object.entries(block.blocks ?? {})) {
    const current = out[name] ?? null;
    if (current === null) out[name] = absentBlock(b);
    else if (b.nesting === 'single' || b.nesting === 'group') out[name] = withAbsentBlocks(b, current);
    else if (b.nesting === 'map') out[name] = mapValue(elementsOf('map', current).map(([k, e]) => [(k as { key: string }).key, withAbsentBlocks(b, e)] as const));
    else out[name] = elementsOf('list', current).map(([, e]) => withAbsentBlocks(b, e));
  }
  return out;
}
