/**
 * The kinds of value a configuration or role capability file field holds, each with its three forms:
 * the value as the provider holds it, the psd1 value the file holds (src/psdata/psd1-value.ts), and a canonical
 * text two values are compared by (what "the same" means to PowerShell: names case-insensitive, sets
 * unordered, a gMSA with or without its `$`, a script block's text without surrounding whitespace).
 */
import { entry, hashtable, isHashtable, isScriptBlock, scriptBlock, type Psd1Hashtable, type Psd1Value } from '../../psdata';
import { Psd1ShapeError } from './shape-error';

/** A command made visible, optionally with its parameters constrained (New-PSRoleCapabilityFile -VisibleCmdlets). */
export interface VisibleCommand {
  readonly name: string;
  readonly parameters?: readonly VisibleParameter[];
}

export interface VisibleParameter {
  readonly name: string;
  readonly validate_set?: readonly string[];
  readonly validate_pattern?: string;
}

/** What a principal gets in an endpoint (RoleDefinitions): role capability names and/or .psrc paths. */
export interface RoleDefinition {
  readonly role_capabilities?: readonly string[];
  readonly role_capability_files?: readonly string[];
}

/** RequiredGroups: the groups a connecting user must be in, all of them (`and`) or one of them (`or`). */
export interface RequiredGroups {
  readonly and?: readonly string[];
  readonly or?: readonly string[];
}

export interface FieldKinds {
  string: string;
  bool: boolean;
  integer: number;
  /** Names compared case-insensitively, in any order. */
  names: readonly string[];
  /** Paths or names processed in order, compared case-insensitively. */
  ordered: readonly string[];
  commands: readonly VisibleCommand[];
  /** Name → value, written as a hashtable (EnvironmentVariables). */
  table: Readonly<Record<string, string>>;
  /** Name → value, written as `@{ Name = …; Value = … }` entries (AliasDefinitions, VariableDefinitions). */
  definitions: Readonly<Record<string, string>>;
  /** Name → script text, written as `@{ Name = …; ScriptBlock = { … } }` entries. */
  functions: Readonly<Record<string, string>>;
  roles: Readonly<Record<string, RoleDefinition>>;
  groups: RequiredGroups;
}

export type FieldKind = keyof FieldKinds;

/** How a string field compares: exactly, case-insensitively, or as an account whose trailing `$` does not matter. */
export type StringComparison = 'exact' | 'case-insensitive' | 'account';

const lower = (s: string): string => s.toLowerCase();
const sortedLower = (xs: readonly string[] | undefined): string[] => [...new Set((xs ?? []).map(lower))].sort();
const list = (xs: readonly string[]): Psd1Value => (xs.length === 1 ? (xs[0] as string) : [...xs]);

function strings(key: string, v: Psd1Value): string[] {
  const items = Array.isArray(v) ? (v as readonly Psd1Value[]) : [v];
  return items.map((i) => {
    if (typeof i !== 'string') throw new Psd1ShapeError(key, `expected strings, found ${describe(i)}`);
    return i;
  });
}

function describe(v: Psd1Value): string {
  if (v === null) return '$null';
  if (Array.isArray(v)) return 'an array';
  if (isHashtable(v)) return 'a hashtable';
  if (isScriptBlock(v)) return 'a script block';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function table(key: string, v: Psd1Value): Psd1Hashtable {
  if (!isHashtable(v)) throw new Psd1ShapeError(key, `expected a hashtable, found ${describe(v)}`);
  return v;
}

function tables(key: string, v: Psd1Value): Psd1Hashtable[] {
  return (Array.isArray(v) ? (v as readonly Psd1Value[]) : [v]).map((t) => table(key, t));
}

function stringEntry(key: string, t: Psd1Hashtable, name: string): string | undefined {
  const v = entry(t, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new Psd1ShapeError(key, `${name} must be a string, found ${describe(v)}`);
  return v;
}

function requiredEntry(key: string, t: Psd1Hashtable, name: string): string {
  const v = stringEntry(key, t, name);
  if (v === undefined) throw new Psd1ShapeError(key, `an entry has no ${name}`);
  return v;
}

function nameValueEntries(key: string, v: Psd1Value, valueKey: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tables(key, v)) {
    const value = entry(t, valueKey);
    const text = isScriptBlock(value ?? null) ? (value as { text: string }).text : value;
    if (typeof text !== 'string') throw new Psd1ShapeError(key, `${valueKey} must be a string, found ${describe(value ?? null)}`);
    out[requiredEntry(key, t, 'Name')] = text;
  }
  return out;
}

/** The provider's value of a kind → the file's value. */
export function toPsd1<K extends FieldKind>(kind: K, value: FieldKinds[K]): Psd1Value {
  const v = value;
  const k: FieldKind = kind;
  switch (k) {
    case 'string':
    case 'bool':
    case 'integer':
      return v as string | boolean | number;
    case 'names':
    case 'ordered':
      return [...(v as readonly string[])];
    case 'commands':
      return (v as readonly VisibleCommand[]).map((c) =>
        c.parameters === undefined || c.parameters.length === 0
          ? c.name
          : hashtable([
              ['Name', c.name],
              [
                'Parameters',
                c.parameters.map((p) =>
                  hashtable([
                    ['Name', p.name],
                    ...(p.validate_set !== undefined ? [['ValidateSet', [...p.validate_set]] as const] : []),
                    ...(p.validate_pattern !== undefined ? [['ValidatePattern', p.validate_pattern] as const] : []),
                  ]),
                ),
              ],
            ]),
      );
    case 'table':
      return hashtable(Object.entries(v as Record<string, string>));
    case 'definitions':
      return Object.entries(v as Record<string, string>).map(([name, value]) =>
        hashtable([
          ['Name', name],
          ['Value', value],
        ]),
      );
    case 'functions':
      return Object.entries(v as Record<string, string>).map(([name, body]) =>
        hashtable([
          ['Name', name],
          ['ScriptBlock', scriptBlock(` ${body.trim()} `)],
        ]),
      );
    case 'roles':
      return hashtable(
        Object.entries(v as Record<string, RoleDefinition>).map(([principal, role]) => [
          principal,
          hashtable([
            ...(role.role_capabilities?.length ? [['RoleCapabilities', [...role.role_capabilities]] as const] : []),
            ...(role.role_capability_files?.length ? [['RoleCapabilityFiles', [...role.role_capability_files]] as const] : []),
          ]),
        ]),
      );
    case 'groups': {
      const g = v as RequiredGroups;
      return hashtable([
        ...(g.and !== undefined ? [['And', list(g.and)] as const] : []),
        ...(g.or !== undefined ? [['Or', list(g.or)] as const] : []),
      ]);
    }
  }
}

/** The file's value → the provider's value of a kind; a value of another shape is a Psd1ShapeError naming the key. */
export function fromPsd1<K extends FieldKind>(kind: K, key: string, v: Psd1Value): FieldKinds[K] {
  return fromPsd1Any(kind, key, v) as FieldKinds[K];
}

function fromPsd1Any(kind: FieldKind, key: string, v: Psd1Value): FieldKinds[FieldKind] {
  switch (kind) {
    case 'string':
      if (typeof v !== 'string') throw new Psd1ShapeError(key, `expected a string, found ${describe(v)}`);
      return v;
    case 'bool':
      if (typeof v !== 'boolean') throw new Psd1ShapeError(key, `expected $true or $false, found ${describe(v)}`);
      return v;
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) throw new Psd1ShapeError(key, `expected a whole number, found ${describe(v)}`);
      return v;
    case 'names':
    case 'ordered':
      return strings(key, v);
    case 'commands':
      return (Array.isArray(v) ? (v as readonly Psd1Value[]) : [v]).map((c): VisibleCommand => {
        if (typeof c === 'string') return { name: c };
        const t = table(key, c);
        const params = entry(t, 'Parameters');
        return {
          name: requiredEntry(key, t, 'Name'),
          ...(params === undefined || params === null
            ? {}
            : {
                parameters: tables(key, params).map((p): VisibleParameter => {
                  const set = entry(p, 'ValidateSet');
                  const pattern = stringEntry(key, p, 'ValidatePattern');
                  return {
                    name: requiredEntry(key, p, 'Name'),
                    ...(set === undefined || set === null ? {} : { validate_set: strings(key, set) }),
                    ...(pattern === undefined ? {} : { validate_pattern: pattern }),
                  };
                }),
              }),
        };
      });
    case 'table': {
      const out: Record<string, string> = {};
      for (const [k, value] of table(key, v).entries) {
        if (typeof value !== 'string') throw new Psd1ShapeError(key, `${k} must be a string, found ${describe(value)}`);
        out[k] = value;
      }
      return out;
    }
    case 'definitions':
      return nameValueEntries(key, v, 'Value');
    case 'functions':
      return nameValueEntries(key, v, 'ScriptBlock');
    case 'roles': {
      const out: Record<string, RoleDefinition> = {};
      for (const [principal, role] of table(key, v).entries) {
        const t = table(key, role);
        const caps = entry(t, 'RoleCapabilities');
        const files = entry(t, 'RoleCapabilityFiles');
        out[principal] = {
          ...(caps === undefined || caps === null ? {} : { role_capabilities: strings(key, caps) }),
          ...(files === undefined || files === null ? {} : { role_capability_files: strings(key, files) }),
        };
      }
      return out;
    }
    case 'groups': {
      const t = table(key, v);
      for (const [k, value] of t.entries) {
        if (!['and', 'or'].includes(k.toLowerCase())) throw new Psd1ShapeError(key, `only And and Or are supported, found ${k}`);
        if (Array.isArray(value) ? (value as Psd1Value[]).some((x) => typeof x !== 'string') : typeof value !== 'string')
          throw new Psd1ShapeError(key, 'nested And/Or conditions are not supported: only a list of group names');
      }
      const and = entry(t, 'And');
      const or = entry(t, 'Or');
      return { ...(and === undefined ? {} : { and: strings(key, and) }), ...(or === undefined ? {} : { or: strings(key, or) }) };
    }
  }
}

/** The trailing `$` of a (group) managed service account name, which Windows adds and users often omit. */
export const accountName = (s: string): string => lower(s).replace(/\$$/, '');

/** Script text as compared: line endings and surrounding whitespace do not matter. */
export const scriptText = (s: string): string => s.replace(/\r\n?/g, '\n').trim();

/** The canonical text of a value: two values are the same field value when these are equal. */
export function canonical<K extends FieldKind>(kind: K, value: FieldKinds[K], comparison: StringComparison = 'exact'): string {
  const v = value;
  const k: FieldKind = kind;
  switch (k) {
    case 'string':
      return comparison === 'exact' ? (v as string) : comparison === 'account' ? accountName(v as string) : lower(v as string);
    case 'bool':
    case 'integer':
      return JSON.stringify(v);
    case 'names':
      return JSON.stringify(sortedLower(v as readonly string[]));
    case 'ordered':
      return JSON.stringify((v as readonly string[]).map(lower));
    case 'commands': {
      const commands = (v as readonly VisibleCommand[]).map((c) => ({
        name: lower(c.name),
        parameters: (c.parameters ?? [])
          .map((p) => ({ name: lower(p.name), set: sortedLower(p.validate_set), pattern: p.validate_pattern ?? null }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      }));
      return JSON.stringify(commands.sort((a, b) => (a.name === b.name ? 0 : a.name < b.name ? -1 : 1)));
    }
    case 'table':
    case 'definitions':
    case 'functions':
      return JSON.stringify(
        Object.entries(v as Record<string, string>)
          .map(([name, x]) => [lower(name), k === 'functions' ? scriptText(x) : x])
          .sort(([a], [b]) => ((a ?? '') < (b ?? '') ? -1 : 1)),
      );
    case 'roles':
      return JSON.stringify(
        Object.entries(v as Record<string, RoleDefinition>)
          .map(([p, r]) => [lower(p), sortedLower(r.role_capabilities), sortedLower(r.role_capability_files)] as const)
          .sort(([a], [b]) => (a < b ? -1 : 1)),
      );
    case 'groups': {
      const g = v as RequiredGroups;
      return JSON.stringify({ and: g.and === undefined ? null : sortedLower(g.and), or: g.or === undefined ? null : sortedLower(g.or) });
    }
  }
}
