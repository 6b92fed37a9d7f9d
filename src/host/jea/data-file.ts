/**
 * A .pssc or .psrc as a whole: declared field values rendered to the file's text, the file's text parsed
 * back to field values, and the fields on which two sets of values differ. Keys the declarations do not
 * know (Author, CompanyName, Copyright, PowerShellVersion, a .pssc's Description) are kept out of the
 * comparison and reported, so a file written by hand or by the cmdlets still reads.
 */
import { canonical, fromPsd1, toPsd1, type FieldKind, type FieldKinds } from './field-values';
import type { FieldDeclaration, FieldSet } from './fields';
import { entry, hashtable, parsePsd1, PsDataError, renderPsd1, type Psd1Hashtable, type Psd1Value } from '../../psdata';
import { HostError } from '../host-error';
import { Psd1ShapeError } from './shape-error';

export type FieldValue = FieldKinds[FieldKind];
/** Field values by attribute name; undefined (or absent) means the file does not hold the field. */
export type FieldValues = Readonly<Record<string, FieldValue | undefined>>;

/** The schema version both cmdlets write today (New-PSSessionConfigurationFile, New-PSRoleCapabilityFile). */
export const SCHEMA_VERSION = '2.0.0.0';

export interface ParsedDataFile {
  readonly guid: string | undefined;
  readonly values: Record<string, FieldValue>;
  /** Keys present in the file that no declaration names, in file order. */
  readonly otherKeys: string[];
}

const HEADER_KEYS = new Set(['schemaversion', 'guid']);

/** The file's text: SchemaVersion, GUID, then every field that has a value, in declaration order, each after its meaning. */
export function renderDataFile(fields: FieldSet, values: FieldValues, guid: string): string {
  const entries: Array<readonly [string, Psd1Value]> = [
    ['SchemaVersion', SCHEMA_VERSION],
    ['GUID', guid],
  ];
  const comments = new Map<string, string>();
  for (const [name, decl] of Object.entries(fields)) {
    const value = values[name];
    if (value === undefined) continue;
    entries.push([decl.key, toPsd1(decl.kind, value)]);
    comments.set(decl.key, decl.meaning);
  }
  return renderPsd1(hashtable(entries), comments);
}

/**
 * Field values from a file's text: HostError `invalid-data-file` for text that is not data (its cause the
 * codec's Psd1Error, with the position), Psd1ShapeError for a field of the wrong shape.
 */
export function parseDataFile(fields: FieldSet, text: string): ParsedDataFile {
  const table = readTable(text);
  const byKey = new Map(Object.entries(fields).map(([name, decl]) => [decl.key.toLowerCase(), [name, decl] as const]));
  const values: Record<string, FieldValue> = {};
  const otherKeys: string[] = [];
  for (const [key, value] of table.entries) {
    const known = byKey.get(key.toLowerCase());
    if (known === undefined) {
      if (!HEADER_KEYS.has(key.toLowerCase())) otherKeys.push(key);
      continue;
    }
    const [name, decl] = known;
    // $null and an empty array are what the cmdlets write for a parameter given no value: the field is unset.
    if (value === null || (Array.isArray(value) && value.length === 0)) continue;
    values[name] = fromPsd1(decl.kind, decl.key, value);
  }
  const guid = entry(table, 'GUID');
  if (guid !== undefined && typeof guid !== 'string') throw new Psd1ShapeError('GUID', 'expected a string');
  return { guid, values, otherKeys };
}

function readTable(text: string): Psd1Hashtable {
  try {
    return parsePsd1(text);
  } catch (e) {
    if (e instanceof PsDataError) throw new HostError('invalid-data-file', e.message, { cause: e });
    throw e;
  }
}

/** Whether two values of a field mean the same (its declared comparison). */
export function sameFieldValue(decl: FieldDeclaration, a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonical(decl.kind, a, decl.comparison) === canonical(decl.kind, b, decl.comparison);
}

/** The fields whose values differ, in declaration order; a field set on one side only differs. */
export function changedFields(fields: FieldSet, desired: FieldValues, observed: FieldValues): string[] {
  return Object.entries(fields)
    .filter(([name, decl]) => !sameFieldValue(decl, emptyAsUnset(desired[name]), emptyAsUnset(observed[name])))
    .map(([name]) => name);
}

/** An empty list or map writes nothing to the file (renderDataFile skips it), so it is the same as unset. */
function emptyAsUnset(v: FieldValue | undefined): FieldValue | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.length === 0 ? undefined : v;
  if (typeof v === 'object' && Object.keys(v).length === 0) return undefined;
  return v;
}

/** The values with empty lists and maps dropped: what renderDataFile writes and parseDataFile reads back. */
export function writtenValues(fields: FieldSet, values: FieldValues): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const name of Object.keys(fields)) {
    const v = emptyAsUnset(values[name]);
    if (v !== undefined) out[name] = v;
  }
  return out;
}
