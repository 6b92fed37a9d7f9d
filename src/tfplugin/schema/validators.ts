/** Reusable attribute validators (see Validator in ./schema): each returns what is wrong, or undefined. */
import { choiceProblem } from '../../common';
import type { CtyNumber } from '../cty/number';
import type { Validator } from './schema';

/** A whole number in [min, max]; also refuses numbers a double cannot hold exactly. */
export function integerBetween(min: number, max: number): Validator<CtyNumber> {
  return (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
      ? undefined
      : `must be a whole number from ${min} to ${max}, got ${String(v)}`;
}

export function oneOf<const T extends string>(...allowed: T[]): Validator<string> {
  return (v) => choiceProblem(allowed, v);
}

/** `what` completes "must be …", e.g. matches(/^[\w.-]+$/, 'letters, digits, ".", "_" or "-"'). */
export function matches(pattern: RegExp, what: string): Validator<string> {
  return (v) => (pattern.test(v) ? undefined : `must be ${what}, got ${JSON.stringify(v)}`);
}
