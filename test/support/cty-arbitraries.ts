/** fast-check generators of cty types and of values of a given type (for codec property tests). */
import fc from 'fast-check';
import { BigNumber, numberFromBigInt, numberFromText, type CtyNumber } from '../../src/tfplugin/cty/number';
import type { CtyType } from '../../src/tfplugin/cty/types';
import { Dynamic, mapValue, Unknown, unknown, type Value } from '../../src/tfplugin/cty/values';

const attributeName = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
// Map keys are user data: include the ones that break naive object handling.
const mapKey = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'toString', ''));

export const ctyType: fc.Arbitrary<CtyType> = fc.letrec<{ type: CtyType }>((tie) => ({
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<CtyType>('string', 'number', 'bool', 'dynamic'),
    tie('type').map((e) => ['list', e] as const),
    tie('type').map((e) => ['set', e] as const),
    tie('type').map((e) => ['map', e] as const),
    fc.dictionary(attributeName, tie('type'), { maxKeys: 3 }).map((a) => ['object', a] as const),
    fc.array(tie('type'), { maxLength: 3 }).map((e) => ['tuple', e] as const),
  ),
})).type;

/** Types a dynamic value may carry (anything but dynamic itself at the top). */
const concreteType = ctyType.filter((t) => t !== 'dynamic');

export const ctyNumber: fc.Arbitrary<CtyNumber> = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.maxSafeInteger(),
  fc.double({ noNaN: true }).filter((d) => !Object.is(d, -0)),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(numberFromBigInt),
  fc.tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 1, max: 30 })).map(([digits, scale]) => {
    const s = (digits < 0n ? -digits : digits).toString().padStart(scale + 1, '0');
    return numberFromText(`${digits < 0n ? '-' : ''}${s.slice(0, -scale)}.${s.slice(-scale)}`);
  }),
  fc.constantFrom<CtyNumber>(Infinity, -Infinity, new BigNumber('0.1'), 2 ** 53, 2 ** 63, 1e20),
);

const refinedUnknown: fc.Arbitrary<Unknown> = fc
  .record(
    {
      nullable: fc.constant(false),
      stringPrefix: fc.string({ maxLength: 6 }),
      numberLower: fc.tuple(
        ctyNumber.filter((n) => typeof n !== 'number' || Number.isFinite(n)),
        fc.boolean(),
      ),
      numberUpper: fc.tuple(
        ctyNumber.filter((n) => typeof n !== 'number' || Number.isFinite(n)),
        fc.boolean(),
      ),
      lengthMin: fc.nat(10),
      lengthMax: fc.nat(10),
    },
    { requiredKeys: [] },
  )
  .map((r) => (Object.keys(r).length ? new Unknown(r) : unknown));

/** The exact decimal expansion of a finite double (every double is a finite binary fraction). */
export function exactDecimal(d: number): string {
  if (Number.isInteger(d)) return BigInt(d).toString();
  let mantissa = Math.abs(d);
  let scale = 0;
  while (!Number.isInteger(mantissa)) {
    mantissa *= 2;
    scale++;
  }
  // |d| = mantissa / 2^scale = mantissa * 5^scale / 10^scale
  const digits = (BigInt(mantissa) * 5n ** BigInt(scale)).toString().padStart(scale + 1, '0');
  return `${d < 0 ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** Known (non-null, not unknown) values of a type; inner values may still be null or unknown. */
function concreteValueOf(type: CtyType, depth: number): fc.Arbitrary<Value> {
  if (type === 'string') return fc.string({ maxLength: 12, unit: 'binary' });
  if (type === 'bool') return fc.boolean();
  if (type === 'number') return ctyNumber;
  if (type === 'dynamic') {
    if (depth > 2) return fc.string().map((s) => new Dynamic('string', s));
    return concreteType.chain((t) => concreteValueOf(t, depth + 1).map((v) => new Dynamic(t, v)));
  }
  switch (type[0]) {
    case 'list':
    case 'set':
      return fc.array(valueOf(type[1], depth + 1), { maxLength: 3 });
    case 'map':
      return fc.array(fc.tuple(mapKey, valueOf(type[1], depth + 1)), { maxLength: 3 }).map((entries) => mapValue(entries));
    case 'tuple':
      return fc.tuple(...type[1].map((e) => valueOf(e, depth + 1)));
    case 'object':
      return fc.record(Object.fromEntries(Object.entries(type[1]).map(([n, t]) => [n, valueOf(t, depth + 1)])));
  }
}

/** Any value of a type: null, unknown (plain or refined), or a concrete one. */
export function valueOf(type: CtyType, depth = 0): fc.Arbitrary<Value> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: type === 'dynamic' ? fc.constant(unknown) : fc.oneof(fc.constant(unknown), refinedUnknown) },
    { weight: 5, arbitrary: concreteValueOf(type, depth) },
  );
}

/** Wholly known values (what JSON can carry): no unknowns anywhere. */
export function knownValueOf(type: CtyType, depth = 0): fc.Arbitrary<Value> {
  return valueOf(type, depth).filter(function known(v: Value): boolean {
    if (v instanceof Unknown) return false;
    if (v instanceof Dynamic) return known(v.value);
    if (Array.isArray(v)) return v.every(known);
    if (v && typeof v === 'object' && !(v instanceof BigNumber)) return Object.values(v).every(known);
    return true;
  });
}

export const typeAndValue = ctyType.chain((type) => valueOf(type).map((value) => ({ type, value })));
