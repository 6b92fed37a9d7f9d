/**
 * A bounded reader of PowerShell data files (.pssc, .psrc): the top-level hashtable split into entries whose
 * values stay PowerShell source text, plus the few value shapes the emulator must understand (string lists,
 * nested hashtables). Values are kept as text so that the effective configuration file written for pwsh
 * carries them unchanged (script blocks, parameter constraints, here-strings) and pwsh itself evaluates
 * them, as Windows does (about_Session_Configuration_Files; PowerShell's DISCUtils.LoadConfigFile).
 *
 * Why not `Import-PowerShellDataFile` in a pwsh: it refuses the script blocks FunctionDefinitions hold, and
 * it would cost a pwsh start per session Create; the emulator (which may not import the host layer's codec)
 * needs only the split and string lists. Syntax read: `#` and `<# #>` comments, '…' ('' escapes), "…"
 * (`-escapes, ""), @'…'@ and @"…"@ here-strings, and (), {}, @(), @{}, [] nesting; an entry ends at `;` or at
 * a line end that does not continue it (after `=` or `,`).
 */
import { EmulatorError } from '../emulator-error';

/** Far above any real configuration file; a larger one is refused rather than scanned. */
export const MAX_DATA_FILE_CHARS = 1024 * 1024;
const MAX_DEPTH = 64;

export interface DataEntry {
  /** As written, without quotes. */
  readonly key: string;
  /** PowerShell source text of the value, trimmed. */
  readonly value: string;
}

function fail(what: string): never {
  throw new EmulatorError('session-configuration-file', what);
}

/** PowerShell takes the typographic quotes as quotes too. */
const SINGLE_QUOTES = new Set(["'", '\u2018', '\u2019']);
const DOUBLE_QUOTES = new Set(['"', '\u201c', '\u201d']);

/** Index just past the string, here-string or comment starting at `i`, or undefined when none starts there. */
function skipLiteral(text: string, i: number): number | undefined {
  const c = text[i];
  const next = text[i + 1];
  if (c === '#') {
    const end = text.indexOf('\n', i);
    return end < 0 ? text.length : end;
  }
  if (c === '<' && next === '#') {
    const end = text.indexOf('#>', i + 2);
    if (end < 0) fail('a block comment is not closed');
    return end + 2;
  }
  if (c === '@' && (next === "'" || next === '"')) {
    const close = new RegExp(`\\r?\\n${next}@`, 'g');
    close.lastIndex = i + 2;
    const m = close.exec(text);
    if (!m) fail('a here-string is not closed');
    return m.index + m[0].length;
  }
  if (SINGLE_QUOTES.has(c as string)) {
    for (let j = i + 1; j < text.length; j++) {
      if (SINGLE_QUOTES.has(text[j] as string)) {
        if (SINGLE_QUOTES.has(text[j + 1] as string)) j += 1;
        else return j + 1;
      }
    }
    fail('a string is not closed');
  }
  if (DOUBLE_QUOTES.has(c as string)) {
    for (let j = i + 1; j < text.length; j++) {
      const d = text[j] as string;
      if (d === '`') j += 1;
      else if (DOUBLE_QUOTES.has(d)) {
        if (DOUBLE_QUOTES.has(text[j + 1] as string)) j += 1;
        else return j + 1;
      }
    }
    fail('a string is not closed');
  }
  return undefined;
}

const OPENERS: Readonly<Record<string, string>> = { '(': ')', '{': '}', '[': ']' };

/**
 * Splits `text[start, end)` at depth-0 separators: `;` and continuing-free line ends when `lines`, commas
 * when not. Returns the trimmed pieces (empty ones dropped).
 */
function split(text: string, start: number, end: number, by: 'entries' | 'commas'): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  // The piece's first and past-the-last significant characters (comments and blanks around it are dropped).
  let first = -1;
  let last = -1;
  let lastSignificant = '';
  const push = (): void => {
    if (first >= 0) out.push(text.slice(first, last));
    first = -1;
    lastSignificant = '';
  };
  const significant = (from: number, to: number, c: string): void => {
    if (first < 0) first = from;
    last = to;
    lastSignificant = c;
  };
  for (let i = start; i < end;) {
    const c = text[i] as string;
    const comment = c === '#' || (c === '<' && text[i + 1] === '#');
    const skipped = skipLiteral(text, i);
    if (skipped !== undefined) {
      if (!comment) significant(i, skipped, 'x');
      i = skipped;
      continue;
    }
    if (c in OPENERS) {
      if (stack.length >= MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
      stack.push(OPENERS[c] as string);
    } else if (c === ')' || c === '}' || c === ']') {
      if (stack.pop() !== c) fail(`an unexpected ${c}`);
    } else if (stack.length === 0) {
      const lineEnd = c === '\n' && by === 'entries' && lastSignificant !== '' && !['=', ',', '+'].includes(lastSignificant);
      if ((by === 'entries' && c === ';') || lineEnd || (by === 'commas' && c === ',')) {
        push();
        i += 1;
        continue;
      }
    }
    if (!/\s/.test(c)) significant(i, i + 1, c);
    i += 1;
  }
  if (stack.length > 0) fail('a bracket is not closed');
  push();
  return out;
}

/** The index of the bracket closing the one at `open`. */
function closeOf(text: string, open: number): number {
  const stack: string[] = [];
  for (let i = open; i < text.length;) {
    const skipped = skipLiteral(text, i);
    if (skipped !== undefined) {
      i = skipped;
      continue;
    }
    const c = text[i] as string;
    if (c in OPENERS) {
      if (stack.length >= MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
      stack.push(OPENERS[c] as string);
    } else if (c === ')' || c === '}' || c === ']') {
      if (stack.pop() !== c) fail(`an unexpected ${c}`);
      if (stack.length === 0) return i;
    }
    i += 1;
  }
  return fail('a bracket is not closed');
}

/** Index of the first character that is neither white space nor part of a comment, from `i`. */
function skipBlank(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i] as string)) i += 1;
    const comment = text[i] === '#' || (text[i] === '<' && text[i + 1] === '#');
    if (!comment) return i;
    i = skipLiteral(text, i) ?? i + 1;
  }
}

/** The body of `@{ … }` (the whole text, comments around it allowed), or undefined when it is not one hashtable. */
function hashtableBody(text: string): { start: number; end: number } | undefined {
  const i = skipBlank(text, 0);
  if (text[i] !== '@' || text[i + 1] !== '{') return undefined;
  const close = closeOf(text, i + 1);
  return skipBlank(text, close + 1) === text.length ? { start: i + 2, end: close } : undefined;
}

/** The entries of a hashtable literal `@{ key = value; … }`. */
export function readHashtable(text: string): DataEntry[] {
  if (text.length > MAX_DATA_FILE_CHARS) fail(`more than ${MAX_DATA_FILE_CHARS} characters`);
  const body = hashtableBody(text);
  if (!body) fail('not a hashtable literal @{ … }');
  return split(text, body.start, body.end, 'entries').map((entry) => {
    const eq = entry.indexOf('=');
    if (eq <= 0) fail(`an entry without "=": ${entry.slice(0, 60)}`);
    const key = unquote(entry.slice(0, eq).trim());
    if (key === undefined || key === '') fail(`an invalid key: ${entry.slice(0, eq).slice(0, 60)}`);
    return { key, value: entry.slice(eq + 1).trim() };
  });
}

/** A bare word, or the text of a '…'/"…" literal without expansions; undefined for anything else. */
export function unquote(text: string): string | undefined {
  const t = text.trim();
  if (/^'(?:[^'\u2018\u2019]|'')*'$/.test(t)) return t.slice(1, -1).replace(/''/g, "'");
  if (/^"(?:[^"`$]|"")*"$/.test(t)) return t.slice(1, -1).replace(/""/g, '"');
  if (/^[A-Za-z_][\w.\\-]*$/.test(t)) return t;
  return undefined;
}

/** The items of a list value (`'a', 'b'`, `@('a'; 'b')`, a single item), as source text. */
export function listItems(value: string): string[] {
  const t = value.trim();
  if (t.startsWith('@(') && closeOf(t, 1) === t.length - 1) {
    return split(t, 2, t.length - 1, 'commas').flatMap((piece) => split(piece, 0, piece.length, 'entries'));
  }
  return split(t, 0, t.length, 'commas');
}

/** The strings of a list of string literals, or undefined when an item is not a plain string. */
export function stringList(value: string): string[] | undefined {
  const items = listItems(value).map(unquote);
  return items.every((s): s is string => s !== undefined) ? items : undefined;
}

/** The value of `key` (case-insensitive), or undefined. */
export function entryValue(entries: readonly DataEntry[], key: string): string | undefined {
  return entries.find((e) => e.key.toLowerCase() === key.toLowerCase())?.value;
}
