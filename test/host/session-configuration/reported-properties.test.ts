import {
  applyDesired,
  modulesToImport,
  observe,
  permissionText,
  registerDocument,
  reportedProperties,
  withModulesToImport,
} from '../../../src/host/session-configuration';
import { getInitParam, parsePluginConfig, writePluginConfig } from '../../../src/wsman/config';
import { XmlError } from '../../../src/wsman/xml';
import { POWERSHELL_PLUGIN } from '../../support/config-documents';

describe('reportedProperties', () => {
  it('flattens every leaf into a string property, as Get-PSSessionConfiguration does', () => {
    const doc = parsePluginConfig(POWERSHELL_PLUGIN);
    doc.runAsPassword = 'never shown';
    const p = reportedProperties(doc);
    expect(p).toMatchObject({
      Name: 'microsoft.powershell',
      Filename: '%windir%\\system32\\pwrshplugin.dll',
      SDKVersion: '2',
      lang: 'en-US',
      xmlns: 'http://schemas.microsoft.com/wbem/wsman/1/config/PluginConfiguration',
      Enabled: 'True',
      RunAsPassword: '',
      PSVersion: '5.1',
      startupscript: 'C:\\s.ps1',
      ResourceUri: 'http://schemas.microsoft.com/powershell/microsoft.powershell',
      ParentResourceUri: 'http://schemas.microsoft.com/powershell/microsoft.powershell',
      Uri: 'http://schemas.microsoft.com/powershell/microsoft.powershell',
      Capability: 'Shell',
      SupportsOptions: 'true',
      ExactMatch: 'true',
      IdleTimeoutms: '7200000',
      MaxIdleTimeoutms: '2147483647',
      MaxShells: '25',
      FutureFlag: 'on',
      Permission:
        'BUILTIN\\Administrators AccessAllowed, NT AUTHORITY\\INTERACTIVE AccessAllowed, BUILTIN\\Remote Management Users AccessAllowed',
    });
    expect(p['SecurityDescriptorSddl']).toMatch(/^O:NSG:BAD:P/);
    expect(p).not.toHaveProperty('Sddl');
    expect(Object.values(p).every((v) => typeof v === 'string')).toBe(true);
    expect(JSON.stringify(p)).not.toContain('never shown');
  });

  it('adds the SessionConfigurationData parameters', () => {
    const p = reportedProperties(registerDocument('ep', { modules_to_import: ['PSReadLine', 'C:\\mods\\Ops.psm1'] }));
    expect(p['ModulesToImport']).toBe('PSReadLine,C:\\mods\\Ops.psm1');
  });

  it("renders a Local endpoint's permission with the NETWORK deny first, and unknown SIDs as SIDs", () => {
    expect(reportedProperties(registerDocument('ep', { access_mode: 'Local' }))['Permission']).toBe(
      'NT AUTHORITY\\NETWORK AccessDenied, BUILTIN\\Administrators AccessAllowed, NT AUTHORITY\\INTERACTIVE AccessAllowed, BUILTIN\\Remote Management Users AccessAllowed',
    );
    expect(permissionText('D:(A;;GA;;;S-1-5-21-1-2-3-1001)(A;;GR;;;S-1-5-32-544)(A;;GR;;;DA)')).toBe(
      'S-1-5-21-1-2-3-1001 AccessAllowed, BUILTIN\\Administrators AccessAllowed, DA AccessAllowed',
    );
  });
});

describe('a broken security descriptor reported by a host', () => {
  const broken = () => {
    const doc = registerDocument('ep', {});
    doc.resources[0]!.securities[0]!.sddl = 'O:NSG:BAD:P(A;;GA;;;BA';
    return doc;
  };
  it('leaves Permission out of the reported properties but still reports the SDDL', () => {
    const p = reportedProperties(broken());
    expect(p).not.toHaveProperty('Permission');
    expect(p['SecurityDescriptorSddl']).toBe('O:NSG:BAD:P(A;;GA;;;BA');
  });
  it('makes observe fail with a message naming the endpoint', () => {
    expect(() => observe(broken())).toThrow(
      /endpoint "ep": the host reports a security descriptor that does not parse: D: has an unterminated ACE/,
    );
  });
});

describe('SessionConfigurationData', () => {
  const withPrivateData =
    '<SessionConfigurationData><Param Name="ModulesToImport" Value="A,B"/><Param Name="PrivateData"><PrivateData><Param Name="k" Value="v"/></PrivateData></Param></SessionConfigurationData>';

  it('reads and rewrites ModulesToImport, keeping PrivateData', () => {
    expect(modulesToImport(withPrivateData)).toEqual(['A', 'B']);
    const rewritten = withModulesToImport(withPrivateData, ['C']);
    expect(rewritten).toBe(
      '<SessionConfigurationData><Param Name="ModulesToImport" Value="C"/><Param Name="PrivateData"><PrivateData><Param Name="k" Value="v"/></PrivateData></Param></SessionConfigurationData>',
    );
    expect(withModulesToImport(withPrivateData, [])).toBe(
      '<SessionConfigurationData><Param Name="PrivateData"><PrivateData><Param Name="k" Value="v"/></PrivateData></Param></SessionConfigurationData>',
    );
    expect(
      withModulesToImport('<SessionConfigurationData><Param Name="ModulesToImport" Value="A"/></SessionConfigurationData>', []),
    ).toBeUndefined();
  });

  it('is stored XML-escaped in the plugin parameter and survives the round trip', () => {
    const doc = registerDocument('ep', { modules_to_import: ['A'] });
    const xml = writePluginConfig(doc);
    expect(xml).toContain(
      'Name="sessionconfigurationdata" Value="&lt;SessionConfigurationData&gt;&lt;Param Name=&quot;ModulesToImport&quot; Value=&quot;A&quot;/&gt;&lt;/SessionConfigurationData&gt;"',
    );
    const back = parsePluginConfig(xml);
    expect(observe(back).modules_to_import).toEqual(['A']);
    const cleared = applyDesired(back, { modules_to_import: [] });
    expect(getInitParam(cleared, 'sessionconfigurationdata')).toBeUndefined();
  });

  it('gives a clear error for a broken document from the host', () => {
    expect(() => modulesToImport('<Other/>')).toThrow(/expected <SessionConfigurationData>/);
    expect(() => modulesToImport('<SessionConfigurationData>')).toThrow(XmlError);
  });
});
