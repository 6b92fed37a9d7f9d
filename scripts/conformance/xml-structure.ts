import { NS, type XmlElement } from '../../src/wsman/xml';

/**
 * Structural comparison of two SOAP messages: namespace-resolved names, attributes and text, with the
 * values that differ per run normalised (UUIDs, MessageID, SessionId, addresses, OperationTimeout),
 * the way pypsrp's own test runner compares recorded requests. Header order is free (Windows ignores it);
 * body order is kept.
 */

const UUID = /(uuid:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** Header elements whose text is per-run or per-deployment. */
const VOLATILE_TEXT = new Set([`${NS.a} MessageID`, `${NS.a} To`, `${NS.w} OperationTimeout`, `${NS.p} SessionId`]);

export interface Canonical {
  readonly name: string;
  readonly attrs: string[];
  readonly text: string;
  readonly children: Canonical[];
}

export function canonical(el: XmlElement, sortChildren = false): Canonical {
  const name = `${el.ns} ${el.local}`;
  const text = VOLATILE_TEXT.has(name) ? '<volatile>' : el.text.trim().replace(UUID, '<uuid>');
  const attrs = el.attributes.map((a) => `${a.ns} ${a.local}=${a.value.replace(UUID, '<uuid>')}`).sort();
  const children = el.children.map((c) => canonical(c));
  if (sortChildren) children.sort((a, b) => a.name.localeCompare(b.name));
  return { name, attrs, text, children };
}

/** The first difference between two canonical trees, as a readable path, or undefined when equal. */
export function firstDifference(expected: Canonical, actual: Canonical, path = ''): string | undefined {
  const here = `${path}/${expected.name.split(' ')[1]}`;
  if (expected.name !== actual.name) return `${path}: expected <${expected.name}>, got <${actual.name}>`;
  if (expected.text !== actual.text) return `${here}: text ${JSON.stringify(expected.text)} != ${JSON.stringify(actual.text)}`;
  if (expected.attrs.join('|') !== actual.attrs.join('|'))
    return `${here}: attributes [${expected.attrs.join(', ')}] != [${actual.attrs.join(', ')}]`;
  const n = Math.max(expected.children.length, actual.children.length);
  for (let i = 0; i < n; i++) {
    const e = expected.children[i];
    const a = actual.children[i];
    if (!e) return `${here}: unexpected <${a!.name}>`;
    if (!a) return `${here}: missing <${e.name}>`;
    const d = firstDifference(e, a, here);
    if (d) return d;
  }
  return undefined;
}
