/** The bounded reader of PowerShell data files the emulator's JEA resolution uses (no pwsh needed). */
import { listItems, readHashtable, stringList, unquote } from '../../src/emulator/jea/data-file';
import { EmulatorError } from '../../src/emulator/emulator-error';

/** The kind of the EmulatorError reading `text` throws, undefined when it reads. */
function kindOf(text: string): string | undefined {
  try {
    readHashtable(text);
  } catch (e) {
    if (e instanceof EmulatorError) return e.kind;
    throw e;
  }
  return undefined;
}

describe('PowerShell data files', () => {
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
    const entries = readHashtable(text);
    expect(entries.map((e) => e.key)).toEqual([
      'SchemaVersion',
      'SessionType',
      'VisibleCmdlets',
      'FunctionDefinitions',
      'RoleDefinitions',
      'Description',
    ]);
    expect(entries[2]!.value).toBe(
      "'Get-Date',\n    @{ 'Name' = 'Restart-Service'\n       'Parameters' = @{ 'Name' = 'Name'; 'ValidateSet' = 'Spooler', 'W32Time' } }",
    );
    expect(entries[3]!.value).toBe("@{ 'Name' = 'Get-X'; 'ScriptBlock' = { param($a) \"it's `\"$a`\"\" } }");
    const roles = readHashtable(entries[4]!.value);
    expect(roles).toEqual([{ key: 'CONTOSO\\JEA_Ops', value: "@{ RoleCapabilities = 'Maintenance' }" }]);
  });

  test('string lists and unquoting', () => {
    expect(stringList("'a', 'b''c', \"d\"")).toEqual(['a', "b'c", 'd']);
    expect(stringList("@('a'\n 'b')")).toEqual(['a', 'b']);
    expect(stringList('Maintenance')).toEqual(['Maintenance']);
    expect(stringList("'a', @{ x = 1 }")).toBeUndefined();
    expect(listItems("'a', @{ Or = 'b', 'c' }")).toEqual(["'a'", "@{ Or = 'b', 'c' }"]);
    expect(unquote('"$(evil)"')).toBeUndefined();
  });

  test('what is not a data file is refused with a typed error', () => {
    for (const bad of ["@{ a = 'x }", '@{ a = (1 }', 'not a hashtable', '@{ a = 1 } extra', '@{ novalue }', `@{ a = ${'@('.repeat(100)} }`])
      expect(kindOf(bad)).toBe('session-configuration-file');
  });
});
