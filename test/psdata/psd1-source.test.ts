/**
 * Reading a data file located (readPsd1): every value parsed and its PowerShell source text, which the
 * emulator copies into the file it gives `pwsh -ConfigurationFile` (src/emulator/jea/effective-configuration.ts).
 */
import { locatedEntry, PsDataError, readPsd1, type Psd1Document, type Psd1Located } from '../../src/psdata';

/** Each entry of a located hashtable as [key, source text]. */
const sources = (doc: Psd1Document, table: Psd1Located): Array<[string, string]> =>
  (table.entries ?? []).map(([k, v]) => [k, doc.source(v)]);

/** The kind of the PsDataError reading `text` throws, undefined when it reads. */
function kindOf(text: string): string | undefined {
  try {
    readPsd1(text);
  } catch (e) {
    if (e instanceof PsDataError) return e.kind;
    throw e;
  }
  return undefined;
}

describe('PowerShell data files, located', () => {
  test('top-level entries split at ; and line ends, values kept as source, comments dropped', () => {
    const text = `# a header comment
@{
SchemaVersion = '2.0.0.0'; SessionType = 'RestrictedRemoteServer'
<# a block
   comment #>
VisibleCmdlets = 'Get-Date',
    @{ 'Name' = 'Restart-Service'
       'Parameters' = @{ 'Name' = 'Name'; 'ValidateSet' = 'Spooler', 'W32Time' } }  # trailing comment
FunctionDefinitions = @{ 'Name' = 'Get-X'; 'ScriptBlock' = { param($a) "it's \`"$a\`"" } }
'RoleDefinitions' = @{ 'CONTOSO\\JEA_Ops' = @{ RoleCapabilities = 'Maintenance' } }
Description = @'
a here-string with 'quotes' and } braces
'@
}
`;
    const doc = readPsd1(text);
    const entries = sources(doc, doc.root);
    expect(entries.map(([k]) => k)).toEqual([
      'SchemaVersion',
      'SessionType',
      'VisibleCmdlets',
      'FunctionDefinitions',
      'RoleDefinitions',
      'Description',
    ]);
    expect(entries[2]![1]).toBe(
      "'Get-Date',\n    @{ 'Name' = 'Restart-Service'\n       'Parameters' = @{ 'Name' = 'Name'; 'ValidateSet' = 'Spooler', 'W32Time' } }",
    );
    expect(entries[3]![1]).toBe("@{ 'Name' = 'Get-X'; 'ScriptBlock' = { param($a) \"it's `\"$a`\"\" } }");
    expect(entries[5]![1]).toBe("@'\na here-string with 'quotes' and } braces\n'@");
    const roles = locatedEntry(doc.root, 'roledefinitions')!;
    expect(sources(doc, roles)).toEqual([['CONTOSO\\JEA_Ops', "@{ RoleCapabilities = 'Maintenance' }"]]);
    // The same reading gives the values: the script block's text, the nested hashtable's strings.
    expect(locatedEntry(locatedEntry(roles, 'CONTOSO\\JEA_Ops')!, 'RoleCapabilities')!.value).toBe('Maintenance');
    expect(doc.root.value.entries[3]![1]).toMatchObject({
      entries: [
        ['Name', 'Get-X'],
        ['ScriptBlock', { type: 'scriptblock', text: ' param($a) "it\'s `"$a`"" ' }],
      ],
    });
  });

  test('string lists: items located, array statements spread, parentheses kept in the source', () => {
    const doc = readPsd1("@{ a = 'a', 'b''c', \"d\"; b = @('a'\n 'b'); c = ('x', 'y'); d = 'a', @{ Or = 'b', 'c' } }");
    const [a, b, c, d] = doc.root.entries.map(([, v]) => v);
    expect(a!.value).toEqual(['a', "b'c", 'd']);
    expect(a!.items!.map((i) => doc.source(i))).toEqual(["'a'", "'b''c'", '"d"']);
    expect(b!.value).toEqual(['a', 'b']);
    expect(doc.source(b!)).toBe("@('a'\n 'b')");
    expect(c!.value).toEqual(['x', 'y']);
    expect(doc.source(c!)).toBe("('x', 'y')");
    expect(d!.items!.map((i) => doc.source(i))).toEqual(["'a'", "@{ Or = 'b', 'c' }"]);
  });

  test('what is not a data file is refused with a typed error', () => {
    for (const bad of ["@{ a = 'x }", '@{ a = (1 }', 'not a hashtable', '@{ a = 1 } extra', '@{ novalue }'])
      expect(kindOf(bad)).toBe('malformed');
    expect(kindOf(`@{ a = ${'@('.repeat(100)} }`)).toBe('beyond-bounds');
    // Code is refused rather than copied for pwsh to run: an expanding string, a bare word (a command).
    expect(kindOf('@{ a = "$(evil)" }')).toBe('code');
    expect(kindOf('@{ RoleCapabilities = Maintenance }')).toBe('code');
  });
});
