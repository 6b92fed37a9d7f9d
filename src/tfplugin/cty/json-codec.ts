/**
 * cty values from terraform's JSON encoding (UpgradeResourceState raw_state.json, go-cty cty/json):
 * numbers are arbitrary-precision decimals, so the parser keeps their text instead of rounding to a
 * double; dynamic values are {"value": …, "type": …}.
 */
import { CtyCodecError } from './codec-error';
import { numberFromText } from './number';
import { typeFromJson, type CtyType } from './types';
import { Dynamic, mapValue, type Value } from './values';

/** A parsed JSON document whose numbers are kept as their source text. */
export type Json = null | boolean | string | JsonNumber | Json[] | { [key: string]: Json };
export class JsonNumber {
  constructor(readonly text: string) {}
}

export function parseJson(text: string): Json {
  let pos = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`JSON: ${what} at offset ${pos}`);
  };
  const ws = (): void => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos]!)) pos++;
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  // RFC 8259 section 7: control characters must be escaped inside a string.
  // eslint-disable-next-line no-control-regex
  const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
  const value = (): Json => {
    ws();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const out = mapValue<Json>([]);
      ws();
      if (text[pos] === '}') return (pos++, out);
      for (;;) {
        ws();
        const key = value();
        if (typeof key !== 'string') fail('object key must be a string');
        ws();
        if (text[pos++] !== ':') fail("expected ':'");
        out[key as string] = value();
        ws();
        const sep = text[pos++];
        if (sep === '}') return out;
        if (sep !== ',') fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      pos++;
      const out: Json[] = [];
      ws();
      if (text[pos] === ']') return (pos++, out);
      for (;;) {
        out.push(value());
        ws();
        const sep = text[pos++];
        if (sep === ']') return out;
        if (sep !== ',') fail("expected ',' or ']'");
      }
    }
    if (c === '"') {
      STRING.lastIndex = pos;
      const m = STRING.exec(text) ?? fail('bad string');
      pos += m[0].length;
      return JSON.parse(m[0]) as string;
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, pos)) return ((pos += word.length), v);
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text) ?? fail('unexpected character');
    pos += m[0].length;
    return new JsonNumber(m[0]);
  };
  const out = value();
  ws();
  if (pos !== text.length) fail('trailing characters');
  return out;
}

/**
 * A JSON document (as parseJson returns it) read as a value of the given type. `lenient` reads stored
 * state written by an older schema: missing object attributes become null, unknown ones are dropped.
 */
export function decodeJson(json: Json, type: CtyType, lenient = false, at = ''): Value {
  if (json === null) return null;
  const bad = (what: string): never => {
    throw new CtyCodecError(`expected ${what} in JSON`, at);
  };
  if (type === 'dynamic') {
    if (!isObject(json) || !('value' in json) || !('type' in json)) return bad('a {"value", "type"} object for a dynamic value');
    const concrete = typeFromJson(plain(json.type));
    return new Dynamic(concrete, decodeJson(json.value, concrete, lenient, at));
  }
  if (type === 'string') return typeof json === 'string' ? json : bad('a string');
  if (type === 'bool') return typeof json === 'boolean' ? json : bad('a bool');
  if (type === 'number') {
    // cty's JSON decoder also accepts numbers written as strings.
    if (json instanceof JsonNumber) return numberFromText(json.text);
    return typeof json === 'string' ? numberFromText(json) : bad('a number');
  }
  switch (type[0]) {
    case 'list':
    case 'set':
      return Array.isArray(json) ? json.map((j, i) => decodeJson(j, type[1], lenient, `${at}[${i}]`)) : bad('an array');
    case 'tuple':
      if (!Array.isArray(json) || json.length !== type[1].length) return bad(`an array of ${type[1].length}`);
      return type[1].map((et, i) => decodeJson(json[i]!, et, lenient, `${at}[${i}]`));
    case 'map':
      if (!isObject(json)) return bad('an object');
      return mapValue(Object.entries(json).map(([k, j]) => [k, decodeJson(j, type[1], lenient, `${at}[${JSON.stringify(k)}]`)] as const));
    case 'object': {
      if (!isObject(json)) return bad('an object');
      const out: Record<string, Value> = {};
      if (!lenient) {
        for (const name of Object.keys(json))
          if (!(name in type[1])) throw new CtyCodecError(`unsupported attribute ${JSON.stringify(name)}`, at);
      }
      for (const [name, attrType] of Object.entries(type[1])) {
        if (!(name in json) && !lenient) throw new CtyCodecError(`missing attribute ${JSON.stringify(name)}`, at);
        out[name] = name in json ? decodeJson(json[name]!, attrType, lenient, `${at}.${name}`) : null;
      }
      return out;
    }
  }
}

function isObject(j: Json): j is { [key: string]: Json } {
  return j !== null && typeof j === 'object' && !Array.isArray(j) && !(j instanceof JsonNumber);
}

/** Back to ordinary JSON values (for type descriptions, which hold no numbers). */
function plain(j: Json): unknown {
  if (j instanceof JsonNumber) return Number(j.text);
  if (Array.isArray(j)) return j.map(plain);
  if (isObject(j)) return Object.fromEntries(Object.entries(j).map(([k, v]) => [k, plain(v)]));
  return j;
}
