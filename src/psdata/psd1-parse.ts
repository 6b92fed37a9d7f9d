/**
 * A bounded parser of PowerShell data files (.psd1, .pssc, .psrc): the data language of
 * about_Data_Files and about_Language_Keywords' restricted mode, as `Import-PowerShellDataFile` reads it —
 * hashtables `@{}`, arrays `@()` and comma lists, parentheses, single- and double-quoted strings and
 * here-strings (about_Quoting_Rules: doubled quotes, the typographic quote characters, backtick escapes),
 * numbers (about_Numeric_Literals: decimal, hex, type and multiplier suffixes), `$true`/`$false`/`$null`,
 * script blocks kept as text, `#` and `<# #>` comments and backtick line continuations.
 *
 * Anything else — a variable, a subexpression or variable inside a double-quoted string, a cast, a
 * command — is refused with a Psd1Error carrying its line and column: a file the host would evaluate
 * differently from what we read must not be compared as if it were data. Input length and nesting depth
 * are bounded, so hostile input costs at most linear time.
 *
 * Every value comes back located (Psd1Located): the host compares the values, the emulator copies each
 * value's source text into the file it gives `pwsh -ConfigurationFile`, from one reading of the file.
 */
import type { PsDataErrorKind } from './psdata-error';
import {
  hashtable,
  scriptBlock,
  Psd1Error,
  type Psd1Document,
  type Psd1Hashtable,
  type Psd1Located,
  type Psd1Span,
  type Psd1Value,
} from './psd1-value';

export const PSD1_LIMITS = {
  /** Characters: far above any real session configuration or role capability file. */
  maxLength: 1 << 20,
  /** Nested hashtables, arrays, parentheses and script block braces. */
  maxDepth: 32,
};

const SINGLE_QUOTES = "'\u2018\u2019\u201A\u201B";
const DOUBLE_QUOTES = '"\u201C\u201D\u201E';
const isSingleQuote = (c: string | undefined): boolean => c !== undefined && c !== '' && SINGLE_QUOTES.includes(c);
const isDoubleQuote = (c: string | undefined): boolean => c !== undefined && c !== '' && DOUBLE_QUOTES.includes(c);
const isNewline = (c: string | undefined): boolean => c === '\n' || c === '\r';
const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\u00A0';
const isIdentifierChar = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9_]$/.test(c);

const BACKTICK_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

const MULTIPLIERS: Readonly<Record<string, number>> = { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4, pb: 1024 ** 5 };

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  fail(detail: string, at = this.pos, kind: PsDataErrorKind = 'malformed'): never {
    const before = this.text.slice(0, at);
    const line = (before.match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
    const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
    throw new Psd1Error(kind, detail, { offset: at, line, column: at - lineStart + 1 });
  }

  /** Code where data must be: refused, as Import-PowerShellDataFile refuses it. */
  private refuse(detail: string, at = this.pos): never {
    return this.fail(detail, at, 'code');
  }

  private checkLength(): void {
    if (this.text.length > PSD1_LIMITS.maxLength) this.fail(`longer than ${PSD1_LIMITS.maxLength} characters`, 0, 'beyond-bounds');
  }

  private spanFrom(start: number): Psd1Span {
    return { start, end: this.pos };
  }

  private peek(ahead = 0): string | undefined {
    return this.text[this.pos + ahead];
  }

  private get atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private enter(): void {
    if (++this.depth > PSD1_LIMITS.maxDepth) this.fail(`nested deeper than ${PSD1_LIMITS.maxDepth} levels`, this.pos, 'beyond-bounds');
  }

  private leave(): void {
    this.depth--;
  }

  /** Blanks, comments and line continuations; newlines too when `newlines`. */
  skip(newlines: boolean): void {
    for (;;) {
      const c = this.peek();
      if (isBlank(c) || (newlines && isNewline(c))) this.pos++;
      else if (c === '`' && isNewline(this.peek(1))) this.pos += this.peek(1) === '\r' && this.peek(2) === '\n' ? 3 : 2;
      else if (c === '<' && this.peek(1) === '#') {
        const end = this.text.indexOf('#>', this.pos + 2);
        if (end < 0) this.fail('a block comment <# is not closed by #>');
        this.pos = end + 2;
      } else if (c === '#') {
        while (!this.atEnd && !isNewline(this.peek())) this.pos++;
      } else return;
    }
  }

  /** The whole file: one hashtable, with comments and blank lines around it. */
  file(): Psd1Document['root'] {
    this.checkLength();
    if (this.peek() === '\uFEFF') this.pos++;
    this.skip(true);
    const start = this.pos;
    if (this.peek() !== '@' || this.peek(1) !== '{') this.fail('a data file must hold one hashtable, @{ ... }');
    const root = this.expression();
    this.skip(true);
    if (!this.atEnd) this.fail('unexpected text after the hashtable');
    if (root.entries === undefined) this.fail('a data file must hold one hashtable', start);
    return root as Psd1Document['root'];
  }

  /** One value and nothing after it. */
  lone(): Psd1Located {
    this.checkLength();
    this.skip(true);
    const value = this.expression();
    this.skip(true);
    if (!this.atEnd) this.fail('unexpected text after the value');
    return value;
  }

  /** One value: a comma list becomes an array (newlines may follow a comma). */
  expression(): Psd1Located {
    const first = this.unary();
    this.skip(false);
    if (this.peek() !== ',') return first;
    const items: Psd1Located[] = [first];
    let end = first.span.end;
    while (this.peek() === ',') {
      this.pos++;
      this.skip(true);
      const item = this.unary();
      items.push(item);
      end = item.span.end;
      this.skip(false);
    }
    return { value: items.map((i) => i.value), span: { start: first.span.start, end }, items };
  }

  private unary(): Psd1Located {
    const c = this.peek();
    const start = this.pos;
    if (c === undefined) return this.fail('a value is missing at the end of the file');
    if (c === '@') {
      const next = this.peek(1);
      if (next === '{') return this.hashtableBody();
      if (next === '(') return this.arrayBody();
      if (isSingleQuote(next) || isDoubleQuote(next)) return this.scalar(start, this.hereString());
      return this.fail('"@" must start @{ }, @( ) or a here-string');
    }
    if (isSingleQuote(c)) return this.scalar(start, this.singleQuoted());
    if (isDoubleQuote(c)) return this.scalar(start, this.doubleQuoted());
    if (c === '$') return this.scalar(start, this.constant());
    if (c === '{') return this.scalar(start, this.scriptBlockBody());
    if (c === '(') {
      this.enter();
      this.pos++;
      this.skip(true);
      const inner = this.expression();
      this.skip(true);
      if (this.peek() !== ')') this.fail('")" expected');
      this.pos++;
      this.leave();
      return { ...inner, span: this.spanFrom(start) };
    }
    if (/[0-9.+-]/.test(c)) {
      const n = this.number();
      if (n !== undefined) return this.scalar(start, n);
    }
    if (c === '[') return this.refuse('type casts are not data', start);
    return this.refuse(`unexpected ${JSON.stringify(c)}: only strings, numbers, $true, $false, $null, @{ }, @( ) and { } are data`, start);
  }

  /** A value without parts, read from `start` to here. */
  private scalar(start: number, value: Psd1Value): Psd1Located {
    return { value, span: this.spanFrom(start) };
  }

  /**
   * The statements of `@{ }` or `@( )` from its opener up to `close`, separated by newlines or ";" (empty
   * ones allowed). `statement` reads one and returns where it is, for the error when something follows it.
   */
  private statements(close: '}' | ')', what: string, statement: () => string): void {
    this.enter();
    this.pos += 2;
    for (;;) {
      this.skip(true);
      const c = this.peek();
      if (c === ';') {
        this.pos++;
        continue;
      }
      if (c === close) {
        this.pos++;
        break;
      }
      if (c === undefined) this.fail(`the ${what} is not closed by "${close}"`);
      const where = statement();
      this.skip(false);
      const after = this.peek();
      if (after !== undefined && after !== close && after !== ';' && !isNewline(after))
        this.fail(`a newline, ";" or "${close}" expected ${where}`);
    }
    this.leave();
  }

  private hashtableBody(): Psd1Located {
    const start = this.pos;
    const entries: Array<readonly [string, Psd1Located]> = [];
    const seen = new Set<string>();
    this.statements('}', 'hashtable', () => {
      const keyAt = this.pos;
      const key = this.key();
      if (seen.has(key.toLowerCase())) this.fail(`duplicate key "${key}"`, keyAt);
      seen.add(key.toLowerCase());
      this.skip(false);
      if (this.peek() !== '=') this.fail(`"=" expected after the key "${key}"`);
      this.pos++;
      this.skip(true);
      entries.push([key, this.expression()]);
      return `after the value of "${key}"`;
    });
    const value: Psd1Hashtable = hashtable(entries.map(([k, v]) => [k, v.value] as const));
    return { value, span: this.spanFrom(start), entries };
  }

  private key(): string {
    const c = this.peek();
    if (isSingleQuote(c)) return this.singleQuoted();
    if (isDoubleQuote(c)) return this.doubleQuoted();
    const match = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(this.text.slice(this.pos, this.pos + 256));
    if (!match) return this.fail('a key (a name or a quoted string) expected');
    this.pos += match[0].length;
    return match[0];
  }

  /** `@( ... )`: statements separated by newlines or ";", each one's items spread into the array. */
  private arrayBody(): Psd1Located {
    const start = this.pos;
    const items: Psd1Located[] = [];
    this.statements(')', 'array', () => {
      const statement = this.expression();
      items.push(...(statement.items ?? [statement]));
      return 'in the array';
    });
    return { value: items.map((i) => i.value), span: this.spanFrom(start), items };
  }

  private singleQuoted(): string {
    return this.quoted(isSingleQuote, () => this.literal());
  }

  private doubleQuoted(): string {
    return this.quoted(isDoubleQuote, () => this.expandable());
  }

  /** A quoted string up to its closing quote, a doubled quote standing for one; `character` reads the others. */
  private quoted(isQuote: (c: string | undefined) => boolean, character: () => string): string {
    const start = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) return this.fail('the quoted string is not closed', start);
      if (isQuote(c)) {
        this.pos++;
        const next = this.peek();
        if (!isQuote(next)) return out;
        out += next;
        this.pos++;
      } else out += character();
    }
  }

  /** One character as it is (single-quoted strings and here-strings expand nothing). */
  private literal(): string {
    const c = this.peek() as string;
    this.pos++;
    return c;
  }

  /** One character (or escape) of a double-quoted string or here-string; `$` that would expand is refused. */
  private expandable(): string {
    const c = this.peek() as string;
    if (c === '`') {
      const e = this.peek(1);
      if (e === undefined) return this.fail('a backtick at the end of the file');
      if (e === 'u' && this.peek(2) === '{') {
        const m = /^\{([0-9A-Fa-f]{1,6})\}/.exec(this.text.slice(this.pos + 2, this.pos + 10));
        const cp = m ? parseInt(m[1] ?? '', 16) : NaN;
        if (!m || cp > 0x10ffff) this.fail('`u{...} needs 1 to 6 hex digits of a code point');
        this.pos += 2 + m[0].length;
        return String.fromCodePoint(cp);
      }
      this.pos += 2;
      return BACKTICK_ESCAPES[e] ?? e;
    }
    if (c === '$') {
      const next = this.peek(1);
      if (next !== undefined && /[A-Za-z0-9_?{(:^$]/.test(next))
        this.refuse('a variable or subexpression in a double-quoted string would be expanded: data files hold no code');
    }
    this.pos++;
    return c;
  }

  /** `@'` / `@"` then a newline; ends at a line that starts with the closing quote and `@`. */
  private hereString(): string {
    const start = this.pos;
    const quote = this.peek(1) as string;
    const expanding = isDoubleQuote(quote);
    this.pos += 2;
    while (isBlank(this.peek())) this.pos++;
    if (!isNewline(this.peek())) this.fail('a here-string must start a new line after its opening quote');
    this.pos += this.peek() === '\r' && this.peek(1) === '\n' ? 2 : 1;
    const closes = (at: number): boolean =>
      (expanding ? isDoubleQuote(this.text[at]) : isSingleQuote(this.text[at])) && this.text[at + 1] === '@';
    let out = '';
    let lineStart = true;
    for (;;) {
      if (this.atEnd) return this.fail('the here-string is not closed', start);
      if (lineStart && closes(this.pos)) {
        this.pos += 2;
        return out.replace(/\r?\n$/, '');
      }
      const c = this.peek() as string;
      lineStart = c === '\n' || (c === '\r' && this.peek(1) !== '\n');
      out += expanding && c !== '\n' && c !== '\r' ? this.expandable() : this.literal();
    }
  }

  private constant(): boolean | null {
    const m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(this.text.slice(this.pos, this.pos + 64));
    const name = m?.[1]?.toLowerCase();
    if (m && !isIdentifierChar(this.text[this.pos + m[0].length]) && this.text[this.pos + m[0].length] !== ':') {
      const value = name === 'true' ? true : name === 'false' ? false : name === 'null' ? null : undefined;
      if (value !== undefined) {
        this.pos += m[0].length;
        return value;
      }
    }
    return this.refuse('variables other than $true, $false and $null are not data');
  }

  /** A number literal, or undefined when the text here is not one (the caller reports it). */
  private number(): number | undefined {
    const m = /^([+-]?)(?:0x([0-9A-Fa-f]+)|((?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?))(ul|us|uy|u|l|d|s|y|n)?(kb|mb|gb|tb|pb)?/i.exec(
      this.text.slice(this.pos, this.pos + 128),
    );
    if (!m || isIdentifierChar(this.text[this.pos + m[0].length]) || (m[2] === undefined && m[3] === undefined)) return undefined;
    const [, sign, hex, decimal, , multiplier] = m;
    let n = hex !== undefined ? parseInt(hex, 16) : Number(decimal);
    if (multiplier !== undefined) n *= MULTIPLIERS[multiplier.toLowerCase()] ?? 1;
    if (sign === '-') n = -n;
    // An integer literal PowerShell holds exactly (Int64, decimal) must be one a JS number holds exactly too.
    const integerLiteral = hex !== undefined || !/[.e]/i.test(decimal ?? '');
    if (!Number.isFinite(n) || (integerLiteral && !Number.isSafeInteger(n)))
      this.fail('the number is beyond what this parser holds exactly', this.pos, 'beyond-bounds');
    this.pos += m[0].length;
    return n;
  }

  /** `{ ... }` up to its matching brace, skipping strings and comments inside; the inner text as written. */
  private scriptBlockBody(): Psd1Value {
    const open = this.pos;
    this.enter();
    this.pos++;
    let nesting = 1;
    while (nesting > 0) {
      const c = this.peek();
      if (c === undefined) return this.fail('the script block is not closed by "}"', open);
      if (c === '{') {
        this.enter();
        nesting++;
        this.pos++;
      } else if (c === '}') {
        nesting--;
        this.leave();
        this.pos++;
      } else if (c === '#' || (c === '<' && this.peek(1) === '#')) this.skip(false);
      else if (c === '@' && (isSingleQuote(this.peek(1)) || isDoubleQuote(this.peek(1))) && this.hereStringStartsHere())
        this.skipHereString();
      else if (isSingleQuote(c)) this.singleQuoted();
      else if (isDoubleQuote(c)) this.skipDoubleQuotedCode();
      else if (c === '`') this.pos += 2;
      else this.pos++;
    }
    return scriptBlock(this.text.slice(open + 1, this.pos - 1));
  }

  private hereStringStartsHere(): boolean {
    let at = this.pos + 2;
    while (isBlank(this.text[at])) at++;
    return isNewline(this.text[at]);
  }

  private skipHereString(): void {
    const start = this.pos;
    const expanding = isDoubleQuote(this.peek(1));
    const pattern = expanding ? /[\r\n]["\u201C\u201D\u201E]@/g : /[\r\n]['\u2018\u2019\u201A\u201B]@/g;
    pattern.lastIndex = this.pos + 2;
    const m = pattern.exec(this.text);
    if (!m) this.fail('the here-string is not closed', start);
    this.pos = m.index + 3;
  }

  /** Code's double-quoted strings may hold variables and subexpressions: skipped, not expanded. */
  private skipDoubleQuotedCode(): void {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('the quoted string is not closed', start);
      this.pos++;
      if (c === '`') this.pos++;
      else if (isDoubleQuote(c)) {
        if (!isDoubleQuote(this.peek())) return;
        this.pos++;
      }
    }
  }
}

/** A data file, located: its hashtable with every value's span. Throws Psd1Error for anything that is not data or exceeds PSD1_LIMITS. */
export function readPsd1(text: string): Psd1Document {
  const root = new Parser(text).file();
  return { root, source: (located) => text.slice(located.span.start, located.span.end) };
}

/** A data file's hashtable. Throws Psd1Error for anything that is not data or exceeds PSD1_LIMITS. */
export function parsePsd1(text: string): Psd1Hashtable {
  return readPsd1(text).root.value;
}

/** One value on its own (a test and tooling entry point): the same language as a file's values. */
export function parsePsd1Value(text: string): Psd1Value {
  return new Parser(text).lone().value;
}
