/**
 * The values a PowerShell data file holds, as this project reads and writes them: what
 * `Import-PowerShellDataFile` accepts in a .pssc or .psrc (about_Data_Files; PowerShell's
 * `Parser.ParseFile` in restricted language mode), minus anything that runs code. Script blocks stay
 * text: FunctionDefinitions carry them, and the host parses them, not us.
 */
import { HostError } from '../host-error';

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

/** A data file that is malformed, holds code, or is beyond the parser's bounds; the message names the position. */
export class Psd1Error extends HostError {
  override readonly name: string = 'Psd1Error';
  constructor(
    readonly detail: string,
    readonly position: Psd1Position,
  ) {
    super('invalid-data-file', `line ${position.line}, column ${position.column}: ${detail}`);
  }
}

/** The values of a file that do not fit what a field expects: a typed error naming the key, without a position. */
export class Psd1ShapeError extends HostError {
  override readonly name: string = 'Psd1ShapeError';
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super('invalid-data-file', `${key}: ${detail}`);
  }
}
