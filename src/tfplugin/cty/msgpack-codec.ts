/**
 * cty values <-> terraform's msgpack DynamicValue encoding, driven by the type (go-cty cty/msgpack):
 * null = nil; unknown = ext 0 (or ext 12 carrying refinements); numbers as int, float64 or decimal
 * string; dynamic = [bin(type JSON), value]; objects carry exactly their attributes.
 */
import { CtyCodecError, underStep } from './codec-error';
import { asInt64, BigNumber, numberFromBigInt, numberFromText, type CtyNumber } from './number';
import { MsgpackReader, MsgpackWriter, type Token } from './msgpack-wire';
import { typeFromJson, typeToJson, type CtyType } from './types';
import { Dynamic, isRecord, mapValue, Unknown, unknown, type Refinements, type Value } from './values';

const REFINED_UNKNOWN_EXT = 12;
// cty's refinement keys (go-cty cty/msgpack/unknown.go); plain numbers, as they arrive on the wire.
const Refinement = {
  Nullness: 1,
  StringPrefix: 2,
  NumberLower: 3,
  NumberUpper: 4,
  LengthMin: 5,
  LengthMax: 6,
} as const;

// ---- decoding ------------------------------------------------------------------------------------

export function decodeMsgpack(bytes: Uint8Array, type: CtyType): Value {
  const r = new MsgpackReader(bytes);
  const v = read(r, type);
  if (!r.done) throw new CtyCodecError('trailing bytes after value', '');
  return v;
}

// Errors are thrown with the path of the value at hand ('') and get their steps on the way out (underStep).
const at = '';

function read(r: MsgpackReader, type: CtyType): Value {
  const tok = r.next();
  if (tok.kind === 'nil') return null;
  if (tok.kind === 'ext') return readUnknown(tok, at);
  if (type === 'dynamic') {
    if (expect(tok, 'array', at).length !== 2) throw new CtyCodecError('dynamic value must be a [type, value] pair', at);
    const typeTok = r.next();
    if (typeTok.kind !== 'bin' && typeTok.kind !== 'str') throw new CtyCodecError('dynamic value type must be JSON bytes', at);
    const text = typeTok.kind === 'str' ? typeTok.value : Buffer.from(typeTok.value).toString('utf8');
    const concrete = typeFromJson(JSON.parse(text));
    return new Dynamic(concrete, read(r, concrete));
  }
  if (type === 'string') return expect(tok, 'str', at).value;
  if (type === 'bool') return expect(tok, 'bool', at).value;
  if (type === 'number') return readNumber(tok, at);
  switch (type[0]) {
    case 'list':
    case 'set': {
      const n = expect(tok, 'array', at).length;
      const out: Value[] = [];
      for (let i = 0; i < n; i++) {
        try {
          out.push(read(r, type[1]));
        } catch (e) {
          throw underStep(e, `[${i}]`);
        }
      }
      return out;
    }
    case 'tuple': {
      const n = expect(tok, 'array', at).length;
      if (n !== type[1].length) throw new CtyCodecError(`tuple needs ${type[1].length} elements (${n} given)`, at);
      return type[1].map((et, i) => {
        try {
          return read(r, et);
        } catch (e) {
          throw underStep(e, `[${i}]`);
        }
      });
    }
    case 'map': {
      const n = expect(tok, 'map', at).length;
      const entries: [string, Value][] = [];
      for (let i = 0; i < n; i++) {
        const key = expect(r.next(), 'str', at).value;
        try {
          entries.push([key, read(r, type[1])]);
        } catch (e) {
          throw underStep(e, `[${JSON.stringify(key)}]`);
        }
      }
      return mapValue(entries);
    }
    case 'object': {
      const attrs = type[1];
      const n = expect(tok, 'map', at).length;
      const names = attributeNames(attrs);
      if (n !== names.length) throw new CtyCodecError(`an object with ${names.length} attributes is required (${n} given)`, at);
      const out: Record<string, Value> = {};
      for (let i = 0; i < n; i++) {
        const name = expect(r.next(), 'str', at).value;
        if (!Object.prototype.hasOwnProperty.call(attrs, name))
          throw new CtyCodecError(`unsupported attribute ${JSON.stringify(name)}`, at);
        try {
          out[name] = read(r, attrs[name]!);
        } catch (e) {
          throw underStep(e, `.${name}`);
        }
      }
      return out;
    }
  }
}

function expect<K extends Token['kind']>(tok: Token, kind: K, at: string): Extract<Token, { kind: K }> {
  if (tok.kind !== kind) throw new CtyCodecError(`expected msgpack ${kind}, got ${tok.kind}`, at);
  return tok as Extract<Token, { kind: K }>;
}

function readNumber(tok: Token, at: string): CtyNumber {
  switch (tok.kind) {
    case 'int':
      return typeof tok.value === 'bigint' ? numberFromBigInt(tok.value) : tok.value;
    case 'float':
      return tok.value;
    case 'str':
      return numberFromText(tok.value);
    default:
      throw new CtyCodecError(`expected a number, got msgpack ${tok.kind}`, at);
  }
}

/** Any ext of at most one byte is a plain unknown; ext 12 carries refinements (kept, so they round-trip). */
function readUnknown(tok: Extract<Token, { kind: 'ext' }>, at: string): Unknown {
  if (tok.data.length <= 1) return unknown;
  if (tok.type !== REFINED_UNKNOWN_EXT) throw new CtyCodecError(`unsupported msgpack extension ${tok.type}`, at);
  const r = new MsgpackReader(tok.data);
  const n = expect(r.next(), 'map', at).length;
  const refinements: { -readonly [K in keyof Refinements]: Refinements[K] } = {};
  const bound = (): readonly [CtyNumber, boolean] => {
    if (expect(r.next(), 'array', at).length !== 2) throw new CtyCodecError('number bound must be [number, inclusive]', at);
    return [readNumber(r.next(), at), expect(r.next(), 'bool', at).value];
  };
  const int = (): number => Number(expect(r.next(), 'int', at).value);
  for (let i = 0; i < n; i++) {
    const key = Number(expect(r.next(), 'int', at).value);
    switch (key) {
      case Refinement.Nullness:
        refinements.nullable = expect(r.next(), 'bool', at).value;
        break;
      case Refinement.StringPrefix:
        refinements.stringPrefix = expect(r.next(), 'str', at).value;
        break;
      case Refinement.NumberLower:
        refinements.numberLower = bound();
        break;
      case Refinement.NumberUpper:
        refinements.numberUpper = bound();
        break;
      case Refinement.LengthMin:
        refinements.lengthMin = int();
        break;
      case Refinement.LengthMax:
        refinements.lengthMax = int();
        break;
      default:
        skipValue(r, at); // refinements this codec does not know are ignored, as cty does
    }
  }
  return Object.keys(refinements).length ? new Unknown(refinements) : unknown;
}

function skipValue(r: MsgpackReader, at: string): void {
  const tok = r.next();
  if (tok.kind === 'array') for (let i = 0; i < tok.length; i++) skipValue(r, at);
  if (tok.kind === 'map') for (let i = 0; i < tok.length * 2; i++) skipValue(r, at);
}

// ---- encoding ------------------------------------------------------------------------------------

export function encodeMsgpack(value: Value, type: CtyType): Uint8Array {
  const w = new MsgpackWriter();
  write(w, value, type);
  return w.finish();
}

function write(w: MsgpackWriter, v: Value, type: CtyType): void {
  if (v === null) return void w.nil();
  if (v instanceof Unknown) return writeUnknown(w, v);
  if (type === 'dynamic') {
    if (!(v instanceof Dynamic)) throw new CtyCodecError('a dynamic attribute needs a Dynamic value (type and value)', at);
    if (v.value === null || v.value instanceof Unknown) return write(w, v.value, v.type);
    w.array(2).bin(Buffer.from(typeToJson(v.type), 'utf8'));
    return write(w, v.value, v.type);
  }
  if (type === 'string') {
    if (typeof v !== 'string') throw mismatch(v, 'a string', at);
    return void w.str(v);
  }
  if (type === 'bool') {
    if (typeof v !== 'boolean') throw mismatch(v, 'a bool', at);
    return void w.bool(v);
  }
  if (type === 'number') {
    if (typeof v !== 'number' && !(v instanceof BigNumber)) throw mismatch(v, 'a number', at);
    return writeNumber(w, v, at);
  }
  switch (type[0]) {
    case 'list':
    case 'set':
    case 'tuple': {
      if (!Array.isArray(v)) throw mismatch(v, 'an array', at);
      const items = v as readonly Value[];
      if (type[0] === 'tuple' && items.length !== type[1].length) throw new CtyCodecError(`tuple needs ${type[1].length} elements`, at);
      w.array(items.length);
      for (let i = 0; i < items.length; i++) {
        try {
          write(w, items[i]!, type[0] === 'tuple' ? type[1][i]! : type[1]);
        } catch (e) {
          throw underStep(e, `[${i}]`);
        }
      }
      return;
    }
    case 'map': {
      if (!isRecord(v)) throw mismatch(v, 'a map record', at);
      const rec = v;
      const keys = Object.keys(rec);
      w.map(keys.length);
      for (const k of keys) {
        w.str(k);
        try {
          write(w, rec[k]!, type[1]);
        } catch (e) {
          throw underStep(e, `[${JSON.stringify(k)}]`);
        }
      }
      return;
    }
    case 'object': {
      if (!isRecord(v)) throw mismatch(v, 'an object record', at);
      const rec = v;
      const attrs = type[1];
      const names = attributeNames(attrs);
      if (Object.keys(rec).length !== names.length) {
        for (const k of Object.keys(rec))
          if (!Object.prototype.hasOwnProperty.call(attrs, k)) throw new CtyCodecError(`unsupported attribute ${JSON.stringify(k)}`, at);
      }
      w.map(names.length);
      for (const name of names) {
        const item = rec[name];
        if (item === undefined) throw new CtyCodecError(`missing attribute ${JSON.stringify(name)} (use null)`, at);
        w.str(name);
        try {
          write(w, item, attrs[name]!);
        } catch (e) {
          throw underStep(e, `.${name}`);
        }
      }
      return;
    }
  }
}

/** An object type's attribute names in the order go-cty writes them (sorted), computed once per type. */
const sortedNames = new WeakMap<object, readonly string[]>();
function attributeNames(attrs: Readonly<Record<string, CtyType>>): readonly string[] {
  let names = sortedNames.get(attrs);
  if (!names) sortedNames.set(attrs, (names = Object.keys(attrs).sort()));
  return names;
}

function mismatch(v: Value, what: string, at: string): CtyCodecError {
  const got = Array.isArray(v) ? 'an array' : v instanceof Dynamic ? 'a Dynamic' : v instanceof BigNumber ? 'a BigNumber' : typeof v;
  return new CtyCodecError(`expected ${what}, got ${got}`, at);
}

function writeNumber(w: MsgpackWriter, n: CtyNumber, at: string): void {
  if (typeof n === 'number' && Number.isNaN(n)) throw new CtyCodecError('NaN is not a cty number', at);
  const int = asInt64(n);
  if (int !== undefined) w.int(int);
  else if (typeof n === 'number') w.float64(n);
  else w.str(n.text);
}

function writeUnknown(w: MsgpackWriter, u: Unknown): void {
  const r = u.refinements;
  const entries: [(typeof Refinement)[keyof typeof Refinement], (x: MsgpackWriter) => void][] = [];
  const bound = (b: readonly [CtyNumber, boolean]) => (x: MsgpackWriter) => {
    writeNumber(x.array(2), b[0], '');
    x.bool(b[1]);
  };
  if (r?.nullable !== undefined) entries.push([Refinement.Nullness, (x) => x.bool(r.nullable!)]);
  if (r?.stringPrefix !== undefined) entries.push([Refinement.StringPrefix, (x) => x.str(r.stringPrefix!)]);
  if (r?.numberLower) entries.push([Refinement.NumberLower, bound(r.numberLower)]);
  if (r?.numberUpper) entries.push([Refinement.NumberUpper, bound(r.numberUpper)]);
  if (r?.lengthMin !== undefined) entries.push([Refinement.LengthMin, (x) => x.int(BigInt(r.lengthMin!))]);
  if (r?.lengthMax !== undefined) entries.push([Refinement.LengthMax, (x) => x.int(BigInt(r.lengthMax!))]);
  if (!entries.length) return void w.ext(0, Uint8Array.of(0));
  const payload = new MsgpackWriter().map(entries.length);
  for (const [key, put] of entries) put(payload.int(BigInt(key)));
  w.ext(REFINED_UNKNOWN_EXT, payload.finish());
}
