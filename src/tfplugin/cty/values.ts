/**
 * cty values as plain TypeScript data, always read together with their type (the schema says what a
 * value is; the value alone does not):
 *   null → null · unknown → an Unknown · string/bool → string/boolean · number → CtyNumber
 *   list/set/tuple → array · map → null-prototype record · object → record with every attribute
 *   dynamic → Dynamic (the concrete type travels with the value)
 */
import type { CtyNumber } from './number';
import type { CtyType } from './types';

/** What terraform knows about a value it does not know yet (ext 12 of the msgpack encoding). */
export interface Refinements {
  /** false: definitely not null. */
  nullable?: boolean;
  stringPrefix?: string;
  numberLower?: readonly [CtyNumber, boolean]; // [bound, inclusive]
  numberUpper?: readonly [CtyNumber, boolean];
  lengthMin?: number;
  lengthMax?: number;
}

export class Unknown {
  constructor(readonly refinements?: Refinements) {}
}

/** The plain unknown value. */
export const unknown = new Unknown();

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

export class Dynamic {
  constructor(
    readonly type: CtyType,
    readonly value: Value,
  ) {}
}

export type Value = null | Unknown | string | boolean | CtyNumber | Dynamic | readonly Value[] | { readonly [key: string]: Value };

/** A map value: a record without prototype, so keys such as "__proto__" are ordinary keys. */
export function mapValue<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const out = Object.create(null) as Record<string, V>;
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** True when no unknown hides anywhere inside (terraform requires this of states it stores). */
export function isWhollyKnown(v: Value): boolean {
  if (v instanceof Unknown) return false;
  if (v instanceof Dynamic) return isWhollyKnown(v.value);
  if (Array.isArray(v)) return v.every(isWhollyKnown);
  if (isRecord(v)) return Object.values(v).every(isWhollyKnown);
  return true;
}

/** A plain record (object or map value), as opposed to a class instance or array. */
export function isRecord(v: unknown): v is { readonly [key: string]: Value } {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === null || proto === Object.prototype;
}
