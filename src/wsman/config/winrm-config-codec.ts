/**
 * Table-driven reading, writing and merging of cfg:Config and its parts (see winrm-config.ts).
 * Windows writes these documents with the `cfg` prefix; so do we.
 */
import { NS, parseXml, writeXml, XmlError, type XmlAttribute, type XmlElement, type XmlNodeSpec } from '../xml';
import { preservedAttributes, preservedElement, scopeOf, type Extra, type NsScope } from './preserved-xml';
import {
  CONFIG_SPEC,
  SERVICE_SPEC,
  WINRS_SPEC,
  type LeafSpec,
  type SectionSpec,
  type ServiceConfig,
  type WinrmConfig,
  type WinrsConfig,
} from './winrm-config';

const C = NS.cfg;

/** The generic shape every section model has; the typed interfaces are views of it. */
type SectionRecord = Record<string, unknown> & { extra: Extra; leafAttributes: Record<string, XmlAttribute[]> };

function isLeaf(m: SectionSpec['members'][number]): m is LeafSpec {
  return 'element' in m;
}

function memberElement(m: SectionSpec['members'][number]): string {
  return isLeaf(m) ? m.element : m.section.element;
}

function readSection(el: XmlElement, spec: SectionSpec): SectionRecord {
  const out: SectionRecord = { extra: { attributes: [...el.attributes], elements: [] }, leafAttributes: {} };
  const byLower = new Map(spec.members.map((m) => [memberElement(m).toLowerCase(), m]));
  for (const c of el.children) {
    const m = c.ns === C ? byLower.get(c.local.toLowerCase()) : undefined;
    if (!m || out[m.key] !== undefined) {
      out.extra.elements.push(c);
    } else if (isLeaf(m)) {
      if (c.children.length > 0) throw new XmlError(`cfg:${m.element} must hold a value, not elements`);
      out[m.key] = c.text;
      if (c.attributes.length > 0) out.leafAttributes[m.element] = [...c.attributes];
    } else {
      out[m.key] = readSection(c, m.section);
    }
  }
  return out;
}

function sectionSpec(record: SectionRecord, spec: SectionSpec, scope: NsScope): XmlNodeSpec {
  const children: XmlNodeSpec[] = [];
  for (const m of spec.members) {
    const value = record[m.key];
    if (value === undefined) continue;
    if (isLeaf(m)) {
      const attrs = preservedAttributes(record.leafAttributes[m.element] ?? [], scope);
      children.push({ name: `cfg:${m.element}`, attrs, children: value === '' ? [] : [value as string] });
    } else {
      children.push(sectionSpec(value as SectionRecord, m.section, scope));
    }
  }
  children.push(...record.extra.elements.map((e) => preservedElement(e, scope)));
  return { name: `cfg:${spec.element}`, attrs: preservedAttributes(record.extra.attributes, scope), children };
}

function parseWith<T>(spec: SectionSpec) {
  return (source: XmlElement | string): T => {
    const root = typeof source === 'string' ? parseXml(source) : source;
    if (root.ns !== C || root.local.toLowerCase() !== spec.element.toLowerCase()) {
      throw new XmlError(`expected {${C}}${spec.element}, got {${root.ns}}${root.local}`);
    }
    return readSection(root, spec) as T;
  };
}

function specWith<T>(spec: SectionSpec) {
  return (model: T): XmlNodeSpec => {
    const root = sectionSpec(model as SectionRecord, spec, scopeOf({ cfg: C }));
    return { ...root, attrs: [['xmlns:cfg', C], ...(root.attrs ?? [])] };
  };
}

/**
 * Overlays the values present in `update` on `base`, as a Put of a configuration part does: elements the
 * update does not carry keep their value. Sub-sections merge recursively; preserved unknown elements of
 * the update replace same-named ones of the base.
 */
function mergeWith<T>(spec: SectionSpec) {
  const merge = (baseIn: SectionRecord, update: SectionRecord, s: SectionSpec): SectionRecord => {
    const base: SectionRecord = {
      ...baseIn,
      extra: { attributes: [...baseIn.extra.attributes], elements: [...baseIn.extra.elements] },
      leafAttributes: { ...baseIn.leafAttributes },
    };
    for (const m of s.members) {
      const v = update[m.key];
      if (v === undefined) continue;
      if (isLeaf(m)) {
        base[m.key] = v;
        const attrs = update.leafAttributes[m.element];
        if (attrs) base.leafAttributes[m.element] = attrs;
      } else {
        const b = base[m.key] as SectionRecord | undefined;
        base[m.key] = b ? merge(b, v as SectionRecord, m.section) : v;
      }
    }
    for (const e of update.extra.elements) {
      base.extra.elements = base.extra.elements.filter((x) => x.ns !== e.ns || x.local !== e.local);
      base.extra.elements.push(e);
    }
    return base;
  };
  return (base: T, update: T): T => merge(base as SectionRecord, update as SectionRecord, spec) as T;
}

export const parseWinrmConfig = parseWith<WinrmConfig>(CONFIG_SPEC);
export const parseServiceConfig = parseWith<ServiceConfig>(SERVICE_SPEC);
export const parseWinrsConfig = parseWith<WinrsConfig>(WINRS_SPEC);

/** Element specs carry their own `xmlns:cfg` declaration, so each can be a SOAP Body child on its own. */
export const winrmConfigSpec = specWith<WinrmConfig>(CONFIG_SPEC);
const winrsConfigSpec = specWith<WinrsConfig>(WINRS_SPEC);

export const writeWinrmConfig = (c: WinrmConfig): string => writeXml(winrmConfigSpec(c));
export const writeWinrsConfig = (c: WinrsConfig): string => writeXml(winrsConfigSpec(c));

export const mergeWinrmConfig = mergeWith<WinrmConfig>(CONFIG_SPEC);
export const mergeWinrsConfig = mergeWith<WinrsConfig>(WINRS_SPEC);
