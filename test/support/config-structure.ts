/** Structural comparison of XML trees for round-trip tests: prefixes and attribute order do not matter. */
import type { XmlElement } from '../../src/wsman/xml';

export interface Shape {
  name: string;
  attrs: string[];
  text: string;
  children: Shape[];
}

export function shape(el: XmlElement): Shape {
  return {
    name: `{${el.ns}}${el.local}`,
    attrs: el.attributes.map((a) => `{${a.ns}}${a.local}=${a.value}`).sort(),
    text: el.children.length > 0 ? el.text.trim() : el.text,
    children: el.children.map(shape),
  };
}
