/** cty values <-> msgpack: round trips over generated types and values, fixed vectors, and an oracle. */
import fc from 'fast-check';
import { decode as oracleDecode, ExtensionCodec } from '@msgpack/msgpack';
import { decodeMsgpack, encodeMsgpack } from '../../src/tfplugin/cty/msgpack-codec';
import { BigNumber } from '../../src/tfplugin/cty/number';
import { t, type CtyType } from '../../src/tfplugin/cty/types';
import { Dynamic, mapValue, Unknown, unknown, type Value } from '../../src/tfplugin/cty/values';
import { typeAndValue } from '../support/cty-arbitraries';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('round trip: decode(encode(v)) equals v for generated types and values', () => {
  fc.assert(
    fc.property(typeAndValue, ({ type, value }) => {
      expect(decodeMsgpack(encodeMsgpack(value, type), type)).toEqual(value);
    }),
    { numRuns: 600 },
  );
});

// (@msgpack/msgpack refuses a "__proto__" map key; our decoder keeps it, see the round-trip property.)
test('an independent msgpack decoder reads the same structure (objects keyed by attribute, unknown as ext 0)', () => {
  const extensionCodec = new ExtensionCodec();
  const seen: number[] = [];
  extensionCodec.register({ type: 0, encode: () => null, decode: () => (seen.push(0), '<unknown>') });
  extensionCodec.register({ type: 12, encode: () => null, decode: () => (seen.push(12), '<refined>') });
  const type = t.object({ name: t.string, count: t.number, tags: t.map(t.string), ids: t.list(t.number), meta: t.dynamic });
  const value = { name: 'x', count: 3, tags: mapValue([['constructor', 'a']]), ids: [1, unknown], meta: new Dynamic(t.bool, true) };
  const decoded = oracleDecode(encodeMsgpack(value, type), { extensionCodec, useBigInt64: true }) as Record<string, unknown>;
  expect(Object.keys(decoded).sort()).toEqual(['count', 'ids', 'meta', 'name', 'tags']);
  expect(decoded.ids).toEqual([1, '<unknown>']);
  expect(decoded.tags).toEqual({ constructor: 'a' });
  expect(decoded.meta).toEqual([new TextEncoder().encode('"bool"'), true]);
});

describe('wire form (go-cty cty/msgpack)', () => {
  test.each<[string, Value, CtyType, string]>([
    ['null of any type', null, t.list(t.string), 'c0'],
    ['plain unknown', unknown, t.string, 'd40000'],
    ['dynamic string', new Dynamic(t.string, 'x'), t.dynamic, '92c4082273747269 6e6722a178'.replace(/ /g, '')],
    ['small int', 5, t.number, '05'],
    ['negative int', -33, t.number, 'd0df'],
    ['2^53 + 1 exactly, as int64', new BigNumber('9007199254740993'), t.number, 'cf0020000000000001'],
    ['non-integer double as float64', 0.5, t.number, 'cb3fe0000000000000'],
    ['decimal that is no double, as string', new BigNumber('0.1'), t.number, 'a3302e31'],
    ['integer beyond int64 that is a double, as float64', 1e20, t.number, 'cb4415af1d78b58c40'],
    [
      'integer beyond int64 that is no double, as string',
      new BigNumber('100000000000000000001'),
      t.number,
      'b5313030303030303030303030303030303030303031',
    ],
    ['object keys sorted, all present', { b: null, a: true }, t.object({ a: t.bool, b: t.string }), '82a161c3a162c0'],
  ])('%s', (_what, value, type, expected) => {
    expect(hex(encodeMsgpack(value, type))).toBe(expected);
    expect(decodeMsgpack(Buffer.from(expected, 'hex'), type)).toEqual(value);
  });

  test('numbers terraform sends as strings or large ints decode exactly', () => {
    expect(decodeMsgpack(Buffer.from('a3302e31', 'hex'), t.number)).toEqual(new BigNumber('0.1'));
    expect(decodeMsgpack(Buffer.from('cf0020000000000000', 'hex'), t.number)).toBe(2 ** 53);
    expect(decodeMsgpack(Buffer.from('d3ffdfffffffffffff', 'hex'), t.number)).toEqual(new BigNumber('-9007199254740993'));
    expect(decodeMsgpack(Buffer.from('ca3f000000', 'hex'), t.number)).toBe(0.5); // float32
    // cty writes integers beyond int64 as decimal text even when a double holds them
    expect(decodeMsgpack(Buffer.from('b5313030303030303030303030303030303030303030', 'hex'), t.number)).toBe(1e20);
  });

  test('refined unknowns (ext 12) decode as unknown with their refinements', () => {
    // {1: false (not null), 2: "ab" (prefix)}
    const bytes = Buffer.from('c7070c82' + '01c2' + '02a26162', 'hex');
    expect(decodeMsgpack(bytes, t.string)).toEqual(new Unknown({ nullable: false, stringPrefix: 'ab' }));
    // any ext of at most one byte is a plain unknown, whatever its type code
    expect(decodeMsgpack(Buffer.from('d40700', 'hex'), t.number)).toBe(unknown);
  });
});

describe('errors name the place', () => {
  test('object with a missing attribute', () => {
    expect(() => decodeMsgpack(Buffer.from('81a161c3', 'hex'), t.object({ a: t.bool, b: t.bool }))).toThrow(
      /2 attributes is required \(1 given\)/,
    );
  });
  test('unsupported attribute', () => {
    expect(() => decodeMsgpack(Buffer.from('82a161c3a17ac3', 'hex'), t.object({ a: t.bool, b: t.bool }))).toThrow(
      /unsupported attribute "z"/,
    );
  });
  test('encoding a value of the wrong type', () => {
    expect(() => encodeMsgpack({ a: { b: 'x' } }, t.object({ a: t.object({ b: t.number }) }))).toThrow(
      /expected a number, got string at \.a\.b/,
    );
  });
  test('encoding an object without one of its attributes', () => {
    expect(() => encodeMsgpack({ a: true }, t.object({ a: t.bool, b: t.bool }))).toThrow(/missing attribute "b"/);
  });
  test('NaN is no cty number', () => {
    expect(() => encodeMsgpack(NaN, t.number)).toThrow(/NaN/);
  });
});
