/** Schema declarations as tfplugin6 protocol messages (GetProviderSchema). */
import type { DeepPartial } from '../protobuf/wire';
import type { Function_ as FunctionProto, Schema as SchemaProto, Schema_Attribute, Schema_Block } from '../generated/tfplugin6';
import type { FunctionDefinition, Parameter } from '../contracts/function';
import { typeToJson, type CtyType } from '../cty/types';
import { isComputed, isOptional, type AttributeSpec, type BlockSpec, type NestedBlockSpec, type Schema } from './schema';
import { attributeTypeOf } from './implied-type';
import { nestedShape } from './walk';

const NESTING = { single: 1, list: 2, set: 3, map: 4, group: 5 } as const;
const typeBytes = (type: CtyType): Uint8Array => Buffer.from(typeToJson(type), 'utf8');
const byName = <T>(record: { readonly [name: string]: T }): [string, T][] => Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1));

export function schemaProto(schema: Schema): DeepPartial<SchemaProto> {
  return { version: schema.version ?? 0, block: blockProto(schema, schema.version ?? 0) };
}

function blockProto(b: BlockSpec, version = 0): DeepPartial<Schema_Block> {
  return {
    version,
    attributes: byName(b.attributes).map(([name, a]) => attributeProto(name, a)),
    blockTypes: byName(b.blocks ?? {}).map(([name, nb]) => nestedBlockProto(name, nb)),
    description: b.description ?? '',
    deprecated: !!b.deprecated,
  };
}

function attributeProto(name: string, a: AttributeSpec): DeepPartial<Schema_Attribute> {
  const nested = nestedShape(a);
  return {
    name,
    ...(nested
      ? {
          nestedType: {
            attributes: byName(nested.shape.attributes).map(([n, sub]) => attributeProto(n, sub)),
            nesting: NESTING[nested.nesting] as 1 | 2 | 3 | 4,
          },
        }
      : { type: typeBytes(attributeTypeOf(a.type)) }),
    description: a.options.description ?? '',
    required: a.mode === 'required',
    optional: isOptional(a),
    computed: isComputed(a),
    sensitive: !!a.options.sensitive,
    deprecated: !!a.options.deprecated,
  };
}

function nestedBlockProto(name: string, b: NestedBlockSpec) {
  return { typeName: name, block: blockProto(b), nesting: NESTING[b.nesting], minItems: b.minItems ?? 0, maxItems: b.maxItems ?? 0 };
}

function parameterProto(p: Parameter) {
  return {
    name: p.name,
    type: typeBytes(p.type),
    allowNullValue: !!p.allowNull,
    allowUnknownValues: !!p.allowUnknown,
    description: p.description ?? '',
  };
}

export function functionProto(f: FunctionDefinition): DeepPartial<FunctionProto> {
  return {
    parameters: f.parameters.map(parameterProto),
    ...(f.variadic ? { variadicParameter: parameterProto(f.variadic) } : {}),
    return: { type: typeBytes(f.returns) },
    summary: f.summary ?? '',
    description: f.description ?? '',
    deprecationMessage: f.deprecation ?? '',
  };
}
