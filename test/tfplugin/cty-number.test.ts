/** The number model: a double exactly when a double holds the value, else exact decimal text. */
import fc from 'fast-check';
import { asInt64, BigNumber, numberEquals, numberFromBigInt, numberFromText } from '../../src/tfplugin/cty/number';
import { exactDecimal } from '../support/cty-arbitraries';

test.each<[string, number | string]>([
  ['42', 42],
  ['-0.5', -0.5],
  ['1e3', 1000],
  ['9007199254740992', 2 ** 53],
  ['9007199254740993', '9007199254740993'],
  ['0.1', '0.1'],
  ['0.10', '0.1'],
  ['-000.2500', -0.25],
  ['1.23e-2', '0.0123'],
  ['5e-324', `0.${'0'.repeat(323)}5`], // the shortest text of the smallest double, not its value
])('numberFromText(%j)', (text, expected) => {
  const n = numberFromText(text);
  if (typeof expected === 'number') expect(n).toBe(expected);
  else expect(n).toEqual(new BigNumber(expected));
});

test('a double is a double exactly when the text is its exact value', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
      expect(numberFromText(exactDecimal(d))).toBe(d === 0 ? 0 : d);
      // The shortest text of a double is usually a different (decimal) number, kept as such.
      const shortest = numberFromText(String(d));
      if (typeof shortest !== 'number') expect(exactDecimal(d)).not.toBe(shortest.text);
    }),
  );
});

test('integers: exact beyond 2^53, and int64 detection', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), (b) => {
      const n = numberFromBigInt(b);
      expect(BigInt(typeof n === 'number' ? n : n.text)).toBe(b);
      expect(asInt64(n)).toBe(b >= -(2n ** 63n) && b < 2n ** 63n ? b : undefined);
    }),
  );
});

test('equality across representations', () => {
  expect(numberEquals(new BigNumber('1e20'), 1e20)).toBe(true);
  expect(numberEquals(new BigNumber('0.1'), 0.1)).toBe(false);
  expect(numberEquals(new BigNumber('0.10'), new BigNumber('0.1'))).toBe(true);
});

test('rejects text that is not a decimal number', () => {
  for (const bad of ['', '.', 'abc', '1e', '0x10', 'Infinity']) expect(() => numberFromText(bad)).toThrow(RangeError);
});
