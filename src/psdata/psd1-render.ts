/**
 * Deterministic rendering of PowerShell data files: the same values always give the same text, which
 * psd1-parse.ts reads back to the same values and `Test-PSSessionConfigurationFile` accepts
 * (test/host/jea/pwsh-conformance.test.ts checks both). Strings are single-quoted (about_Quoting_Rules:
 * a quote character is escaped by doubling it, typographic ones included), except those with control
 * characters, which are double-quoted with backtick escapes so the file stays one readable line per value.
 */
import { isHashtable, isScriptBlock, type Psd1Hashtable, type Psd1Value } from './psd1-value';

const INDENT = '    ';
const BAREWORD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;
const DOUBLE_QUOTES = '"\u201C\u201D\u201E';
// eslint-disable-next-line no-control-regex -- control characters are what this finds, to escape them
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]|\r|\n/;

const ESCAPES: Readonly<Record<string, string>> = {
  '\0': '`0',
  '\x07': '`a',
  '\b': '`b',
  '\x1b': '`e',
  '\f': '`f',
  '\n': '`n',
  '\r': '`r',
  '\t': '`t',
  '\v': '`v',
};

export function renderString(s: string): string {
  if (!CONTROL.test(s)) return `'${s.replace(SINGLE_QUOTES, (q) => q + q)}'`;
  let out = '';
  for (const c of s) {
    const code = c.codePointAt(0) ?? 0;
    if (c === '`' || c === '$') out += '`' + c;
    else if (DOUBLE_QUOTES.includes(c)) out += c + c;
    else if (ESCAPES[c] !== undefined) out += ESCAPES[c];
    else if (code < 0x20 || code === 0x7f) out += `\`u{${code.toString(16)}}`;
    else out += c;
  }
  return `"${out}"`;
}

export function renderKey(key: string): string {
  return BAREWORD.test(key) ? key : renderString(key);
}

function renderNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`a data file cannot hold ${n}`);
  // An integer beyond 2^53 is written as a double literal, which is what the value is.
  return Number.isInteger(n) && !Number.isSafeInteger(n) ? n.toExponential() : String(n);
}

const isScalar = (v: Psd1Value): boolean => v === null || typeof v !== 'object';

export function renderValue(v: Psd1Value, indent = ''): string {
  if (v === null) return '$null';
  if (typeof v === 'boolean') return v ? '$true' : '$false';
  if (typeof v === 'number') return renderNumber(v);
  if (typeof v === 'string') return renderString(v);
  if (isScriptBlock(v)) return `{${v.text}}`;
  if (isHashtable(v)) return renderHashtable(v, indent);
  const items = v;
  if (items.length === 0) return '@()';
  if (items.every(isScalar)) return `@(${items.map((i) => renderValue(i)).join(', ')})`;
  const inner = indent + INDENT;
  return `@(\n${items.map((i) => inner + renderValue(i, inner)).join(',\n')}\n${indent})`;
}

function renderHashtable(table: Psd1Hashtable, indent: string): string {
  if (table.entries.length === 0) return '@{}';
  const inner = indent + INDENT;
  const lines = table.entries.map(([k, v]) => `${inner}${renderKey(k)} = ${renderValue(v, inner)}`);
  return `@{\n${lines.join('\n')}\n${indent}}`;
}

/** A whole file: the hashtable's entries one per line at the top level, each after its comment when one is given. */
export function renderPsd1(table: Psd1Hashtable, comments: ReadonlyMap<string, string> = new Map()): string {
  const blocks = table.entries.map(([k, v]) => {
    const comment = comments.get(k);
    const line = `${renderKey(k)} = ${renderValue(v)}`;
    return comment === undefined ? line : `# ${comment.replace(/[\r\n]+/g, ' ')}\n${line}`;
  });
  return `@{\n\n${blocks.join('\n\n')}\n\n}\n`;
}
