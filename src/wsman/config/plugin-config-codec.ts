/** Reading and writing the PlugInConfiguration document; see plugin-config.ts for the model. */
import { NS, parseXml, writeXml, XmlError, type XmlAttribute, type XmlElement, type XmlNodeSpec } from '../xml';
import {
  PLUGIN_ATTRIBUTES,
  QUOTA_NAMES,
  type InitParam,
  type PluginCapability,
  type PluginConfig,
  type PluginQuotas,
  type PluginResource,
  type PluginSecurity,
} from './plugin-config';
import {
  childrenIgnoreCase,
  emptyExtra,
  hasExtra,
  preservedAttributes,
  preservedElement,
  scopeOf,
  splitAttributes,
  unknownChildren,
  type Extra,
  type NsScope,
} from './preserved-xml';

const P = NS.plugin;
const ROOT = 'PlugInConfiguration';
const PLUGIN_XML_NAMES = PLUGIN_ATTRIBUTES.map(([, xml]) => xml);

/**
 * Parses a PlugInConfiguration element (or document text). Only the shape is enforced here: the root
 * must be PlugInConfiguration in its namespace. Values are not judged — that is validatePluginConfig's job.
 */
export function parsePluginConfig(source: XmlElement | string): PluginConfig {
  const root = typeof source === 'string' ? parseXml(source) : source;
  if (root.ns !== P || root.local.toLowerCase() !== ROOT.toLowerCase()) {
    throw new XmlError(`expected {${P}}${ROOT}, got {${root.ns}}${root.local}`);
  }
  const { known, other } = splitAttributes(root, PLUGIN_XML_NAMES);
  const config: PluginConfig = {
    initializationParameters: [],
    resources: [],
    initializationParametersExtra: emptyExtra(),
    resourcesExtra: emptyExtra(),
    extra: { attributes: other, elements: unknownChildren(root, P, ['InitializationParameters', 'Resources', 'Quotas']) },
  };
  for (const [key, xml] of PLUGIN_ATTRIBUTES) {
    const v = known.get(xml);
    if (v !== undefined) config[key] = v;
  }
  for (const container of childrenIgnoreCase(root, P, 'InitializationParameters')) {
    config.initializationParameters.push(...childrenIgnoreCase(container, P, 'Param').map(readParam));
    appendExtra(config.initializationParametersExtra, container.attributes, unknownChildren(container, P, ['Param']));
  }
  for (const container of childrenIgnoreCase(root, P, 'Resources')) {
    config.resources.push(...childrenIgnoreCase(container, P, 'Resource').map(readResource));
    appendExtra(config.resourcesExtra, container.attributes, unknownChildren(container, P, ['Resource']));
  }
  const quotas = childrenIgnoreCase(root, P, 'Quotas');
  if (quotas.length > 1) throw new XmlError('PlugInConfiguration has more than one Quotas element');
  if (quotas[0]) config.quotas = readQuotas(quotas[0]);
  return config;
}

function appendExtra(extra: Extra, attributes: readonly XmlAttribute[], elements: readonly XmlElement[]): void {
  extra.attributes.push(...attributes);
  extra.elements.push(...elements);
}

function readParam(el: XmlElement): InitParam {
  const { known, other } = splitAttributes(el, ['Name', 'Value']);
  return { name: known.get('Name') ?? '', value: known.get('Value') ?? '', extra: { attributes: other, elements: [...el.children] } };
}

function readResource(el: XmlElement): PluginResource {
  const { known, other } = splitAttributes(el, ['ResourceUri', 'SupportsOptions', 'ExactMatch']);
  return {
    ...defined({
      resourceUri: known.get('ResourceUri'),
      supportsOptions: known.get('SupportsOptions'),
      exactMatch: known.get('ExactMatch'),
    }),
    securities: childrenIgnoreCase(el, P, 'Security').map(readSecurity),
    capabilities: childrenIgnoreCase(el, P, 'Capability').map(readCapability),
    extra: { attributes: other, elements: unknownChildren(el, P, ['Security', 'Capability']) },
  };
}

function readSecurity(el: XmlElement): PluginSecurity {
  const { known, other } = splitAttributes(el, ['Uri', 'ExactMatch', 'Sddl']);
  return {
    ...defined({ uri: known.get('Uri'), exactMatch: known.get('ExactMatch'), sddl: known.get('Sddl') }),
    extra: { attributes: other, elements: [...el.children] },
  };
}

function readCapability(el: XmlElement): PluginCapability {
  const { known, other } = splitAttributes(el, ['Type']);
  return { ...defined({ type: known.get('Type') }), extra: { attributes: other, elements: [...el.children] } };
}

function readQuotas(el: XmlElement): PluginQuotas {
  const byLower = new Map<string, string>(QUOTA_NAMES.map((n) => [n.toLowerCase(), n]));
  const entries: PluginQuotas['entries'] = [];
  const others: PluginQuotas['extra']['attributes'] = [];
  for (const a of el.attributes) {
    if (a.ns !== '') {
      others.push(a);
      continue;
    }
    const name = byLower.get(a.local.toLowerCase()) ?? a.local;
    if (entries.some((e) => e.name === name)) others.push(a);
    else entries.push({ name, value: a.value });
  }
  return { entries, extra: { attributes: others, elements: [...el.children] } };
}

/** Drops undefined members so optional properties stay absent rather than present-and-undefined. */
function defined<T extends Record<string, string | undefined>>(o: T): { [K in keyof T]?: string } {
  const out: { [K in keyof T]?: string } = {};
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/**
 * The document as an element spec with the plugin namespace as default namespace, the form WinRM
 * returns and Register sends. Known attributes come first in Windows' canonical casing and order,
 * then preserved ones; known children in schema order, then preserved ones.
 */
export function pluginConfigSpec(config: PluginConfig): XmlNodeSpec {
  const scope = scopeOf({ '': P });
  const attrs: Array<readonly [string, string | undefined]> = [['xmlns', P]];
  for (const [key, xml] of PLUGIN_ATTRIBUTES) attrs.push([xml, config[key]]);
  attrs.push(...preservedAttributes(config.extra.attributes, scope));
  const children: XmlNodeSpec[] = [];
  // An empty container means the same as none; it is not written.
  if (config.initializationParameters.length > 0 || hasExtra(config.initializationParametersExtra)) {
    children.push(
      container(
        'InitializationParameters',
        config.initializationParametersExtra,
        scope,
        config.initializationParameters.map((p) =>
          node(
            'Param',
            [
              ['Name', p.name],
              ['Value', p.value],
            ],
            p.extra,
            scope,
          ),
        ),
      ),
    );
  }
  if (config.resources.length > 0 || hasExtra(config.resourcesExtra)) {
    children.push(
      container(
        'Resources',
        config.resourcesExtra,
        scope,
        config.resources.map((r) => resourceSpec(r, scope)),
      ),
    );
  }
  if (config.quotas) {
    children.push(
      node(
        'Quotas',
        config.quotas.entries.map((e) => [e.name, e.value] as const),
        config.quotas.extra,
        scope,
      ),
    );
  }
  children.push(...config.extra.elements.map((e) => preservedElement(e, scope)));
  return { name: ROOT, attrs, children };
}

function resourceSpec(r: PluginResource, scope: NsScope): XmlNodeSpec {
  const inner = [
    ...r.securities.map((s) =>
      node(
        'Security',
        [
          ['Uri', s.uri],
          ['ExactMatch', s.exactMatch],
          ['Sddl', s.sddl],
        ],
        s.extra,
        scope,
      ),
    ),
    ...r.capabilities.map((c) => node('Capability', [['Type', c.type]], c.extra, scope)),
  ];
  const base = node(
    'Resource',
    [
      ['ResourceUri', r.resourceUri],
      ['SupportsOptions', r.supportsOptions],
      ['ExactMatch', r.exactMatch],
    ],
    r.extra,
    scope,
  );
  return { ...base, children: [...inner, ...(base.children ?? [])] };
}

function container(name: string, extra: Extra, scope: NsScope, items: XmlNodeSpec[]): XmlNodeSpec {
  const base = node(name, [], extra, scope);
  return { ...base, children: [...items, ...(base.children ?? [])] };
}

function node(name: string, known: ReadonlyArray<readonly [string, string | undefined]>, extra: Extra, scope: NsScope): XmlNodeSpec {
  return {
    name,
    attrs: [...known, ...preservedAttributes(extra.attributes, scope)],
    children: extra.elements.map((e) => preservedElement(e, scope)),
  };
}

/** The document as XML text. */
export function writePluginConfig(config: PluginConfig): string {
  return writeXml(pluginConfigSpec(config));
}
