import fc from 'fast-check';
import { parseDataFile } from '../../src/host/jea/data-file';
import { CONFIGURATION_FILE_FIELDS } from '../../src/host/jea/fields';
import { HostError } from '../../src/host/host-error';
import {
  decodeDataFile,
  encodeDataFile,
  hashtable,
  parsePsd1,
  parsePsd1Value,
  PSD1_LIMITS,
  renderPsd1,
  renderValue,
  scriptBlock,
  Psd1Error,
  PsDataError,
  type Psd1Value,
} from '../../src/psdata';

function errorOf(text: string): Psd1Error {
  try {
    parsePsd1(text);
  } catch (e) {
    if (e instanceof Psd1Error) return e;
    throw e;
  }
  throw new Error(`parsed: ${text}`);
}

describe('parsing what data files hold', () => {
  it('reads the shapes New-PSSessionConfigurationFile writes', () => {
    const text = [
      '@{',
      '',
      '# Version number of the schema used for this document',
      "SchemaVersion = '2.0.0.0'",
      '',
      "SessionType = 'RestrictedRemoteServer'",
      'RunAsVirtualAccount = $true',
      'RoleDefinitions = @{',
      "    'CONTOSO\\SqlAdmins' = @{",
      "        'RoleCapabilities' = 'SqlAdministration' }",
      "    'CONTOSO\\ServerMonitors' = @{ 'RoleCapabilities' = 'BasicMonitoring', 'Other' } }",
      'VisibleCmdlets = @{',
      "    'Name' = 'Restart-Service'",
      "    'Parameters' = @{",
      "        'Name' = 'Name'",
      "        'ValidateSet' = 'Spooler' } }, 'Get-Service'",
      "FunctionDefinitions = @{ 'Name' = 'Get-Thing'; 'ScriptBlock' = { param($x) \"got $x\" } }",
      'UserDriveMaximumSize = 50MB',
      '<# a block',
      'comment #>',
      '}',
    ].join('\r\n');
    const t = parsePsd1(text);
    expect(t.entries.map(([k]) => k)).toEqual([
      'SchemaVersion',
      'SessionType',
      'RunAsVirtualAccount',
      'RoleDefinitions',
      'VisibleCmdlets',
      'FunctionDefinitions',
      'UserDriveMaximumSize',
    ]);
    expect(t.entries[2]?.[1]).toBe(true);
    expect(t.entries[3]?.[1]).toEqual(
      hashtable([
        ['CONTOSO\\SqlAdmins', hashtable([['RoleCapabilities', 'SqlAdministration']])],
        ['CONTOSO\\ServerMonitors', hashtable([['RoleCapabilities', ['BasicMonitoring', 'Other']]])],
      ]),
    );
    expect(t.entries[4]?.[1]).toEqual([
      hashtable([
        ['Name', 'Restart-Service'],
        [
          'Parameters',
          hashtable([
            ['Name', 'Name'],
            ['ValidateSet', 'Spooler'],
          ]),
        ],
      ]),
      'Get-Service',
    ]);
    expect(t.entries[5]?.[1]).toEqual(
      hashtable([
        ['Name', 'Get-Thing'],
        ['ScriptBlock', scriptBlock(' param($x) "got $x" ')],
      ]),
    );
    expect(t.entries[6]?.[1]).toBe(50 * 1024 * 1024);
  });

  it.each<[string, Psd1Value]>([
    ["'it''s'", "it's"],
    ['"a`tb`n""q"""', 'a\tb\n"q"'],
    ['"cost: $ 5"', 'cost: $ 5'],
    ['"`u{1F600}"', '\u{1F600}'],
    ['\u2018smart\u2019\u2019s\u2019', 'smart\u2019s'],
    ["@'\nline 1\n  'quoted' @\n'@", "line 1\n  'quoted' @"],
    ['@"\r\nA`tB\r\n"@', 'A\tB'],
    ['0x1F', 31],
    ['-12', -12],
    ['1.5e3', 1500],
    ['10l', 10],
    ['2kb', 2048],
    ['$TRUE', true],
    ['$Null', null],
    ['@()', []],
    ["@('a'; 'b', 'c'\n 'd')", ['a', 'b', 'c', 'd']],
    ["'a',\n  'b'", ['a', 'b']],
    ["('x')", 'x'],
    ['{ if ($a) { "}" } # }\n }', scriptBlock(' if ($a) { "}" } # }\n ')],
    ['@{}', hashtable([])],
    [
      "@{ a = 1; 'b c' = `\n 2 }",
      hashtable([
        ['a', 1],
        ['b c', 2],
      ]),
    ],
  ])('%j', (text, value) => {
    expect(parsePsd1Value(text)).toEqual(value);
  });

  it.each([
    ['@{ a = $env:USERNAME }', 1, 8, 'variables', 'code'],
    ['@{ a = "x $(Get-Date)" }', 1, 11, 'would be expanded', 'code'],
    ['@{ a = "x $name" }', 1, 11, 'would be expanded', 'code'],
    ['@{ a = [int]5 }', 1, 8, 'casts', 'code'],
    ['@{ a = Get-Date }', 1, 8, 'unexpected', 'code'],
    ['@{\n  a = 1\n  a = 2\n}', 3, 3, 'duplicate key', 'malformed'],
    ['@{ A = 1; a = 2 }', 1, 11, 'duplicate key', 'malformed'],
    ["@{ a = 'open }", 1, 8, 'not closed', 'malformed'],
    ['@{ a = 1 2 }', 1, 10, 'expected after the value', 'malformed'],
    ['@{ a = 1 }\nextra', 2, 1, 'after the hashtable', 'malformed'],
    ["'just a string'", 1, 1, 'one hashtable', 'malformed'],
    ['@{ a = 99999999999999999999 }', 1, 8, 'beyond', 'beyond-bounds'],
    ['@{ a = @"x\n"@ }', 1, 10, 'new line', 'malformed'],
  ])('refuses %j at line %d, column %d', (text, line, column, words, kind) => {
    const e = errorOf(text);
    expect(e).toBeInstanceOf(PsDataError);
    expect(e.kind).toBe(kind);
    expect(e.position).toMatchObject({ line, column });
    expect(e.message).toContain(words);
    // The host layer reports the same file as its own error kind, the codec's error (with its position) as the cause.
    let hostError: unknown;
    try {
      parseDataFile(CONFIGURATION_FILE_FIELDS, text);
    } catch (thrown) {
      hostError = thrown;
    }
    expect(hostError).toBeInstanceOf(HostError);
    expect(hostError).toMatchObject({ kind: 'invalid-data-file', message: e.message });
    expect((hostError as HostError).cause).toBeInstanceOf(Psd1Error);
  });

  it('bounds depth and length', () => {
    const deep = '@{ a = ' + '@('.repeat(PSD1_LIMITS.maxDepth + 1) + ')'.repeat(PSD1_LIMITS.maxDepth + 1) + ' }';
    expect(errorOf(deep)).toMatchObject({ kind: 'beyond-bounds', detail: expect.stringMatching(/nested deeper/) as unknown });
    const braces = '@{ a = ' + '{'.repeat(100000) + ' }';
    expect(errorOf(braces)).toMatchObject({ kind: 'beyond-bounds', detail: expect.stringMatching(/nested deeper/) as unknown });
    const long = `@{ a = '${'x'.repeat(PSD1_LIMITS.maxLength)}' }`;
    expect(errorOf(long)).toMatchObject({ kind: 'beyond-bounds', position: { offset: 0 } });
  });
});

const key = fc.oneof(
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/),
  fc.string({ maxLength: 12, unit: 'grapheme' }).filter((s) => s.length > 0),
);

/** Values as the parser returns them: numbers that render and parse exactly, keys unique case-insensitively. */
const value: fc.Arbitrary<Psd1Value> = fc.letrec<{ v: Psd1Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }).map((items) => items.flatMap((i) => (Array.isArray(i) ? [] : [i]))),
    fc.uniqueArray(fc.tuple(key, tie('v')), { maxLength: 4, selector: ([k]) => k.toLowerCase() }).map((entries) => hashtable(entries)),
  ),
})).v;

describe('properties', () => {
  it('what we render parses back to the same values', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, value), { maxLength: 6, selector: ([k]) => k.toLowerCase() }), (entries) => {
        const table = hashtable(entries);
        expect(parsePsd1(renderPsd1(table))).toEqual(table);
      }),
      { numRuns: 300 },
    );
  });

  it('rendering is deterministic and a fixed point', () => {
    fc.assert(
      fc.property(value, (v) => {
        const once = renderValue(v);
        expect(renderValue(parsePsd1Value(once))).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  it('any text either parses or gives a Psd1Error with a position inside it', () => {
    const alphabet = fc.constantFrom(
      ..."@{}()[],;=$'\"`#<>\n\r \t-+.0x9aZ$true$null@'\n'@{".split(''),
      '$true',
      '<#',
      '#>',
      '@"\n',
      '\n"@',
    );
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 60 }).map((a) => '@{' + a.join('')),
        (text) => {
          try {
            parsePsd1(text);
          } catch (e) {
            expect(e).toBeInstanceOf(Psd1Error);
            const { offset, line, column } = (e as Psd1Error).position;
            expect(offset).toBeGreaterThanOrEqual(0);
            expect(offset).toBeLessThanOrEqual(text.length);
            expect(line).toBeGreaterThanOrEqual(1);
            expect(column).toBeGreaterThanOrEqual(1);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('file bytes', () => {
  it('writes UTF-8 with a mark and reads UTF-16 (as the cmdlets write), UTF-8 with or without a mark', () => {
    const text = "@{ a = 'é\u2019s' }";
    expect(encodeDataFile(text).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(decodeDataFile(encodeDataFile(text))).toBe(text);
    expect(decodeDataFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toBe(text);
    const be = Buffer.from(text, 'utf16le').swap16();
    expect(decodeDataFile(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe(text);
    expect(decodeDataFile(Buffer.from(text, 'utf8'))).toBe(text);
  });
});
