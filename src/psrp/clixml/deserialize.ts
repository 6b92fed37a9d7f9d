import { PsrpError } from '../errors';
import { decodeCliString } from './string-escape';
import { PRIMITIVE_TAGS, PsObject, PsScalar, type ContainerKind, type PrimitiveTag, type PsValue } from './values';
import { parseXmlTree, type XmlNode, type XmlTreeLimits } from './xml-tree';

/** Bounds on one CLIXML document. */
export interface ClixmlLimits extends XmlTreeLimits {
  /**
   * Values reachable once `Ref`s are followed. Refs share objects, so a few kilobytes of `<Ref>` could
   * describe exponentially many values to anyone walking them; this caps the walk.
   */
  readonly maxExpandedValues: number;
}

export const DEFAULT_CLIXML_LIMITS: ClixmlLimits = {
  maxChars: 64 * 1024 * 1024,
  maxDepth: 100,
  maxElements: 2_000_000,
  maxExpandedValues: 4_000_000,
};

const INTEGER_RANGES: Partial<Record<PrimitiveTag, readonly [bigint, bigint]>> = {
  By: [0n, 255n],
  SB: [-128n, 127n],
  U16: [0n, 65535n],
  I16: [-32768n, 32767n],
  U32: [0n, 4294967295n],
  I32: [-2147483648n, 2147483647n],
  U64: [0n, 18446744073709551615n],
  I64: [-9223372036854775808n, 9223372036854775807n],
};

const PRIMITIVES = new Set<string>(PRIMITIVE_TAGS);
const CONTAINERS = new Set<string>(['LST', 'IE', 'STK', 'QUE', 'DCT']);
/** Tags whose text .NET writes through EncodeString. */
const ESCAPED_TEXT = new Set<string>(['S', 'URI', 'XD', 'SBK']);

/** Reads one CLIXML value (the Data of a PSRP message, or any single element). */
export function deserializeClixml(xml: string, limits: ClixmlLimits = DEFAULT_CLIXML_LIMITS): PsValue {
  const root = parseXmlTree(xml, limits);
  return new Reader(limits).value(root);
}

class Reader {
  private readonly objects = new Map<string, { obj: PsObject; weight: number; done: boolean }>();
  private readonly typeNames = new Map<string, string[]>();
  private expanded = 0;

  constructor(private readonly limits: ClixmlLimits) {}

  value(node: XmlNode): PsValue {
    return this.read(node).value;
  }

  private count(weight: number): void {
    this.expanded += weight;
    if (this.expanded > this.limits.maxExpandedValues) {
      throw new PsrpError('limit', `CLIXML expands to more than ${this.limits.maxExpandedValues} values`);
    }
  }

  /** A value and its weight: how many values it stands for once Refs are followed. */
  private read(node: XmlNode): { value: PsValue; weight: number } {
    if (node.name === 'Obj') return this.object(node);
    if (node.name === 'Ref') {
      const id = required(node, 'RefId');
      const target = this.objects.get(id);
      if (!target) throw new PsrpError('clixml', `Ref to unknown RefId ${id}`);
      if (!target.done) throw new PsrpError('clixml', `Ref ${id} points at an object that contains it`);
      this.count(target.weight);
      return { value: target.obj, weight: target.weight };
    }
    this.count(1);
    return { value: primitive(node), weight: 1 };
  }

  private object(node: XmlNode): { value: PsObject; weight: number } {
    this.count(1);
    const obj = new PsObject();
    const refId = node.attributes['RefId'];
    const entry = { obj, weight: 1, done: false };
    if (refId !== undefined) {
      if (this.objects.has(refId)) throw new PsrpError('clixml', `RefId ${refId} is defined twice`);
      this.objects.set(refId, entry);
    }
    let weight = 1;
    const add = (node: XmlNode): PsValue => {
      const r = this.read(node);
      weight += r.weight;
      return r.value;
    };
    for (const c of node.children) {
      switch (c.name) {
        case 'TN':
          obj.typeNames = this.typeNameList(c);
          break;
        case 'TNRef': {
          const id = required(c, 'RefId');
          const names = this.typeNames.get(id);
          if (!names) throw new PsrpError('clixml', `TNRef to unknown RefId ${id}`);
          obj.typeNames = [...names];
          break;
        }
        case 'ToString':
          obj.toStringText = decodeCliString(c.text);
          break;
        case 'Props':
        case 'MS': {
          const bag = c.name === 'Props' ? obj.adapted : obj.extended;
          for (const p of c.children) bag.set(decodeCliString(p.attributes['N'] ?? ''), add(p));
          break;
        }
        default:
          if (CONTAINERS.has(c.name)) {
            if (obj.container) throw new PsrpError('clixml', `object holds both ${obj.container} and ${c.name}`);
            obj.container = c.name as ContainerKind;
            if (c.name === 'DCT') {
              for (const en of c.children) {
                if (en.name !== 'En') throw new PsrpError('clixml', `DCT holds <${en.name}>, not <En>`);
                const key = en.children.find((k) => k.attributes['N'] === 'Key');
                const value = en.children.find((k) => k.attributes['N'] === 'Value');
                if (!key) throw new PsrpError('clixml', 'dictionary entry without a Key');
                obj.entries.push([add(key), value ? add(value) : null]);
              }
            } else {
              for (const item of c.children) obj.items.push(add(item));
            }
          } else if (PRIMITIVES.has(c.name) || c.name === 'Obj' || c.name === 'Ref') {
            obj.value = add(c);
          } else {
            throw new PsrpError('clixml', `unknown element <${c.name}> in an object`);
          }
      }
    }
    entry.weight = weight;
    entry.done = true;
    return { value: obj, weight };
  }

  private typeNameList(node: XmlNode): string[] {
    const names = node.children.map((t) => {
      if (t.name !== 'T') throw new PsrpError('clixml', `TN holds <${t.name}>, not <T>`);
      return decodeCliString(t.text);
    });
    const id = node.attributes['RefId'];
    if (id !== undefined) this.typeNames.set(id, names);
    return names;
  }
}

function required(node: XmlNode, name: string): string {
  const v = node.attributes[name];
  if (v === undefined) throw new PsrpError('clixml', `<${node.name}> lacks ${name}`);
  return v;
}

function primitive(node: XmlNode): PsValue {
  const tag = node.name;
  if (!PRIMITIVES.has(tag)) throw new PsrpError('clixml', `unknown CLIXML element <${tag}>`);
  if (node.children.length > 0) throw new PsrpError('clixml', `<${tag}> holds elements`);
  const text = node.text;
  switch (tag as PrimitiveTag) {
    case 'Nil':
      return null;
    case 'S':
      return decodeCliString(text);
    case 'B':
      if (text.trim() === 'true') return true;
      if (text.trim() === 'false') return false;
      throw new PsrpError('clixml', `<B> holds ${JSON.stringify(text.slice(0, 20))}`);
    case 'Db':
    case 'Sg':
      return floating(text, tag);
    case 'BA':
      return base64(text);
    case 'I64':
    case 'U64':
      return integer(text, tag);
    case 'By':
    case 'SB':
    case 'U16':
    case 'I16':
    case 'U32':
    case 'I32':
      return Number(integer(text, tag));
    case 'C':
      return new PsScalar('C', String(Number(integer(text, 'U16'))));
    default:
      return new PsScalar(tag as Exclude<PrimitiveTag, 'Nil'>, ESCAPED_TEXT.has(tag) ? decodeCliString(text) : text.trim());
  }
}

function integer(text: string, tag: string): bigint {
  const t = text.trim();
  if (!/^[+-]?\d{1,20}$/.test(t)) throw new PsrpError('clixml', `<${tag}> holds ${JSON.stringify(t.slice(0, 30))}, not an integer`);
  const n = BigInt(t);
  const range = INTEGER_RANGES[tag as PrimitiveTag];
  if (range && (n < range[0] || n > range[1])) throw new PsrpError('clixml', `<${tag}> value ${t} is out of range`);
  return n;
}

function floating(text: string, tag: string): number {
  const t = text.trim();
  // XmlConvert writes INF / -INF / NaN.
  if (t === 'INF' || t === 'Infinity') return Infinity;
  if (t === '-INF' || t === '-Infinity') return -Infinity;
  if (t === 'NaN') return NaN;
  const n = Number(t);
  if (t === '' || Number.isNaN(n)) throw new PsrpError('clixml', `<${tag}> holds ${JSON.stringify(t.slice(0, 30))}, not a number`);
  return n;
}

function base64(text: string): Buffer {
  const t = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 !== 0) throw new PsrpError('clixml', '<BA> is not base64');
  return Buffer.from(t, 'base64');
}
