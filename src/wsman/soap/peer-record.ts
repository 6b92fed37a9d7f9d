/**
 * A record keyed by names the peer chose (selectors, options, stream names, shell fields, WMI values):
 * it has no prototype, so a name like `__proto__` or `constructor` is an ordinary key, not a trap.
 */
export function peerRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
