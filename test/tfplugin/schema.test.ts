/** One declaration, every derived form: implied cty type, protocol schema, `providers schema -json`, TS types. */
import { decodeMessage, encodeMessage } from '../../src/tfplugin/protobuf/wire';
import { Schema as SchemaProto } from '../../src/tfplugin/generated/tfplugin6';
import { t } from '../../src/tfplugin/cty/types';
import type { Unknown } from '../../src/tfplugin/cty/values';
import type { CtyNumber } from '../../src/tfplugin/cty/number';
import { blockTypeOf } from '../../src/tfplugin/schema/implied-type';
import { schemaProto } from '../../src/tfplugin/schema/proto-schema';
import { attr, block, defineSchema, integer, nested } from '../../src/tfplugin/schema/schema';
import type { Config, Planned, State } from '../../src/tfplugin/schema/value-types';

const schema = defineSchema({
  version: 2,
  description: 'A sample.',
  attributes: {
    id: attr.computed(t.string, { keepOnUpdate: true }),
    host: attr.required(t.string, { requiresReplace: true, description: 'Host name.' }),
    idle_timeout_sec: attr.optionalComputed(integer),
    ratio: attr.optional(t.number),
    password: attr.optional(t.string, { sensitive: true }),
    reported: attr.computed(t.map(t.string)),
    endpoints: attr.optional(nested.list({ url: attr.required(t.string), weight: attr.optionalComputed(integer) })),
    old: attr.optional(t.bool, { deprecated: 'Gone soon.' }),
  },
  blocks: {
    rule: block.set({ attributes: { port: attr.required(integer) } }, { maxItems: 5 }),
    timeouts: block.single({ attributes: { create: attr.optional(t.string) } }),
  },
});

test('implied type: attributes, nested attributes and blocks as one object type', () => {
  expect(blockTypeOf(schema)).toEqual([
    'object',
    {
      id: 'string',
      host: 'string',
      idle_timeout_sec: 'number',
      ratio: 'number',
      password: 'string',
      reported: ['map', 'string'],
      endpoints: ['list', ['object', { url: 'string', weight: 'number' }]],
      old: 'bool',
      rule: ['set', ['object', { port: 'number' }]],
      timeouts: ['object', { create: 'string' }],
    },
  ]);
});

test('protocol schema: sorted attributes, flags, JSON types, nested types and blocks', () => {
  const proto = decodeMessage(SchemaProto, encodeMessage(SchemaProto, schemaProto(schema)));
  expect(proto.version).toBe(2);
  const attrs = Object.fromEntries(proto.block!.attributes.map((a) => [a.name, a]));
  expect(proto.block!.attributes.map((a) => a.name)).toEqual([
    'endpoints',
    'host',
    'id',
    'idle_timeout_sec',
    'old',
    'password',
    'ratio',
    'reported',
  ]);
  expect(attrs.host).toMatchObject({ required: true, optional: false, computed: false, description: 'Host name.' });
  expect(attrs.idle_timeout_sec).toMatchObject({ optional: true, computed: true });
  expect(Buffer.from(attrs.idle_timeout_sec!.type).toString()).toBe('"number"');
  expect(Buffer.from(attrs.reported!.type).toString()).toBe('["map","string"]');
  expect(attrs.password!.sensitive).toBe(true);
  expect(attrs.old!.deprecated).toBe(true);
  expect(attrs.endpoints!.type.length).toBe(0);
  expect(attrs.endpoints!.nestedType).toMatchObject({
    nesting: 2,
    attributes: [
      { name: 'url', required: true },
      { name: 'weight', optional: true, computed: true },
    ],
  });
  expect(proto.block!.blockTypes.map((b) => [b.typeName, b.nesting, b.maxItems])).toEqual([
    ['rule', 3, 5],
    ['timeouts', 1, 0],
  ]);
});

// Type-level: these assignments compile only if the value types are derived as documented.
type S = typeof schema;
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const typeChecks: [
  Equals<State<S>['host'], string>,
  Equals<State<S>['idle_timeout_sec'], number | null>,
  Equals<State<S>['ratio'], CtyNumber | null>,
  Equals<State<S>['reported'], Record<string, string | null> | null>,
  Equals<Config<S>['host'], string | Unknown>,
  Equals<Config<S>['id'], null>,
  Equals<Planned<S>['id'], string | Unknown | null>,
  Equals<State<S>['rule'], { port: number }[]>,
  Equals<State<S>['timeouts'], { create: string | null } | null>,
] = [true, true, true, true, true, true, true, true, true];

test('value types follow the phase (compile-time checks above)', () => {
  expect(typeChecks.every(Boolean)).toBe(true);
});
