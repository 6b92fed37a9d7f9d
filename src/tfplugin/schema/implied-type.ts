/** The cty type a schema implies: the shape terraform encodes configuration, plans and state in. */
import type { CtyType } from '../cty/types';
import { isCtyType, type AttributeType, type BlockSpec, type NestedBlockSpec } from './schema';

const cache = new WeakMap<object, CtyType>();

export function attributeTypeOf(type: AttributeType): CtyType {
  if (isCtyType(type)) return type;
  if (type.kind === 'integer') return 'number';
  const object = objectOf(type.attributes, {});
  return type.nesting === 'single' ? object : [type.nesting, object];
}

export function blockTypeOf(block: BlockSpec): CtyType {
  let type = cache.get(block);
  if (!type) {
    type = objectOf(block.attributes, block.blocks ?? {});
    cache.set(block, type);
  }
  return type;
}

function objectOf(attributes: BlockSpec['attributes'], blocks: NonNullable<BlockSpec['blocks']>): CtyType {
  const out: Record<string, CtyType> = {};
  for (const [name, a] of Object.entries(attributes)) out[name] = attributeTypeOf(a.type);
  for (const [name, b] of Object.entries(blocks)) out[name] = nestedBlockTypeOf(b);
  return ['object', out];
}

function nestedBlockTypeOf(b: NestedBlockSpec): CtyType {
  const object = blockTypeOf(b);
  return b.nesting === 'single' || b.nesting === 'group' ? object : [b.nesting, object];
}
