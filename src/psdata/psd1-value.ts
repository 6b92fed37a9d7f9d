/**
 * The values a PowerShell data file holds, as this project reads and writes them: what
 * `Import-PowerShellDataFile` accepts in a .pssc or .psrc (about_Data_Files; PowerShell's
 * `Parser.ParseFile` in restricted language mode), minus anything that runs code. Script blocks stay
 * text: FunctionDefinitions carry them, and the host parses them, not us.
 */
import { PsDataError, type PsDataErrorKind } from './psdata-error';

export type Psd1Value = string | number | boolean | null | readonly Psd1Value[] | Psd1Hashtable | Psd1ScriptBlock;

/** A hashtable keeps its entries in file order; keys compare case-insensitively, as PowerShell's do. */
export interface Psd1Hashtable {
  readonly type: 'hashtable';
  readonly entries: ReadonlyArray<readonly [string, Psd1Value]>;
}

/** The text between the braces, as written. */
export interface Psd1ScriptBlock {
  readonly type: 'scriptblock';
  readonly text: string;
}

export const hashtable = (entries: ReadonlyArray<readonly [string, Psd1Value]>): Psd1Hashtable => ({ type: 'hashtable', entries });
export const scriptBlock = (text: string): Psd1ScriptBlock => ({ type: 'scriptblock', text });

export function isHashtable(v: Psd1Value): v is Psd1Hashtable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as Psd1Hashtable).type === 'hashtable';
}

export function isScriptBlock(v: Psd1Value): v is Psd1ScriptBlock {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as Psd1ScriptBlock).type === 'scriptblock';
}

/** The value of a key, looked up as PowerShell does (case-insensitively; the last of duplicates wins there, and we refuse duplicates). */
export function entry(table: Psd1Hashtable, key: string): Psd1Value | undefined {
  const lower = key.toLowerCase();
  return table.entries.find(([k]) => k.toLowerCase() === lower)?.[1];
}

/** Where in the text a problem is: 1-based line and column, 0-based offset. */
export interface Psd1Position {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** Where a value is written in the text it was read from: offsets [start, end), comments around it excluded. */
export interface Psd1Span {
  readonly start: number;
  readonly end: number;
}

/**
 * A value as read from text, with where it is written: the value itself, its span, and for a hashtable its
 * entries (for an array its items) located in turn. A reader that passes values on to PowerShell copies their
 * source text (Psd1Document.source) rather than rendering them again, so script blocks and number literals
 * reach it exactly as written.
 */
export interface Psd1Located {
  readonly value: Psd1Value;
  readonly span: Psd1Span;
  readonly entries?: ReadonlyArray<readonly [string, Psd1Located]>;
  readonly items?: readonly Psd1Located[];
}

/** A parsed file: its top-level hashtable located, and the text the spans point into. */
export interface Psd1Document {
  readonly root: Psd1Located & { readonly value: Psd1Hashtable; readonly entries: ReadonlyArray<readonly [string, Psd1Located]> };
  /** The PowerShell source text of a value read from this document. */
  source(located: Psd1Located): string;
}

/** The located value of a key of a located hashtable (case-insensitive), or undefined. */
export function locatedEntry(table: Psd1Located, key: string): Psd1Located | undefined {
  const lower = key.toLowerCase();
  return table.entries?.find(([k]) => k.toLowerCase() === lower)?.[1];
}

/** A data file that is malformed, holds code, or is beyond the parser's bounds; the message names the position. */
export class Psd1Error extends PsDataError {
  override readonly name: string = 'Psd1Error';
  constructor(
    kind: PsDataErrorKind,
    readonly detail: string,
    readonly position: Psd1Position,
  ) {
    super(kind, `line ${position.line}, column ${position.column}: ${detail}`);
  }
}
