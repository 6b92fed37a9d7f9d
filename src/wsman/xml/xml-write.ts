/**
 * Building XML text. Elements are written with the prefixes the caller names (declared once on the
 * root), which keeps our requests and the emulator's responses byte-comparable with recorded traffic.
 */
import { timed } from '../../common/profile';

export interface XmlNodeSpec {
  /** Qualified name as written, e.g. 's:Envelope' or 'PlugInConfiguration'. */
  readonly name: string;
  /** Attributes in write order; undefined values are omitted. */
  readonly attrs?: ReadonlyArray<readonly [string, string | undefined]>;
  /** Child nodes, or character data. */
  readonly children?: ReadonlyArray<XmlNodeSpec | string>;
}

function escapeText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"\r\n\t]/g, (c) => ATTR_ESCAPES[c] ?? c);
}

const ATTR_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\r': '&#13;',
  '\n': '&#10;',
  '\t': '&#9;',
};

/** Shorthand constructor for an element spec. */
export function el(
  name: string,
  attrs?: ReadonlyArray<readonly [string, string | undefined]> | null,
  ...children: ReadonlyArray<XmlNodeSpec | string | undefined | null | false>
): XmlNodeSpec {
  return {
    name,
    attrs: attrs ?? undefined,
    children: children.filter((c): c is XmlNodeSpec | string => c !== undefined && c !== null && c !== false),
  };
}

export function writeXml(node: XmlNodeSpec | string): string {
  return timed('xml', () => writeNode(node));
}

function writeNode(node: XmlNodeSpec | string): string {
  if (typeof node === 'string') return escapeText(node);
  let out = `<${node.name}`;
  for (const [k, v] of node.attrs ?? []) if (v !== undefined) out += ` ${k}="${escapeAttr(v)}"`;
  const kids = node.children ?? [];
  if (kids.length === 0) return `${out}/>`;
  out += '>';
  for (const c of kids) out += writeNode(c);
  return `${out}</${node.name}>`;
}
