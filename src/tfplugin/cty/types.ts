/**
 * cty types in their JSON form (what terraform puts in schemas and in dynamic values):
 * "string" | "number" | "bool" | "dynamic" | ["list", T] | ["set", T] | ["map", T]
 * | ["object", {name: T}] | ["tuple", [T…]]. The TS literal types let schemas infer value types.
 */

export type PrimitiveType = 'string' | 'number' | 'bool';
export type CtyType =
  | PrimitiveType
  | 'dynamic'
  | readonly ['list', CtyType]
  | readonly ['set', CtyType]
  | readonly ['map', CtyType]
  | readonly ['object', { readonly [name: string]: CtyType }]
  | readonly ['tuple', readonly CtyType[]];

/** Type constructors: `t.map(t.string)`, `t.object({ a: t.number })`. */
export const t = {
  string: 'string',
  number: 'number',
  bool: 'bool',
  dynamic: 'dynamic',
  list: <const E extends CtyType>(element: E) => ['list', element] as const,
  set: <const E extends CtyType>(element: E) => ['set', element] as const,
  map: <const E extends CtyType>(element: E) => ['map', element] as const,
  object: <const A extends { readonly [name: string]: CtyType }>(attributes: A) => ['object', attributes] as const,
  tuple: <const E extends readonly CtyType[]>(elements: E) => ['tuple', elements] as const,
} as const;

export function typeToJson(type: CtyType): string {
  return JSON.stringify(type);
}

/** Parses and checks a type from its JSON (e.g. the first half of a dynamic value). */
export function typeFromJson(json: unknown): CtyType {
  if (json === 'string' || json === 'number' || json === 'bool' || json === 'dynamic') return json;
  if (Array.isArray(json) && json.length === 2) {
    const [kind, arg] = json as [unknown, unknown];
    if (kind === 'list' || kind === 'set' || kind === 'map') return [kind, typeFromJson(arg)];
    if (kind === 'tuple' && Array.isArray(arg)) return ['tuple', arg.map(typeFromJson)];
    if (kind === 'object' && arg !== null && typeof arg === 'object' && !Array.isArray(arg)) {
      const attrs: Record<string, CtyType> = {};
      for (const [name, sub] of Object.entries(arg)) attrs[name] = typeFromJson(sub);
      return ['object', attrs];
    }
  }
  throw new TypeError(`not a cty type: ${JSON.stringify(json)}`);
}

export function typeEquals(a: CtyType, b: CtyType): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a[0] !== b[0]) return false;
  switch (a[0]) {
    case 'list':
    case 'set':
    case 'map':
      return typeEquals(a[1], b[1] as CtyType);
    case 'tuple': {
      const be = b[1] as readonly CtyType[];
      return a[1].length === be.length && a[1].every((e, i) => typeEquals(e, be[i]!));
    }
    case 'object': {
      const ba = b[1] as { readonly [name: string]: CtyType };
      const names = Object.keys(a[1]);
      return names.length === Object.keys(ba).length && names.every((n) => n in ba && typeEquals(a[1][n]!, ba[n]!));
    }
  }
}
