import fc from 'fast-check';
import {
  changedFields,
  configurationFileGuid,
  configurationFilePath,
  CONFIGURATION_FILE_FIELDS,
  parseDataFile,
  renderDataFile,
  roleDefinitionsSddl,
  ROLE_CAPABILITY_FIELDS,
  validateFields,
  withConfigurationFile,
  withoutConfigurationFile,
  hashtableOf,
  Psd1ShapeError,
  renderPsd1,
  type FieldValues,
} from '../../../src/host/jea';
import type { Psd1Value } from '../../../src/psdata';
import { FULL_CONFIGURATION } from '../../support/jea-fixtures';
import { registerDocument } from '../../../src/host/session-configuration';
import { canonicalSddl, getInitParam } from '../../../src/wsman/config';

const GUID = configurationFileGuid('Ops.Jea');

describe('configuration files', () => {
  it('reads back every field as rendered, with no change on any field', () => {
    const text = renderDataFile(CONFIGURATION_FILE_FIELDS, FULL_CONFIGURATION, GUID);
    const parsed = parseDataFile(CONFIGURATION_FILE_FIELDS, text);
    expect(parsed.guid).toBe(GUID);
    expect(parsed.otherKeys).toEqual([]);
    expect(changedFields(CONFIGURATION_FILE_FIELDS, FULL_CONFIGURATION, parsed.values)).toEqual([]);
    expect(Object.keys(parsed.values).sort()).toEqual(Object.keys(FULL_CONFIGURATION).sort());
    expect(text).toBe(renderDataFile(CONFIGURATION_FILE_FIELDS, FULL_CONFIGURATION, GUID));
  });

  it('sees no drift in whitespace, comments, key order, quoting, letter case of names or a gMSA $', () => {
    const declared: FieldValues = {
      session_type: 'RestrictedRemoteServer',
      group_managed_service_account: 'CONTOSO\\jea-gmsa',
      role_definitions: { 'CONTOSO\\DnsAdmins': { role_capabilities: ['DnsOperator', 'Auditor'] } },
      visible_cmdlets: [
        { name: 'Restart-Service', parameters: [{ name: 'Name', validate_set: ['Spooler', 'Dns'] }] },
        { name: 'Get-Service' },
      ],
      visible_providers: ['FileSystem', 'Registry'],
      function_definitions: { 'Get-Thing': 'Get-Date' },
    };
    const handWritten = [
      '# written by hand',
      '@{',
      '  VisibleProviders = "registry", \'FileSystem\'   <# order and case #>',
      "  RoleDefinitions = @{ 'contoso\\dnsadmins' = @{ RoleCapabilities = @('auditor'; 'DnsOperator') } }",
      "  GUID = 'c2a0a0a0-0000-0000-0000-000000000000'",
      "  VisibleCmdlets = 'Get-Service', @{ Name = \"restart-service\"; Parameters = @{ Name = 'name'; ValidateSet = 'dns', 'spooler' } }",
      "  FunctionDefinitions = @{ Name = 'Get-Thing'; ScriptBlock = {",
      '      Get-Date',
      '  } }',
      "  GroupManagedServiceAccount = 'CONTOSO\\JEA-GMSA$'",
      "  SessionType = 'RestrictedRemoteServer'",
      "  Author = 'someone'",
      '}',
    ].join('\r\n');
    const parsed = parseDataFile(CONFIGURATION_FILE_FIELDS, handWritten);
    expect(changedFields(CONFIGURATION_FILE_FIELDS, declared, parsed.values)).toEqual([]);
    expect(parsed.otherKeys).toEqual(['Author']);
  });

  it.each([
    ['language_mode', "LanguageMode = 'NoLanguage'", "LanguageMode = 'FullLanguage'"],
    ['visible_cmdlets', "ValidateSet = @('Spooler', 'Dns')", "ValidateSet = @('Spooler', 'Dns', 'WinRM')"],
    ['role_definitions', "RoleCapabilities = @('DnsOperator', 'Auditor')", "RoleCapabilities = @('DnsOperator')"],
    ['run_as_virtual_account', 'RunAsVirtualAccount = $true', 'RunAsVirtualAccount = $false'],
    ['function_definitions', '(Get-Date) - $script:boot', '(Get-Date) + $script:boot'],
    ['environment_variables', "JEA_ROLE = 'dns'", "JEA_ROLE = 'dhcp'"],
    ['scripts_to_process', "ScriptsToProcess = @('C:\\JEA\\Start.ps1')", "ScriptsToProcess = @('C:\\JEA\\Start.ps1', 'C:\\JEA\\More.ps1')"],
  ])('a hand edit of %s is drift on exactly that field', (field, from, to) => {
    const text = renderDataFile(CONFIGURATION_FILE_FIELDS, FULL_CONFIGURATION, GUID);
    expect(text).toContain(from);
    const edited = parseDataFile(CONFIGURATION_FILE_FIELDS, text.replace(from, to));
    expect(changedFields(CONFIGURATION_FILE_FIELDS, FULL_CONFIGURATION, edited.values)).toEqual([field]);
  });

  it('a field added or removed by hand is drift on that field', () => {
    const text = renderDataFile(CONFIGURATION_FILE_FIELDS, { session_type: 'RestrictedRemoteServer' }, GUID);
    const added = parseDataFile(CONFIGURATION_FILE_FIELDS, text.replace('\n}', "\nLanguageMode = 'FullLanguage'\n}"));
    expect(changedFields(CONFIGURATION_FILE_FIELDS, { session_type: 'RestrictedRemoteServer' }, added.values)).toEqual(['language_mode']);
    expect(
      changedFields(
        CONFIGURATION_FILE_FIELDS,
        { session_type: 'RestrictedRemoteServer', language_mode: 'NoLanguage' },
        parseDataFile(CONFIGURATION_FILE_FIELDS, text).values,
      ),
    ).toEqual(['language_mode']);
  });

  it('refuses a field of the wrong shape, naming its key', () => {
    expect(() => parseDataFile(CONFIGURATION_FILE_FIELDS, '@{ RunAsVirtualAccount = "yes" }')).toThrow(
      /RunAsVirtualAccount: expected \$true or \$false/,
    );
    expect(() => parseDataFile(CONFIGURATION_FILE_FIELDS, '@{ RoleDefinitions = @{ a = "x" } }')).toThrow(
      /RoleDefinitions: expected a hashtable/,
    );
    expect(() => parseDataFile(CONFIGURATION_FILE_FIELDS, '@{ RequiredGroups = @{ And = @{ Or = "a" } } }')).toThrow(/nested And\/Or/);
  });

  it('role capability files carry the session contents and a description', () => {
    const values: FieldValues = {
      description: 'DNS operators',
      visible_cmdlets: [{ name: 'Get-DnsServerZone' }],
      visible_functions: [{ name: 'Clear-DnsCache' }],
    };
    const text = renderDataFile(ROLE_CAPABILITY_FIELDS, values, GUID);
    expect(changedFields(ROLE_CAPABILITY_FIELDS, values, parseDataFile(ROLE_CAPABILITY_FIELDS, text).values)).toEqual([]);
  });
});

describe('plan-time validation', () => {
  it('accepts the full configuration', () => {
    expect(
      validateFields(CONFIGURATION_FILE_FIELDS, { ...FULL_CONFIGURATION, required_groups: { or: ['x'] } }, { absolutePaths: true }),
    ).toEqual([]);
  });

  it.each<[FieldValues, ReadonlyArray<string | number | { key: string }>, RegExp]>([
    [{ session_type: 'restricted' }, ['session_type'], /must be one of/],
    [{ language_mode: 'nolanguage' }, ['language_mode'], /NoLanguage/],
    [{ run_as_virtual_account: true, group_managed_service_account: 'C\\g$' }, ['group_managed_service_account'], /exclude each other/],
    [{ run_as_virtual_account_groups: ['x'] }, ['run_as_virtual_account_groups'], /needs run_as_virtual_account/],
    [{ group_managed_service_account: 'a b' }, ['group_managed_service_account'], /DOMAIN\\name/],
    [{ visible_cmdlets: [{ name: 'Get-Service; rm' }] }, ['visible_cmdlets', 0, 'name'], /not a command name/],
    [
      { visible_cmdlets: [{ name: 'X', parameters: [{ name: 'P', validate_set: ['a'], validate_pattern: 'a' }] }] },
      ['visible_cmdlets', 0, 'parameters', 0],
      /not both/,
    ],
    [
      { visible_functions: [{ name: 'X', parameters: [{ name: 'P', validate_pattern: '(' }] }] },
      ['visible_functions', 0, 'parameters', 0, 'validate_pattern'],
      /regular expression/,
    ],
    [{ visible_cmdlets: [{ name: 'Get-*', parameters: [{ name: 'Name' }] }] }, ['visible_cmdlets', 0, 'parameters'], /without wildcards/],
    [{ role_definitions: { 'C\\G': {} } }, ['role_definitions', { key: 'C\\G' }], /at least one/],
    [
      { role_definitions: { 'C\\G': { role_capability_files: ['x.psrc'] } } },
      ['role_definitions', { key: 'C\\G' }, 'role_capability_files', 0],
      /full path/,
    ],
    [
      { role_definitions: { 'C\\G': { role_capabilities: ['a\\b'] } } },
      ['role_definitions', { key: 'C\\G' }, 'role_capabilities', 0],
      /role capability name/,
    ],
    [{ required_groups: { and: ['a'], or: ['b'] } }, ['required_groups'], /exactly one/],
    [{ scripts_to_process: ['Start.ps1'] }, ['scripts_to_process', 0], /full path/],
    [{ formats_to_process: ['C:\\f.xml'] }, ['formats_to_process', 0], /\.ps1xml/],
    [{ user_drive_maximum_size: 5 }, ['user_drive_maximum_size'], /needs mount_user_drive/],
    [{ transcript_directory: 'logs' }, ['transcript_directory'], /full path/],
    [{ function_definitions: { 'two words': 'x' } }, ['function_definitions', { key: 'two words' }], /function name/],
  ])('%j', (values, path, message) => {
    const findings = validateFields(CONFIGURATION_FILE_FIELDS, values, { absolutePaths: true });
    expect(findings).toEqual([{ path, message: expect.stringMatching(message) as string }]);
  });

  it('lets a role capability name its scripts relative to its module', () => {
    expect(validateFields(ROLE_CAPABILITY_FIELDS, { scripts_to_process: ['Start.ps1'] }, { absolutePaths: false })).toEqual([]);
  });
});

describe('the plugin document Register writes for a file', () => {
  it('points at the file and carries the run-as settings', () => {
    const path = configurationFilePath('Ops.Jea');
    expect(path).toBe(`C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\SessionConfig\\Ops.Jea_${GUID}.pssc`);
    expect(GUID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(configurationFileGuid('OPS.JEA')).toBe(GUID);
    const doc = withConfigurationFile(registerDocument('Ops.Jea', {}), path, FULL_CONFIGURATION);
    expect(getInitParam(doc, 'ConfigFilePath')).toBe(path);
    expect(doc.runAsVirtualAccount).toBe('true');
    expect(doc.runAsVirtualAccountGroups).toBe('Remote Management Users;Event Log Readers');
    const gmsa = withConfigurationFile(doc, path, { group_managed_service_account: 'CONTOSO\\jea' });
    expect(gmsa.runAsVirtualAccount).toBeUndefined();
    expect(gmsa.runAsUser).toBe('CONTOSO\\jea$');
    const plain = withoutConfigurationFile(gmsa);
    expect(getInitParam(plain, 'ConfigFilePath')).toBeUndefined();
    expect(plain.runAsUser).toBeUndefined();
  });

  it('derives the SDDL from role definitions as Register does, conditional with required groups', () => {
    const sids = ['S-1-5-21-1-2-3-1101', 'S-1-5-32-580'];
    expect(canonicalSddl(roleDefinitionsSddl(sids))).toBe(
      canonicalSddl('O:NSG:BAD:P(A;;GA;;;S-1-5-21-1-2-3-1101)(A;;GA;;;S-1-5-32-580)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)'),
    );
    expect(roleDefinitionsSddl(sids.slice(0, 1), { and: ['S-1-5-21-1-2-3-2001', 'S-1-5-21-1-2-3-2002'] })).toBe(
      'O:NSG:BAD:P(XA;;GA;;;S-1-5-21-1-2-3-1101;(Member_of {SID(S-1-5-21-1-2-3-2001)} && Member_of {SID(S-1-5-21-1-2-3-2002)}))S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)',
    );
  });
});

describe('hostile files', () => {
  const keys = Object.values(CONFIGURATION_FILE_FIELDS).map((d) => d.key);
  const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null));
  const value: fc.Arbitrary<Psd1Value> = fc.letrec<{ v: Psd1Value }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      scalar,
      fc.array(tie('v'), { maxLength: 3 }),
      fc
        .uniqueArray(fc.tuple(fc.constantFrom('Name', 'Parameters', 'ValidateSet', 'RoleCapabilities', 'And', 'Or', 'x'), tie('v')), {
          maxLength: 3,
          selector: ([k]) => k,
        })
        .map((entries) => hashtableOf(entries)),
    ),
  })).v;

  it('any data in any field either reads or is a typed error naming the key', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 4, selector: ([k]) => k }), (entries) => {
        const text = renderPsd1(hashtableOf(entries));
        try {
          const parsed = parseDataFile(CONFIGURATION_FILE_FIELDS, text);
          // What reads renders again and reads back the same.
          const again = parseDataFile(CONFIGURATION_FILE_FIELDS, renderDataFile(CONFIGURATION_FILE_FIELDS, parsed.values, GUID));
          expect(changedFields(CONFIGURATION_FILE_FIELDS, parsed.values, again.values)).toEqual([]);
        } catch (e) {
          expect(e).toBeInstanceOf(Psd1ShapeError);
          expect(keys).toContain((e as Psd1ShapeError).key);
        }
      }),
      { numRuns: 500 },
    );
  });
});
