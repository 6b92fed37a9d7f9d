/**
 * The generated protobuf codecs against an independent implementation (protobufjs reading the same
 * .proto files): what one encodes the other decodes, over generated messages.
 */
import * as path from 'node:path';
import fc from 'fast-check';
import * as protobuf from 'protobufjs';
import * as tf from '../../src/tfplugin/generated/tfplugin6';
import { decodeMessage, encodeMessage, ProtoReader, ProtoWriter, type MessageCodec } from '../../src/tfplugin/protobuf/wire';

const root = new protobuf.Root();
root.loadSync(
  ['tfplugin6.proto', 'go-plugin.proto', 'health.proto'].map((f) => path.join(__dirname, '../../src/tfplugin/proto', f)),
  { keepCase: false },
);

const bytes = fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b));
// Up to 60 graphemes: both the one-byte-length fast path of ProtoWriter.string and the general one.
const str = fc.string({ maxLength: 60, unit: 'grapheme' });
const int = fc.integer({ min: 0, max: 2 ** 40 });

const step = fc.oneof(
  str.map((attributeName) => ({ attributeName })),
  str.map((elementKeyString) => ({ elementKeyString })),
  int.map((elementKeyInt) => ({ elementKeyInt })),
);
const attributePath = fc.record({ steps: fc.array(step, { maxLength: 4 }) });
const diagnostic = fc.record({
  severity: fc.constantFrom(0, 1, 2),
  summary: str,
  detail: str,
  attribute: fc.option(attributePath, { nil: undefined }),
});
const { attribute: schemaAttribute } = fc.letrec((tie) => ({
  attribute: fc.record({
    name: str,
    type: bytes,
    description: str,
    required: fc.boolean(),
    optional: fc.boolean(),
    computed: fc.boolean(),
    sensitive: fc.boolean(),
    descriptionKind: fc.constantFrom(0, 1),
    deprecated: fc.boolean(),
    writeOnly: fc.boolean(),
    nestedType: fc.option(
      fc.record({ attributes: fc.array(tie('attribute'), { maxLength: 2 }), nesting: fc.constantFrom(0, 1, 2, 3, 4) }),
      { nil: undefined, depthSize: 'small' },
    ),
  }),
}));
const block = fc.record({
  version: int,
  attributes: fc.array(schemaAttribute as fc.Arbitrary<tf.Schema_Attribute>, { maxLength: 3 }),
  blockTypes: fc.constant([] as tf.Schema_NestedBlock[]),
  description: str,
  descriptionKind: fc.constantFrom(0, 1),
  deprecated: fc.boolean(),
});
const schema = fc.record({ version: int, block: fc.option(block, { nil: undefined }) });
const schemaResponse = fc.record({
  provider: fc.option(schema, { nil: undefined }),
  resourceSchemas: fc.dictionary(str, schema, { maxKeys: 3 }),
  dataSourceSchemas: fc.dictionary(str, schema, { maxKeys: 2 }),
  functions: fc.constant({}),
  diagnostics: fc.array(diagnostic, { maxLength: 2 }),
  serverCapabilities: fc.option(
    fc.record({ planDestroy: fc.boolean(), getProviderSchemaOptional: fc.boolean(), moveResourceState: fc.boolean() }),
    { nil: undefined },
  ),
});
const rawState = fc.record({ json: bytes, flatmap: fc.dictionary(str, str, { maxKeys: 3 }) });
const functionError = fc.record({ text: str, functionArgument: fc.option(int, { nil: undefined }) });

/** protobufjs's view of a message as plain data, in the shape our decoder produces. */
function viaProtobufjs(typeName: string, encoded: Uint8Array): unknown {
  const type = root.lookupType(typeName);
  return type.toObject(type.decode(encoded), { longs: Number, bytes: Buffer, defaults: true, arrays: true, objects: true, oneofs: false });
}

function normalize(v: unknown): unknown {
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined && x !== null)
        .map(([k, x]) => [k, normalize(x)]),
    );
  }
  return v;
}

const cases: [string, string, MessageCodec<unknown>, fc.Arbitrary<unknown>][] = [
  ['AttributePath', 'tfplugin6.AttributePath', tf.AttributePath, attributePath],
  ['Diagnostic', 'tfplugin6.Diagnostic', tf.Diagnostic, diagnostic],
  ['GetProviderSchema.Response', 'tfplugin6.GetProviderSchema.Response', tf.GetProviderSchema_Response, schemaResponse],
  ['RawState', 'tfplugin6.RawState', tf.RawState, rawState],
  ['FunctionError', 'tfplugin6.FunctionError', tf.FunctionError, functionError],
];

describe.each(cases)('%s', (_name, typeName, codec, arb) => {
  test('protobufjs decodes what we encode, and we decode what protobufjs encodes', () => {
    fc.assert(
      fc.property(arb, (msg) => {
        const ours = encodeMessage(codec, msg as never);
        const theirs = viaProtobufjs(typeName, ours);
        expect(normalize(theirs)).toEqual(normalize(msg));
        expect(normalize(decodeMessage(codec, ours))).toEqual(normalize(msg));
        const type = root.lookupType(typeName);
        const reencoded = type.encode(type.fromObject(theirs as object)).finish();
        expect(normalize(decodeMessage(codec, reencoded))).toEqual(normalize(theirs));
      }),
      { numRuns: 150 },
    );
  });
});

test('oneof: decoding the last member set clears the others', () => {
  const w = new ProtoWriter();
  w.varint(10).string('a'); // attribute_name
  w.varint(24).varint(7); // element_key_int
  expect(decodeMessage(tf.AttributePath_Step, w.finish())).toEqual({ elementKeyInt: 7 });
});

test('varints: negative int64 use ten bytes and read back', () => {
  for (const v of [-1, -(2 ** 31), -(2 ** 53) + 1, 2 ** 53 - 1, 0, 127, 128]) {
    const bytes = new ProtoWriter().varint(v).finish();
    expect(new ProtoReader(bytes).varint()).toBe(v);
    if (v < 0) expect(bytes.length).toBe(10);
  }
});

test('unknown fields are skipped', () => {
  const w = new ProtoWriter();
  w.varint((99 << 3) | 2).string('ignored');
  w.varint((98 << 3) | 0).varint(5);
  w.varint(18).string('summary');
  expect(decodeMessage(tf.Diagnostic, w.finish())).toMatchObject({ summary: 'summary', severity: 0 });
});

test('truncated input is an error, not a partial message', () => {
  const full = encodeMessage(tf.Diagnostic, { summary: 'a long enough summary' });
  expect(() => decodeMessage(tf.Diagnostic, full.subarray(0, full.length - 3))).toThrow(/truncated/);
});
