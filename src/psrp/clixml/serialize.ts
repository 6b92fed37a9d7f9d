import { PsrpError } from '../errors';
import { encodeCliString } from './string-escape';
import { PsObject, PsScalar, TYPE_NAMES, psDictionary, psList, type PsValue } from './values';
import { escapeXml } from './xml-tree';

/**
 * Writes one value as CLIXML (MS-PSRP 2.2.5), the way PowerShell does: objects get RefIds, type-name
 * lists get their own RefIds and are referred to with TNRef when repeated, an object met again
 * (shared or cyclic) is written as Ref.
 */
export function serializeClixml(value: PsValue): string {
  return new Writer().element(value);
}

const ESCAPED_TEXT = new Set<string>(['S', 'URI', 'XD', 'SBK']);
const I32_MIN = -2147483648;
const I32_MAX = 2147483647;

class Writer {
  private readonly objectIds = new Map<PsObject, number>();
  private readonly typeNameIds = new Map<string, number>();

  element(value: PsValue, name?: string): string {
    const n = name === undefined ? '' : ` N="${escapeXml(encodeCliString(name))}"`;
    if (value === null) return `<Nil${n} />`;
    if (typeof value === 'string') return `<S${n}>${escapeXml(encodeCliString(value))}</S>`;
    if (typeof value === 'boolean') return `<B${n}>${value}</B>`;
    if (typeof value === 'bigint') return `<I64${n}>${value}</I64>`;
    if (typeof value === 'number') {
      if (Number.isInteger(value) && value >= I32_MIN && value <= I32_MAX && !Object.is(value, -0)) return `<I32${n}>${value}</I32>`;
      return `<Db${n}>${formatDouble(value)}</Db>`;
    }
    if (value instanceof Uint8Array) return `<BA${n}>${Buffer.from(value).toString('base64')}</BA>`;
    if (value instanceof PsScalar) {
      const text = ESCAPED_TEXT.has(value.tag) ? encodeCliString(value.text) : value.text;
      return `<${value.tag}${n}>${escapeXml(text)}</${value.tag}>`;
    }
    return this.object(value, n);
  }

  private object(obj: PsObject, n: string): string {
    const seen = this.objectIds.get(obj);
    if (seen !== undefined) return `<Ref${n} RefId="${seen}" />`;
    const id = this.objectIds.size;
    this.objectIds.set(obj, id);
    let out = `<Obj${n} RefId="${id}">`;
    if (obj.typeNames.length > 0) {
      const key = obj.typeNames.join('\n');
      const tn = this.typeNameIds.get(key);
      if (tn !== undefined) out += `<TNRef RefId="${tn}" />`;
      else {
        const tnId = this.typeNameIds.size;
        this.typeNameIds.set(key, tnId);
        out += `<TN RefId="${tnId}">${obj.typeNames.map((t) => `<T>${escapeXml(encodeCliString(t))}</T>`).join('')}</TN>`;
      }
    }
    if (obj.toStringText !== undefined) out += `<ToString>${escapeXml(encodeCliString(obj.toStringText))}</ToString>`;
    if (obj.value !== undefined) out += this.element(obj.value);
    if (obj.adapted.size > 0) out += `<Props>${this.bag(obj.adapted)}</Props>`;
    if (obj.container === 'DCT') {
      out += `<DCT>${obj.entries.map(([k, v]) => `<En>${this.element(k, 'Key')}${this.element(v, 'Value')}</En>`).join('')}</DCT>`;
    } else if (obj.container) {
      out += `<${obj.container}>${obj.items.map((i) => this.element(i)).join('')}</${obj.container}>`;
    }
    if (obj.extended.size > 0) out += `<MS>${this.bag(obj.extended)}</MS>`;
    return `${out}</Obj>`;
  }

  private bag(bag: Map<string, PsValue>): string {
    let out = '';
    for (const [k, v] of bag) out += this.element(v, k);
    return out;
  }
}

/** XmlConvert.ToString(double): INF, -INF, NaN, else round-trip text. */
function formatDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'INF';
  if (value === -Infinity) return '-INF';
  return Object.is(value, -0) ? '-0' : String(value).replace('e+', 'E+').replace('e-', 'E-');
}

/** What callers may hand as pipeline input or arguments: PSRP values plus plain arrays, Maps and records. */
export type PsInput = PsValue | undefined | readonly PsInput[] | ReadonlyMap<PsInput, PsInput> | { readonly [key: string]: PsInput };

/**
 * Turns plain JavaScript data into PSRP values: arrays become `System.Object[]`, Maps and plain
 * records become Hashtables (what a script receives for `@{…}`), undefined becomes Nil.
 */
export function toPsValue(input: PsInput, depth = 0): PsValue {
  if (depth > 64) throw new PsrpError('limit', 'input nested deeper than 64 levels');
  if (input === undefined) return null;
  if (
    input === null ||
    typeof input === 'string' ||
    typeof input === 'boolean' ||
    typeof input === 'number' ||
    typeof input === 'bigint' ||
    input instanceof Uint8Array ||
    input instanceof PsScalar ||
    input instanceof PsObject
  ) {
    return input;
  }
  if (Array.isArray(input))
    return psList(
      input.map((i: PsInput) => toPsValue(i, depth + 1)),
      TYPE_NAMES.objectArray,
    );
  if (input instanceof Map) {
    return psDictionary([...input].map(([k, v]: [PsInput, PsInput]) => [toPsValue(k, depth + 1), toPsValue(v, depth + 1)]));
  }
  if (typeof input === 'object') {
    return psDictionary(Object.entries(input as Record<string, PsInput>).map(([k, v]) => [k, toPsValue(v, depth + 1)]));
  }
  throw new PsrpError('clixml', `cannot serialize a ${typeof input}`);
}
