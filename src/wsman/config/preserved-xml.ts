/**
 * Keeping what a typed model does not own. WinRM documents grow attributes and elements across Windows
 * versions; a Get → modify → Put cycle must hand them back untouched, so every modelled element carries
 * an `Extra` with its unmodelled attributes and child elements, written back in their original order.
 */
import { NS, type XmlAttribute, type XmlElement, type XmlNodeSpec } from '../xml';

/** Unmodelled attributes and child elements of one element, in document order. */
export interface Extra {
  attributes: XmlAttribute[];
  elements: XmlElement[];
}

export function emptyExtra(): Extra {
  return { attributes: [], elements: [] };
}

export function hasExtra(extra: Extra): boolean {
  return extra.attributes.length > 0 || extra.elements.length > 0;
}

/** Known unprefixed attributes by their canonical name (matched case-insensitively), plus the rest. */
export interface SplitAttributes {
  known: Map<string, string>;
  other: XmlAttribute[];
}

/**
 * Windows versions disagree on attribute casing (MaxIdleTimeoutms vs MaxIdleTimeoutMs), so names are
 * matched case-insensitively and reported under the canonical name. A second spelling of an attribute
 * already seen is kept verbatim in `other` rather than silently dropped.
 */
export function splitAttributes(element: XmlElement, canonicalNames: readonly string[]): SplitAttributes {
  const byLower = new Map(canonicalNames.map((n) => [n.toLowerCase(), n]));
  const known = new Map<string, string>();
  const other: XmlAttribute[] = [];
  for (const a of element.attributes) {
    const name = a.ns === '' ? byLower.get(a.local.toLowerCase()) : undefined;
    if (name !== undefined && !known.has(name)) known.set(name, a.value);
    else other.push(a);
  }
  return { known, other };
}

/** Prefix → namespace bindings in scope where an element is written. */
export type NsScope = ReadonlyMap<string, string>;

export function scopeOf(bindings: Record<string, string>): NsScope {
  return new Map([['xml', NS.xml], ...Object.entries(bindings)]);
}

/**
 * Qualified names and namespace declarations for preserved attributes; a declaration is added only
 * where the prefix is not already bound to the same namespace.
 */
export function preservedAttributes(attributes: readonly XmlAttribute[], scope: NsScope): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const declared = new Map<string, string>();
  for (const a of attributes) {
    if (a.ns !== '' && a.prefix !== '' && scope.get(a.prefix) !== a.ns && declared.get(a.prefix) !== a.ns) {
      declared.set(a.prefix, a.ns);
      out.push([`xmlns:${a.prefix}`, a.ns]);
    }
    out.push([a.ns !== '' && a.prefix !== '' ? `${a.prefix}:${a.local}` : a.local, a.value]);
  }
  return out;
}

/**
 * Writes a preserved element back with its own prefix, declaring its namespace when the scope does not
 * already bind it. Character data is written before child elements: WinRM configuration elements are
 * either leaves or containers, never mixed content.
 */
export function preservedElement(element: XmlElement, scope: NsScope): XmlNodeSpec {
  const attrs: Array<[string, string]> = [];
  const inner = new Map(scope);
  const key = element.prefix;
  if (element.ns === '' && (scope.get('') ?? '') !== '') {
    attrs.push(['xmlns', '']);
    inner.set('', '');
  } else if (element.ns !== '' && inner.get(key) !== element.ns) {
    attrs.push([key === '' ? 'xmlns' : `xmlns:${key}`, element.ns]);
    inner.set(key, element.ns);
  }
  attrs.push(...preservedAttributes(element.attributes, inner));
  for (const [name, value] of attrs) if (name.startsWith('xmlns:')) inner.set(name.slice(6), value);
  const children: Array<XmlNodeSpec | string> = [];
  if (element.text !== '' && (element.children.length === 0 || element.text.trim() !== '')) children.push(element.text);
  for (const c of element.children) children.push(preservedElement(c, inner));
  return { name: key === '' ? element.local : `${key}:${element.local}`, attrs, children };
}

/** A preserved element written as a document of its own (no bindings in scope but `xml`). */
export function preservedElementSpec(element: XmlElement): XmlNodeSpec {
  return preservedElement(element, scopeOf({}));
}

/** Children of an element that are not among the known names (same namespace, case-insensitive local name). */
export function unknownChildren(element: XmlElement, ns: string, knownLocals: readonly string[]): XmlElement[] {
  const known = new Set(knownLocals.map((n) => n.toLowerCase()));
  return element.children.filter((c) => c.ns !== ns || !known.has(c.local.toLowerCase()));
}

/** Child elements with this local name in this namespace, matched case-insensitively. */
export function childrenIgnoreCase(element: XmlElement, ns: string, local: string): XmlElement[] {
  const wanted = local.toLowerCase();
  return element.children.filter((c) => c.ns === ns && c.local.toLowerCase() === wanted);
}
