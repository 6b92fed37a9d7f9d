/** Stored-state JSON (UpgradeResourceState raw_state.json): big-number-safe parsing, type-driven reading. */
import fc from 'fast-check';
import { decodeJson, JsonNumber, parseJson } from '../../src/tfplugin/cty/json-codec';
import { BigNumber, type CtyNumber } from '../../src/tfplugin/cty/number';
import { t, typeToJson, type CtyType } from '../../src/tfplugin/cty/types';
import { Dynamic, isRecord, mapValue, type Value } from '../../src/tfplugin/cty/values';
import { ctyType, exactDecimal, knownValueOf } from '../support/cty-arbitraries';

/** JSON as go-cty's cty/json writes a value: numbers as plain decimals, dynamic as {value, type}. */
function toJsonText(v: Value, type: CtyType): string {
  if (v === null) return 'null';
  if (type === 'dynamic') {
    const d = v as Dynamic;
    return `{"value":${toJsonText(d.value, d.type)},"type":${typeToJson(d.type)}}`;
  }
  if (type === 'number') return numberText(v as CtyNumber);
  if (typeof type === 'string') return JSON.stringify(v);
  if (type[0] === 'object' || type[0] === 'map') {
    const rec = v as { [k: string]: Value };
    const entries = Object.keys(rec).map((k) => `${JSON.stringify(k)}:${toJsonText(rec[k]!, type[0] === 'map' ? type[1] : type[1][k]!)}`);
    return `{${entries.join(',')}}`;
  }
  const items = v as readonly Value[];
  return `[${items.map((x, i) => toJsonText(x, type[0] === 'tuple' ? type[1][i]! : type[1])).join(',')}]`;
}

// Exact text: go-cty prints the big.Float it holds, and a double's exact decimal reads back as that double.
const numberText = (n: CtyNumber): string => (typeof n === 'number' ? exactDecimal(n) : n.text);

const finite = (v: Value): boolean =>
  typeof v === 'number'
    ? Number.isFinite(v)
    : v instanceof Dynamic
      ? finite(v.value)
      : Array.isArray(v)
        ? v.every(finite)
        : isRecord(v)
          ? Object.values(v).every(finite)
          : true;

test('round trip: reading the JSON go-cty writes gives back the value', () => {
  const typeAndKnownValue = ctyType.chain((type) =>
    knownValueOf(type)
      .filter(finite)
      .map((value) => ({ type, value })),
  );
  fc.assert(
    fc.property(typeAndKnownValue, ({ type, value }) => {
      expect(decodeJson(parseJson(toJsonText(value, type)), type)).toEqual(value);
    }),
    { numRuns: 500 },
  );
});

test('parseJson agrees with JSON.parse on ordinary documents (numbers aside)', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (doc) => {
      const text = JSON.stringify(doc);
      const plain = (j: unknown): unknown =>
        j instanceof JsonNumber
          ? Number(j.text)
          : Array.isArray(j)
            ? j.map(plain)
            : j && typeof j === 'object'
              ? Object.fromEntries(Object.entries(j).map(([k, v]) => [k, plain(v)]))
              : j;
      expect(plain(parseJson(text))).toEqual(JSON.parse(text));
    }),
  );
});

test('numbers keep their precision', () => {
  const doc = parseJson('{"big": 123456789012345678901234567890, "dec": 0.1, "int": 42, "exp": 1.5e3}');
  const v = decodeJson(doc, t.object({ big: t.number, dec: t.number, int: t.number, exp: t.number })) as Record<string, Value>;
  expect(v.big).toEqual(new BigNumber('123456789012345678901234567890'));
  expect(v.dec).toEqual(new BigNumber('0.1'));
  expect(v.int).toBe(42);
  expect(v.exp).toBe(1500);
});

test('map keys such as __proto__ stay ordinary keys', () => {
  const v = decodeJson(parseJson('{"__proto__": "x", "a": "y"}'), t.map(t.string));
  expect(v).toEqual(
    mapValue([
      ['__proto__', 'x'],
      ['a', 'y'],
    ]),
  );
  expect(Object.keys(v as object)).toEqual(['__proto__', 'a']);
});

test('lenient reading of older state: missing attributes become null, removed ones are dropped', () => {
  const type = t.object({ keep: t.string, added: t.number, nested: t.list(t.object({ a: t.string, b: t.bool })) });
  const json = parseJson('{"keep":"k","removed":1,"nested":[{"a":"x","gone":true}]}');
  expect(decodeJson(json, type, true)).toEqual({ keep: 'k', added: null, nested: [{ a: 'x', b: null }] });
  expect(() => decodeJson(json, type)).toThrow(/unsupported attribute "removed"/);
});

test.each(['', '{', '[1,]', '{"a" 1}', 'tru', '"\\x"', '01', '1 2'])('rejects malformed JSON %j', (text) => {
  expect(() => parseJson(text)).toThrow(SyntaxError);
});
