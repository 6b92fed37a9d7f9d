/**
 * The project's files against real PowerShell 7.6.9: what we render passes the checks
 * Test-PSSessionConfigurationFile runs (DISCUtils.LoadConfigFile and VerifyConfigTable, called by
 * reflection because the cmdlet itself exists only on Windows builds), plus Register's role definition
 * and extension checks; and what New-PSSessionConfigurationFile / New-PSRoleCapabilityFile write for the
 * same settings parses with our parser to the same values.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  changedFields,
  CONFIGURATION_FILE_FIELDS,
  parseDataFile,
  renderDataFile,
  ROLE_CAPABILITY_FIELDS,
  toPsd1,
  type FieldSet,
  type FieldValues,
} from '../../../src/host/jea';
import { decodeDataFile, encodeDataFile, renderValue } from '../../../src/psdata';
import { PWSH_ENVIRONMENT, requirePwsh } from '../../../src/emulator/powershell/pwsh-locator';
import { FULL_CONFIGURATION, FULL_ROLE_CAPABILITY } from '../../support/jea-fixtures';

const GUID = '4a1b0c2d-3e4f-5a6b-8c7d-9e0f1a2b3c4d';

/** PowerShell's checks of a configuration file, as Test-PSSessionConfigurationFile and Register-PSSessionConfiguration run them. */
const CHECKS = String.raw`
function Test-ConfigFile {
  [CmdletBinding()] param([string]$Path)
  $flags = [Reflection.BindingFlags]'NonPublic,Static'
  $disc = [psobject].Assembly.GetType('System.Management.Automation.Remoting.DISCUtils')
  $ctx = $ExecutionContext.GetType().GetField('_context', [Reflection.BindingFlags]'NonPublic,Instance').GetValue($ExecutionContext)
  $info = $disc.GetMethod('GetScriptInfoForFile', $flags).Invoke($null, [object[]]@($ctx, $Path, $null))
  $table = $disc.GetMethod('LoadConfigFile', $flags).Invoke($null, [object[]]@($ctx, $info))
  $ok = $disc.GetMethod('VerifyConfigTable', $flags).Invoke($null, [object[]]@($table, $PSCmdlet, $Path))
  if ($table.ContainsKey('RoleDefinitions')) { $null = $disc.GetMethod('ValidateRoleDefinitions', $flags).Invoke($null, [object[]]@(,$table['RoleDefinitions'])) }
  $null = $disc.GetMethod('ValidateExtensions', $flags).Invoke($null, [object[]]@($table, $Path))
  $ok
}
function Test-RoleCapabilityFile([string]$Path) {
  $table = Import-PowerShellDataFile -Path $Path
  $allowed = (Get-Command New-PSRoleCapabilityFile).Parameters.Keys + 'SchemaVersion'
  $unknown = @($table.Keys | Where-Object { $allowed -notcontains $_ })
  $unknown.Count -eq 0
}
`;

function runPwsh(script: string, dir: string): Promise<string> {
  const file = join(dir, 'run.ps1');
  writeFileSync(file, script);
  const pwsh = requirePwsh();
  return new Promise((resolve, reject) => {
    execFile(
      pwsh.file,
      [...pwsh.prefix, '-NoProfile', '-NonInteractive', '-File', file],
      { timeout: 60_000, encoding: 'utf8', env: { ...process.env, ...PWSH_ENVIRONMENT } },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

/** The cmdlet's parameters for the same settings: each field's key, its value as a PowerShell expression. */
function parameters(fields: FieldSet, values: FieldValues): string {
  return Object.entries(fields)
    .flatMap(([name, decl]) => {
      const v = values[name];
      if (v === undefined) return [];
      if (typeof v === 'boolean') return [`-${decl.key}:${v ? '$true' : '$false'}`];
      const value = toPsd1(decl.kind, v);
      // A list of hashtables as a parameter value is a comma list; @(...) with newlines is too, so either works.
      return [`-${decl.key} ${renderValue(value)}`];
    })
    .join(' `\n  ');
}

describe('real PowerShell', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jea-conformance-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts every file we render, and what its cmdlets write reads back to the same values', async () => {
    // VerifyConfigTable checks ExecutionPolicy only on Windows (it fails outright elsewhere): the files it
    // checks leave it out, and the enumeration test below checks its values against PowerShell's type.
    const { execution_policy: _policy, ...checkable } = FULL_CONFIGURATION;
    const ours = { pssc: join(dir, 'ours.pssc'), psrc: join(dir, 'ours.psrc'), minimal: join(dir, 'minimal.pssc') };
    const theirs = { pssc: join(dir, 'theirs.pssc'), checkable: join(dir, 'theirs-checkable.pssc'), psrc: join(dir, 'theirs.psrc') };
    writeFileSync(ours.pssc, encodeDataFile(renderDataFile(CONFIGURATION_FILE_FIELDS, checkable, GUID)));
    writeFileSync(ours.psrc, encodeDataFile(renderDataFile(ROLE_CAPABILITY_FIELDS, FULL_ROLE_CAPABILITY, GUID)));
    writeFileSync(ours.minimal, renderDataFile(CONFIGURATION_FILE_FIELDS, { session_type: 'RestrictedRemoteServer' }, GUID));
    const script = [
      CHECKS,
      `'pssc:' + (Test-ConfigFile -Path '${ours.pssc}')`,
      `'minimal:' + (Test-ConfigFile -Path '${ours.minimal}')`,
      `'psrc:' + (Test-RoleCapabilityFile -Path '${ours.psrc}')`,
      `New-PSSessionConfigurationFile -Path '${theirs.pssc}' -Guid '${GUID}' \`\n  ${parameters(CONFIGURATION_FILE_FIELDS, FULL_CONFIGURATION)}`,
      `New-PSSessionConfigurationFile -Path '${theirs.checkable}' -Guid '${GUID}' \`\n  ${parameters(CONFIGURATION_FILE_FIELDS, checkable)}`,
      `New-PSRoleCapabilityFile -Path '${theirs.psrc}' -Guid '${GUID}' \`\n  ${parameters(ROLE_CAPABILITY_FIELDS, FULL_ROLE_CAPABILITY)}`,
      `'theirs:' + (Test-ConfigFile -Path '${theirs.checkable}')`,
      `'theirs-psrc:' + (Test-RoleCapabilityFile -Path '${theirs.psrc}')`,
    ].join('\n');
    const out = await runPwsh(script, dir);
    expect(out.split(/\r?\n/).filter((l) => /^[a-z-]+:/.test(l))).toEqual([
      'pssc:True',
      'minimal:True',
      'psrc:True',
      'theirs:True',
      'theirs-psrc:True',
    ]);

    const pssc = parseDataFile(CONFIGURATION_FILE_FIELDS, decodeDataFile(readFileSync(theirs.pssc)));
    expect(pssc.guid).toBe(GUID);
    expect(changedFields(CONFIGURATION_FILE_FIELDS, FULL_CONFIGURATION, pssc.values)).toEqual([]);
    expect(pssc.otherKeys).toEqual(['Author']);
    const psrc = parseDataFile(ROLE_CAPABILITY_FIELDS, decodeDataFile(readFileSync(theirs.psrc)));
    expect(changedFields(ROLE_CAPABILITY_FIELDS, FULL_ROLE_CAPABILITY, psrc.values)).toEqual([]);
  }, 90_000);

  it("declares exactly the names of PowerShell's enumerations", async () => {
    const out = await runPwsh(
      [
        "'session_type:' + ([enum]::GetNames([System.Management.Automation.Remoting.SessionType]) -join ',')",
        "'language_mode:' + ([enum]::GetNames([System.Management.Automation.PSLanguageMode]) -join ',')",
        "'execution_policy:' + ([enum]::GetNames([Microsoft.PowerShell.ExecutionPolicy]) -join ',')",
      ].join('\n'),
      dir,
    );
    const declared = (['session_type', 'language_mode', 'execution_policy'] as const).map(
      (f) =>
        `${f}:${Object.keys(CONFIGURATION_FILE_FIELDS[f].values ?? {})
          .sort()
          .join(',')}`,
    );
    const actual = out
      .split(/\r?\n/)
      .filter((l) => l.includes(':'))
      .map((l) => {
        const [f, names] = l.split(':');
        return `${f}:${(names ?? '').split(',').sort().join(',')}`;
      });
    expect(actual).toEqual(declared);
  }, 60_000);
});
