/**
 * The fields of a .pssc or .psrc (src/host/jea/fields.ts) as terraform attributes: one table of types,
 * the descriptions generated from each declaration, and the conversions between attribute values and
 * field values. Every field is optional: set means written to the file; unset means absent from it (the
 * file is wholly ours, so a field added on the host by hand shows as drift).
 */
import type { FieldDeclaration, FieldKind, FieldSet, FieldValue, FieldValues } from '../../host/jea';
import { attr, integer, isWhollyKnown, nested, t, type Value } from '../../tfplugin';
import type { AttributeSpec } from '../../tfplugin/schema/schema';
import { sameFieldValue } from '../../host/jea';

const parameterAttributes = {
  name: attr.required(t.string, { description: 'The parameter name.' }),
  validate_set: attr.optional(t.list(t.string), { description: 'The only values the parameter accepts (ValidateSet, case-insensitive).' }),
  validate_pattern: attr.optional(t.string, { description: 'A regular expression the value must match (ValidatePattern).' }),
};

const commandAttributes = {
  name: attr.required(t.string, { description: 'The command name; wildcards allowed, or Module\\Name.' }),
  parameters: attr.optional(nested.list(parameterAttributes), {
    description: 'Only these parameters are visible, each optionally constrained. Unset: every parameter.',
  }),
};

const roleAttributes = {
  role_capabilities: attr.optional(t.set(t.string), {
    description: "Role capability names: .psrc files in a RoleCapabilities folder of a module on the host's PSModulePath.",
  }),
  role_capability_files: attr.optional(t.set(t.string), { description: 'Role capability files by full path on the host.' }),
};

const groupAttributes = {
  and: attr.optional(t.set(t.string), { description: 'The user must be in every one of these groups.' }),
  or: attr.optional(t.set(t.string), { description: 'The user must be in at least one of these groups.' }),
};

const KIND_TYPES = {
  string: t.string,
  bool: t.bool,
  integer,
  names: t.set(t.string),
  ordered: t.list(t.string),
  commands: nested.list(commandAttributes),
  table: t.map(t.string),
  definitions: t.map(t.string),
  functions: t.map(t.string),
  roles: nested.map(roleAttributes),
  groups: nested.single(groupAttributes),
} as const satisfies Record<FieldKind, unknown>;

const COMPARISON_TEXT = {
  'case-insensitive': 'Compared case-insensitively.',
  account: 'Compared case-insensitively, with or without the trailing $.',
  exact: '',
} as const;

const KIND_TEXT: Partial<Record<FieldKind, string>> = {
  names: 'A set: order and letter case do not count as differences.',
  ordered: 'In order; letter case does not count as a difference.',
  commands: 'Names and parameter names compare case-insensitively, in any order.',
  functions: 'Whitespace around the script text does not count as a difference.',
};

/** The description of a field's attribute, from its declaration. */
export function fieldDescription(name: string, decl: FieldDeclaration): string {
  const values =
    decl.values === undefined
      ? ''
      : ` One of ${Object.entries(decl.values)
          .map(([v, m]) => (m === '' ? `\`${v}\`` : `\`${v}\` (${m})`))
          .join(', ')}.`;
  const rule = decl.rule === undefined ? '' : ` Rule: ${decl.rule}.`;
  const compare = [COMPARISON_TEXT[decl.comparison ?? 'exact'], KIND_TEXT[decl.kind] ?? ''].filter((s) => s !== '').join(' ');
  const example = decl.example === undefined ? '' : ` Example: \`${name} = ${decl.example}\`.`;
  return `${decl.meaning} (\`${decl.key}\`).${values}${rule}${compare === '' ? '' : ` ${compare}`}${example} Unset: not in the file.`;
}

export type FieldAttributes<F extends FieldSet> = { readonly [K in keyof F]: AttributeSpec };

export function fieldAttributes<F extends FieldSet>(fields: F): FieldAttributes<F> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, decl]) => [
      name,
      attr.optional(KIND_TYPES[decl.kind], { description: fieldDescription(name, decl) }),
    ]),
  ) as FieldAttributes<F>;
}

type Obj = { readonly [key: string]: Value };
const isObj = (v: Value | undefined): v is Obj => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
const strs = (v: Value | undefined): string[] | undefined =>
  Array.isArray(v) ? (v as readonly Value[]).filter((x): x is string => typeof x === 'string') : undefined;
const str = (v: Value | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

function fromValue(kind: FieldKind, v: Value): FieldValue {
  switch (kind) {
    case 'string':
      return v as string;
    case 'bool':
      return v as boolean;
    case 'integer':
      return typeof v === 'number' ? v : Number(v);
    case 'names':
    case 'ordered':
      return strs(v) ?? [];
    case 'commands':
      return ((v as readonly Value[]) ?? []).filter(isObj).map((c) => {
        const params = Array.isArray(c.parameters) ? (c.parameters as readonly Value[]).filter(isObj) : undefined;
        return {
          name: str(c.name) ?? '',
          ...(params === undefined
            ? {}
            : {
                parameters: params.map((p) => {
                  const set = strs(p.validate_set);
                  const pattern = str(p.validate_pattern);
                  return {
                    name: str(p.name) ?? '',
                    ...(set ? { validate_set: set } : {}),
                    ...(pattern !== undefined ? { validate_pattern: pattern } : {}),
                  };
                }),
              }),
        };
      });
    case 'table':
    case 'definitions':
    case 'functions':
      return Object.fromEntries(Object.entries(v as Obj).flatMap(([k, x]) => (typeof x === 'string' ? [[k, x]] : [])));
    case 'roles':
      return Object.fromEntries(
        Object.entries(v as Obj).map(([principal, r]) => {
          const o = isObj(r) ? r : {};
          const caps = strs(o.role_capabilities);
          const files = strs(o.role_capability_files);
          return [principal, { ...(caps ? { role_capabilities: caps } : {}), ...(files ? { role_capability_files: files } : {}) }];
        }),
      );
    case 'groups': {
      const o = isObj(v) ? v : {};
      const and = strs(o.and);
      const or = strs(o.or);
      return { ...(and ? { and } : {}), ...(or ? { or } : {}) };
    }
  }
}

function toValue(kind: FieldKind, v: FieldValue): Value {
  switch (kind) {
    case 'string':
    case 'bool':
    case 'integer':
      return v as string | boolean | number;
    case 'names':
    case 'ordered':
      return [...(v as readonly string[])];
    case 'commands':
      return (v as FieldValueOf<'commands'>).map((c) => ({
        name: c.name,
        parameters:
          c.parameters === undefined
            ? null
            : c.parameters.map((p) => ({
                name: p.name,
                validate_set: p.validate_set === undefined ? null : [...p.validate_set],
                validate_pattern: p.validate_pattern ?? null,
              })),
      }));
    case 'table':
    case 'definitions':
    case 'functions':
      return { ...(v as Record<string, string>) };
    case 'roles':
      return Object.fromEntries(
        Object.entries(v as FieldValueOf<'roles'>).map(([p, r]) => [
          p,
          {
            role_capabilities: r.role_capabilities === undefined ? null : [...r.role_capabilities],
            role_capability_files: r.role_capability_files === undefined ? null : [...r.role_capability_files],
          },
        ]),
      );
    case 'groups': {
      const g = v as FieldValueOf<'groups'>;
      return { and: g.and === undefined ? null : [...g.and], or: g.or === undefined ? null : [...g.or] };
    }
  }
}

type FieldValueOf<K extends FieldKind> = import('../../host/jea').FieldKinds[K];

export interface FieldValuesRead {
  readonly values: FieldValues;
  /** Fields whose value is not yet known (at plan time: another resource's attribute). */
  readonly unknown: string[];
}

/** The field values an object (the block, the resource) sets; null means unset. */
export function fieldValuesOf(fields: FieldSet, obj: { readonly [key: string]: Value | undefined } | null): FieldValuesRead {
  const values: Record<string, FieldValue> = {};
  const unknownFields: string[] = [];
  for (const [name, decl] of Object.entries(fields)) {
    const v = obj?.[name];
    if (v === null || v === undefined) continue;
    if (!isWhollyKnown(v)) unknownFields.push(name);
    else values[name] = fromValue(decl.kind, v);
  }
  return { values, unknown: unknownFields };
}

/**
 * The attribute values of what the host's file holds; where `previous` (state or configuration) holds a
 * value that means the same (letter case, order, a gMSA `$`), that spelling is kept so it is no change.
 */
export function fieldStateValues(
  fields: FieldSet,
  observed: FieldValues,
  previous: { readonly [key: string]: Value | undefined } | null,
): Record<string, Value> {
  const prior = fieldValuesOf(fields, previous).values;
  const out: Record<string, Value> = {};
  for (const [name, decl] of Object.entries(fields)) {
    const o = observed[name];
    const p = prior[name];
    if (p !== undefined && sameFieldValue(decl, emptyToUndefined(p), emptyToUndefined(o))) out[name] = previous?.[name] ?? null;
    else out[name] = o === undefined ? null : toValue(decl.kind, o);
  }
  return out;
}

function emptyToUndefined(v: FieldValue | undefined): FieldValue | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.length === 0 ? undefined : v;
  if (typeof v === 'object' && Object.keys(v).length === 0) return undefined;
  return v;
}
