/**
 * Objects of a schema with nothing set — attributes null, blocks as terraform represents absent ones
 * (empty list/set/map, null single, an empty object for a group) — for import stubs and stored state
 * that predates a block.
 */
import { isRecord, mapValue, type Value } from '../cty/values';
import type { BlockSpec, NestedBlockSpec } from './schema';
import { mapElements } from './walk';

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
    out[name] = current === null ? absentBlock(b) : mapElements(b.nesting, current, (e) => withAbsentBlocks(b, e));
  }
  return out;
}
