/** The parsed, namespace-resolved XML tree and the lookups every layer uses on it. */

export interface XmlAttribute {
  /** Namespace URI; '' for unprefixed attributes. */
  readonly ns: string;
  readonly local: string;
  /** The prefix as written (kept only for diagnostics and structural comparison). */
  readonly prefix: string;
  readonly value: string;
}

export interface XmlElement {
  readonly ns: string;
  readonly local: string;
  readonly prefix: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  /** Concatenated character data directly inside this element (not of its children). */
  readonly text: string;
}

/** The first child element with this namespace and local name. */
export function child(el: XmlElement | undefined, ns: string, local: string): XmlElement | undefined {
  return el?.children.find((c) => c.local === local && c.ns === ns);
}

/** All child elements with this namespace and local name. */
export function childrenNamed(el: XmlElement | undefined, ns: string, local: string): XmlElement[] {
  return el ? el.children.filter((c) => c.local === local && c.ns === ns) : [];
}

/** Walks a path of [ns, local] steps from an element. */
export function descend(el: XmlElement | undefined, ...steps: ReadonlyArray<readonly [string, string]>): XmlElement | undefined {
  let cur = el;
  for (const [ns, local] of steps) cur = child(cur, ns, local);
  return cur;
}

/** An attribute value; unprefixed attributes have ns ''. Local names are matched exactly. */
export function attr(el: XmlElement | undefined, local: string, ns = ''): string | undefined {
  return el?.attributes.find((a) => a.local === local && a.ns === ns)?.value;
}

/**
 * An attribute value matched case-insensitively on its local name, for documents whose producers
 * disagree on casing (Windows writes `MaxIdleTimeoutms`, old documentation `MaxIdleTimeoutMs`).
 */
export function attrIgnoreCase(el: XmlElement | undefined, local: string): string | undefined {
  const wanted = local.toLowerCase();
  return el?.attributes.find((a) => a.ns === '' && a.local.toLowerCase() === wanted)?.value;
}

/** Trimmed text of a child element, or undefined when the child is absent. */
export function childText(el: XmlElement | undefined, ns: string, local: string): string | undefined {
  const c = child(el, ns, local);
  return c === undefined ? undefined : c.text.trim();
}
