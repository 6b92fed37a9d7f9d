/**
 * The value model of CLIXML (MS-PSRP 2.2.5): what deserialization yields and serialization accepts.
 *
 * Natural JavaScript values stand for the common primitives: null (Nil), string (S), boolean (B),
 * number (I32, I16, U16, By, SB, U32, Db, Sg on read; I32 or Db on write), bigint (I64, U64 on read;
 * I64 on write), Uint8Array (BA). Every other primitive — and any primitive whose exact tag matters on
 * write — is a PsScalar holding the tag and the decoded text. Complex objects are PsObject.
 */

/** Every primitive element name of MS-PSRP 2.2.5.1. */
export const PRIMITIVE_TAGS = [
  'S',
  'C',
  'B',
  'DT',
  'TS',
  'By',
  'SB',
  'U16',
  'I16',
  'U32',
  'I32',
  'U64',
  'I64',
  'Sg',
  'Db',
  'D',
  'BA',
  'G',
  'URI',
  'Version',
  'XD',
  'SBK',
  'SS',
  'Nil',
] as const;
export type PrimitiveTag = (typeof PRIMITIVE_TAGS)[number];

/** A primitive kept with its element name: `DT 2024-01-01T00:00:00Z`, `G <guid>`, `Version 2.3`, `SS <base64>`… */
export class PsScalar {
  constructor(
    readonly tag: Exclude<PrimitiveTag, 'Nil'>,
    /** The value as CLIXML writes it, after `_xHHHH_` decoding for string-like tags. */
    readonly text: string,
  ) {}

  toString(): string {
    return this.tag === 'C' ? String.fromCharCode(Number(this.text)) : this.text;
  }
}

export type PsValue = null | string | boolean | number | bigint | Uint8Array | PsScalar | PsObject;

/** The container an object carries (MS-PSRP 2.2.5.2.6): list, enumerable, stack, queue, dictionary. */
export type ContainerKind = 'LST' | 'IE' | 'STK' | 'QUE' | 'DCT';

/**
 * A complex object (MS-PSRP 2.2.5.2): type names (most derived first), ToString, an optional primitive
 * payload (enums carry their I32), adapted properties (`Props`), extended properties (`MS`), and at most
 * one container. Property maps keep the order the peer wrote.
 */
export class PsObject {
  typeNames: string[];
  toStringText: string | undefined;
  /** The primitive inside the object (an enum's value, a string wrapped with extra properties). */
  value: PsValue | undefined;
  readonly adapted = new Map<string, PsValue>();
  readonly extended = new Map<string, PsValue>();
  container: ContainerKind | undefined;
  /** Items of LST / IE / STK / QUE. */
  items: PsValue[] = [];
  /** Entries of DCT. */
  entries: Array<[PsValue, PsValue]> = [];

  constructor(init: { typeNames?: string[]; toStringText?: string; value?: PsValue } = {}) {
    this.typeNames = init.typeNames ?? [];
    this.toStringText = init.toStringText;
    this.value = init.value;
  }

  /** A property from the extended bag, else the adapted one (as PowerShell's member lookup). */
  get(name: string): PsValue | undefined {
    return this.extended.has(name) ? this.extended.get(name) : this.adapted.get(name);
  }

  /** True when any type name is `name` or its round-tripped `Deserialized.name` form. */
  isType(name: string): boolean {
    return this.typeNames.some((t) => t === name || t === `Deserialized.${name}`);
  }

  toString(): string {
    if (this.toStringText !== undefined) return this.toStringText;
    if (this.value !== undefined && this.value !== null) return String(this.value);
    return this.typeNames[0] ?? '';
  }
}

/** Type names PowerShell writes for the collections it serializes. */
export const TYPE_NAMES = {
  hashtable: ['System.Collections.Hashtable', 'System.Object'],
  objectArray: ['System.Object[]', 'System.Array', 'System.Object'],
  arrayList: ['System.Collections.ArrayList', 'System.Object'],
  psCustomObject: ['System.Management.Automation.PSCustomObject', 'System.Object'],
  primitiveDictionary: ['System.Management.Automation.PSPrimitiveDictionary', 'System.Collections.Hashtable', 'System.Object'],
  psObjectList: [
    'System.Collections.Generic.List`1[[System.Management.Automation.PSObject, System.Management.Automation, Version=1.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35]]',
    'System.Object',
  ],
} as const;

/** An enum value as PowerShell serializes it: TN [EnumType, System.Enum, System.ValueType, System.Object], ToString name, I32 value. */
export function psEnum(typeName: string, name: string, value: number): PsObject {
  return new PsObject({ typeNames: [typeName, 'System.Enum', 'System.ValueType', 'System.Object'], toStringText: name, value });
}

/** A list object (LST) with the given type names. */
export function psList(items: PsValue[], typeNames: readonly string[] = TYPE_NAMES.objectArray): PsObject {
  const o = new PsObject({ typeNames: [...typeNames] });
  o.container = 'LST';
  o.items = items;
  return o;
}

/** A dictionary object (DCT), a Hashtable unless other type names are given. */
export function psDictionary(entries: Array<[PsValue, PsValue]>, typeNames: readonly string[] = TYPE_NAMES.hashtable): PsObject {
  const o = new PsObject({ typeNames: [...typeNames] });
  o.container = 'DCT';
  o.entries = entries;
  return o;
}

/** An object whose properties are all extended (`MS`): a PSCustomObject, or a property bag with no type names. */
export function psPropertyBag(properties: Record<string, PsValue>, typeNames: readonly string[] = []): PsObject {
  const o = new PsObject({ typeNames: [...typeNames] });
  for (const [k, v] of Object.entries(properties)) o.extended.set(k, v);
  return o;
}

/** A string property of an object, or undefined when absent or not a string. */
export function stringProperty(obj: PsValue | undefined, name: string): string | undefined {
  if (!(obj instanceof PsObject)) return undefined;
  const v = obj.get(name);
  if (typeof v === 'string') return v;
  if (v instanceof PsScalar) return v.toString();
  if (v instanceof PsObject) return v.toString();
  return undefined;
}

/** A numeric property (I32 or an enum's value), or undefined. */
export function numberProperty(obj: PsValue | undefined, name: string): number | undefined {
  if (!(obj instanceof PsObject)) return undefined;
  const v = obj.get(name);
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof PsObject && typeof v.value === 'number') return v.value;
  return undefined;
}

/**
 * A deserialized value as plain JSON-like data (for output a caller prints or compares): objects
 * become records of their properties, dictionaries records of their keys, lists arrays, scalars text.
 */
export function toPlain(value: PsValue | undefined): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof PsScalar) return value.toString();
  if (!(value instanceof PsObject)) return value;
  if (value.container === 'DCT') return Object.fromEntries(value.entries.map(([k, v]) => [String(toPlain(k)), toPlain(v)]));
  if (value.container) return value.items.map(toPlain);
  if (value.adapted.size === 0 && value.extended.size === 0) return value.value !== undefined ? toPlain(value.value) : value.toString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of value.adapted) out[k] = toPlain(v);
  for (const [k, v] of value.extended) out[k] = toPlain(v);
  return out;
}
