/**
 * The provider's schema in the JSON document shape of `terraform providers schema -json` (format 1.0),
 * derived from the same declarations as the protocol schema. The cdktf bindings generator reads it.
 */
import type { FunctionDefinition, Parameter } from '../contracts/function';
import type { ProviderDefinition } from '../contracts/provider';
import { isComputed, isOptional, type AttributeSpec, type BlockSpec, type NestedBlockSpec, type Schema } from './schema';
import { attributeTypeOf } from './implied-type';
import { nestedShape } from './walk';

type Json = { [key: string]: unknown };

/** Go's encoding/json `omitempty`: false, 0, "" and empty collections are left out. */
function omitEmpty(o: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === false || v === 0 || v === '') continue;
    if (v !== null && typeof v === 'object' && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}

const mapOf = <T>(entries: [string, T][], fn: (name: string, v: T) => unknown): Json =>
  Object.fromEntries(entries.map(([name, v]) => [name, fn(name, v)]));

function attributeJson(a: AttributeSpec): Json {
  const nested = nestedShape(a);
  return omitEmpty({
    type: nested ? undefined : attributeTypeOf(a.type),
    nested_type: nested
      ? omitEmpty({
          attributes: mapOf(Object.entries(nested.shape.attributes), (_, sub) => attributeJson(sub)),
          nesting_mode: nested.nesting,
        })
      : undefined,
    description: a.options.description,
    description_kind: 'plain',
    deprecated: !!a.options.deprecated,
    required: a.mode === 'required',
    optional: isOptional(a),
    computed: isComputed(a),
    sensitive: !!a.options.sensitive,
  });
}

function blockJson(b: BlockSpec): Json {
  return omitEmpty({
    attributes: mapOf(Object.entries(b.attributes), (_, a) => attributeJson(a)),
    block_types: mapOf(Object.entries(b.blocks ?? {}), (_, nb: NestedBlockSpec) =>
      omitEmpty({ nesting_mode: nb.nesting, block: blockJson(nb), min_items: nb.minItems, max_items: nb.maxItems }),
    ),
    description: b.description,
    description_kind: 'plain',
    deprecated: !!b.deprecated,
  });
}

const schemaJson = (s: Schema): Json => ({ version: s.version ?? 0, block: blockJson(s) });

const parameterJson = (p: Parameter): Json =>
  omitEmpty({ name: p.name, description: p.description, is_nullable: !!p.allowNull, type: p.type });

function functionJson(f: FunctionDefinition): Json {
  return omitEmpty({
    description: f.description,
    summary: f.summary,
    deprecation_message: f.deprecation,
    return_type: f.returns,
    parameters: f.parameters.map(parameterJson),
    variadic_parameter: f.variadic ? parameterJson(f.variadic) : undefined,
  });
}

/** `{format_version, provider_schemas: {<source address>: {provider, resource_schemas, …}}}`. */
export function providerSchemaJson(def: ProviderDefinition, sourceAddress: string): Json {
  return {
    format_version: '1.0',
    provider_schemas: {
      [sourceAddress]: omitEmpty({
        provider: schemaJson(def.schema),
        // The definitions' own schema types are erased (ProviderDefinition); any schema serializes alike.
        resource_schemas: Object.fromEntries(def.resources.map((r) => [r.typeName, schemaJson(r.schema as Schema)])),
        data_source_schemas: Object.fromEntries(def.dataSources.map((d) => [d.typeName, schemaJson(d.schema as Schema)])),
        functions: Object.fromEntries(def.functions.map((f) => [f.name, functionJson(f as FunctionDefinition)])),
      }),
    },
  };
}
