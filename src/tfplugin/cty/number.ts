/**
 * cty numbers are arbitrary-precision decimals. A value is a JS number exactly when a double represents
 * it exactly (so arithmetic stays natural for counts and timeouts); otherwise a BigNumber holding the
 * canonical decimal text. Values like 0.1 from a configuration are not doubles: keeping their text is
 * what lets a plan echo the configured value back unchanged.
 */

export class BigNumber {
  /** Canonical plain decimal (no exponent, no redundant zeros), as cty prints numbers. */
  readonly text: string;
  constructor(text: string) {
    this.text = canonicalDecimal(text);
  }
  toString(): string {
    return this.text;
  }
  toJSON(): string {
    return this.text;
  }
  /** Nearest double, for callers that accept rounding. */
  valueOf(): number {
    return Number(this.text);
  }
}

export type CtyNumber = number | BigNumber;

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

interface Decimal {
  negative: boolean;
  digits: bigint;
  exp: number; // value = digits * 10^exp
}

function parseDecimal(text: string): Decimal {
  const m = DECIMAL.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new RangeError(`not a decimal number: ${JSON.stringify(text)}`);
  const frac = m[3] ?? '';
  let digits = BigInt((m[2] || '0') + frac);
  let exp = Number(m[4] ?? 0) - frac.length;
  if (digits === 0n) exp = 0;
  while (digits !== 0n && digits % 10n === 0n) {
    digits /= 10n;
    exp++;
  }
  return { negative: m[1] === '-' && digits !== 0n, digits, exp };
}

function canonicalDecimal(text: string): string {
  const { negative, digits, exp } = parseDecimal(text);
  let s = digits.toString();
  if (exp >= 0) s += '0'.repeat(exp);
  else {
    s = s.padStart(-exp + 1, '0');
    s = `${s.slice(0, exp)}.${s.slice(exp)}`;
  }
  return negative ? `-${s}` : s;
}

/** True when the double d equals the decimal exactly (compared as rationals with BigInt). */
function doubleEquals(d: number, dec: Decimal): boolean {
  if (!Number.isFinite(d)) return false;
  if (d === 0) return dec.digits === 0n;
  if (d < 0 !== dec.negative) return false;
  // |d| = mantissa * 2^e2, with an integral mantissa
  let mantissa = Math.abs(d);
  let e2 = 0;
  while (!Number.isInteger(mantissa)) {
    mantissa *= 2;
    e2--;
  }
  let left = BigInt(mantissa) * (e2 >= 0 ? 2n ** BigInt(e2) : 1n);
  let right = dec.digits;
  if (e2 < 0) right *= 2n ** BigInt(-e2);
  if (dec.exp >= 0) right *= 10n ** BigInt(dec.exp);
  else left *= 10n ** BigInt(-dec.exp);
  return left === right;
}

/** A number from decimal text (msgpack string form, JSON state): a double when exact, else BigNumber. */
export function numberFromText(text: string): CtyNumber {
  const dec = parseDecimal(text);
  const d = Number(`${dec.negative ? '-' : ''}${dec.digits}e${dec.exp}`);
  return doubleEquals(d, dec) ? d : new BigNumber(text);
}

export function numberFromBigInt(v: bigint): CtyNumber {
  const d = Number(v);
  return BigInt(d) === v ? d : new BigNumber(v.toString());
}

export function numberEquals(a: CtyNumber, b: CtyNumber): boolean {
  // A BigNumber built directly from text a double holds exactly still equals that double.
  const x = typeof a === 'number' ? a : numberFromText(a.text);
  const y = typeof b === 'number' ? b : numberFromText(b.text);
  if (typeof x === 'number' || typeof y === 'number') return x === y;
  return x.text === y.text;
}

/** True for whole numbers; a BigNumber's text is canonical plain decimal, so a whole one has no point. */
export function isWhole(n: CtyNumber): boolean {
  return typeof n === 'number' ? Number.isInteger(n) : !n.text.includes('.');
}

/** The number as a bigint when it is an integer within int64, which msgpack carries as an int. */
export function asInt64(n: CtyNumber): bigint | undefined {
  if (!isWhole(n)) return undefined;
  const b = BigInt(typeof n === 'number' ? n : n.text);
  return b >= -(2n ** 63n) && b < 2n ** 63n ? b : undefined;
}
