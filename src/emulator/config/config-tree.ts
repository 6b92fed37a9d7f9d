/**
 * The host's `winrm/config` (cfg:Config) held as an ordered tree of sections and text leaves, so Get
 * returns elements in Windows' order and a Put of one part (`winrm/config/service`, `.../winrs`) merges
 * only the leaves it names.
 */
import { NS, type XmlElement, el, type XmlNodeSpec } from '../../wsman/xml';

export interface ConfigLeaf {
  readonly name: string;
  value: string;
}
export interface ConfigSection {
  readonly name: string;
  readonly children: ConfigNode[];
}
export type ConfigNode = ConfigLeaf | ConfigSection;

export function isSection(node: ConfigNode): node is ConfigSection {
  return 'children' in node;
}

export function leaf(name: string, value: string): ConfigLeaf {
  return { name, value };
}
export function section(name: string, ...children: ConfigNode[]): ConfigSection {
  return { name, children };
}

/** The node at a path of element names, matched case-insensitively as WinRM does for config paths. */
export function findNode(root: ConfigSection, path: readonly string[]): ConfigNode | undefined {
  let cur: ConfigNode | undefined = root;
  for (const step of path) {
    if (!cur || !isSection(cur)) return undefined;
    const want = step.toLowerCase();
    cur = cur.children.find((c) => c.name.toLowerCase() === want);
  }
  return cur;
}

/** A leaf's value, or undefined. */
export function leafValue(root: ConfigSection, ...path: string[]): string | undefined {
  const n = findNode(root, path);
  return n && !isSection(n) ? n.value : undefined;
}

export function toSpec(node: ConfigNode): XmlNodeSpec {
  return isSection(node) ? el(`cfg:${node.name}`, null, ...node.children.map(toSpec)) : el(`cfg:${node.name}`, null, node.value);
}

export function cloneTree(node: ConfigSection): ConfigSection {
  return JSON.parse(JSON.stringify(node)) as ConfigSection;
}

export interface MergeProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * The leaves a Put body would set: every cfg:* leaf element under `body`, addressed relative to `target`.
 * Unknown elements and sections-as-leaves are reported; nothing is changed here.
 */
export interface LeafWrite {
  readonly leaf: ConfigLeaf;
  readonly value: string;
  /** e.g. `Service/Auth/Basic`. */
  readonly path: string;
}

export function collectLeafWrites(target: ConfigSection, body: XmlElement, prefix = ''): { writes: LeafWrite[]; problems: MergeProblem[] } {
  const writes: LeafWrite[] = [];
  const problems: MergeProblem[] = [];
  for (const c of body.children) {
    const path = `${prefix}${c.local}`;
    if (c.ns !== NS.cfg) {
      problems.push({ path, message: `element ${c.local} is not in the WinRM configuration namespace` });
      continue;
    }
    const node = target.children.find((n) => n.name.toLowerCase() === c.local.toLowerCase());
    if (!node) {
      problems.push({ path, message: `${path} is not a setting of ${target.name}` });
    } else if (isSection(node)) {
      const inner = collectLeafWrites(node, c, `${path}/`);
      writes.push(...inner.writes);
      problems.push(...inner.problems);
    } else if (c.children.length > 0) {
      problems.push({ path, message: `${path} takes a value, not elements` });
    } else {
      writes.push({ leaf: node, value: c.text.trim(), path });
    }
  }
  return { writes, problems };
}
