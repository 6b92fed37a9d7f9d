/**
 * Value equality as cty defines it for known values; an unknown equals nothing (callers use this to
 * ask "has this changed?", and an unknown may change). Set elements match regardless of order.
 */
import { BigNumber, numberEquals } from './number';
import { Dynamic, isRecord, Unknown, type Value } from './values';
import { typeEquals, type CtyType } from './types';

export function valueEquals(a: Value, b: Value, type: CtyType): boolean {
  if (a instanceof Unknown || b instanceof Unknown) return false;
  if (a === null || b === null) return a === b;
  if (type === 'dynamic') {
    return a instanceof Dynamic && b instanceof Dynamic && typeEquals(a.type, b.type) && valueEquals(a.value, b.value, a.type);
  }
  if (type === 'number')
    return (typeof a === 'number' || a instanceof BigNumber) && (typeof b === 'number' || b instanceof BigNumber) && numberEquals(a, b);
  if (typeof type === 'string') return a === b;
  if (type[0] === 'list' || type[0] === 'tuple' || type[0] === 'set') {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    const xs = a as readonly Value[];
    const ys = b as readonly Value[];
    if (type[0] === 'list') return xs.every((x, i) => valueEquals(x, ys[i]!, type[1]));
    if (type[0] === 'tuple') return xs.every((x, i) => valueEquals(x, ys[i]!, type[1][i]!));
    const unmatched = [...ys];
    return xs.every((x) => {
      const i = unmatched.findIndex((y) => valueEquals(x, y, type[1]));
      return i >= 0 && unmatched.splice(i, 1).length === 1;
    });
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  if (type[0] === 'map') {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && valueEquals(a[k]!, b[k]!, type[1]));
  }
  return Object.entries(type[1]).every(([name, at]) => valueEquals(a[name] ?? null, b[name] ?? null, at));
}
