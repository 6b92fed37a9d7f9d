import {
  getInitParam,
  getQuota,
  parsePluginConfig,
  setInitParam,
  setQuota,
  writePluginConfig,
  type PluginConfig,
} from '../../../src/wsman/config';
import { NS, parseXml, XmlError } from '../../../src/wsman/xml';
import { POWERSHELL_PLUGIN } from '../../support/config-documents';
import { shape } from '../../support/config-structure';
import { validatePluginConfig } from '../../../src/wsman/server';

const fresh = (): PluginConfig => parsePluginConfig(POWERSHELL_PLUGIN);

describe('parsePluginConfig', () => {
  it('reads the modelled attributes, parameters, resources and quotas', () => {
    const c = fresh();
    expect(c).toMatchObject({
      name: 'microsoft.powershell',
      filename: '%windir%\\system32\\pwrshplugin.dll',
      sdkVersion: '2',
      xmlRenderingType: 'text',
      enabled: 'True',
      architecture: '64',
      outputBufferingMode: 'Block',
      processIdleTimeoutSec: '0',
    });
    expect(c.initializationParameters.map((p) => [p.name, p.value])).toEqual([
      ['PSVersion', '5.1'],
      ['startupscript', 'C:\\s.ps1'],
    ]);
    expect(c.resources).toHaveLength(1);
    expect(c.resources[0]?.resourceUri).toBe('http://schemas.microsoft.com/powershell/microsoft.powershell');
    expect(c.resources[0]?.securities[0]?.sddl).toMatch(/^O:NSG:BAD:P/);
    expect(c.resources[0]?.capabilities.map((x) => x.type)).toEqual(['Shell']);
    expect(c.quotas?.entries.map((e) => e.name)).toEqual([
      'MaxIdleTimeoutms',
      'MaxConcurrentUsers',
      'IdleTimeoutms',
      'MaxProcessesPerShell',
      'MaxMemoryPerShellMB',
      'MaxShellsPerUser',
      'MaxConcurrentCommandsPerShell',
      'MaxShells',
    ]);
  });

  it('matches attribute names case-insensitively and reports them in Windows casing', () => {
    const c = fresh();
    expect(getQuota(c, 'MaxIdleTimeoutms')).toBe('2147483647');
    expect(writePluginConfig(c)).toContain('MaxIdleTimeoutms="2147483647"');
    const lower = parsePluginConfig(`<plugInconfiguration xmlns="${NS.plugin}" NAME="x" filename="y"/>`);
    expect([lower.name, lower.filename]).toEqual(['x', 'y']);
  });

  it('keeps unknown attributes and elements, whatever their namespace', () => {
    const c = fresh();
    expect(c.extra.attributes.map((a) => a.local)).toEqual(['lang', 'FutureFlag']);
    expect(c.extra.elements.map((e) => `{${e.ns}}${e.local}`)).toEqual(['{urn:example:future}Telemetry']);
    const out = writePluginConfig(c);
    expect(out).toContain('xml:lang="en-US"');
    expect(out).toContain('<x:Telemetry xmlns:x="urn:example:future" x:level="2"><x:Sink>none</x:Sink></x:Telemetry>');
  });

  it('refuses a document that is not a plugin configuration', () => {
    expect(() => parsePluginConfig(`<PlugInConfiguration Name="x"/>`)).toThrow(XmlError);
    expect(() => parsePluginConfig(`<cfg:Config xmlns:cfg="${NS.cfg}"/>`)).toThrow(/PlugInConfiguration/);
  });
});

describe('writePluginConfig', () => {
  it('round-trips a document structurally (only attribute casing is made canonical), and is a fixed point after one pass', () => {
    const once = writePluginConfig(fresh());
    expect(shape(parseXml(once))).toEqual(shape(parseXml(POWERSHELL_PLUGIN.replace('MaxIdleTimeoutMs=', 'MaxIdleTimeoutms='))));
    expect(writePluginConfig(parsePluginConfig(once))).toBe(once);
  });

  it('writes Register order: known attributes first, then preserved ones', () => {
    const out = writePluginConfig(fresh());
    expect(out.indexOf('Name=')).toBeLessThan(out.indexOf('Filename='));
    expect(out.indexOf('Enabled=')).toBeLessThan(out.indexOf('xml:lang='));
    expect(out.startsWith(`<PlugInConfiguration xmlns="${NS.plugin}" Name=`)).toBe(true);
  });

  it('escapes values so a hostile value cannot inject markup', () => {
    const c = fresh();
    setInitParam(c, 'startupscript', `"/><Evil a="`);
    const back = parsePluginConfig(writePluginConfig(c));
    expect(getInitParam(back, 'STARTUPSCRIPT')).toBe(`"/><Evil a="`);
    expect(back.extra.elements).toHaveLength(1);
  });

  it('changes only what was set (Get → modify → Put)', () => {
    const c = fresh();
    setQuota(c, 'MaxShells', '50');
    setQuota(c, 'MaxConcurrentOperationsPerUser', '30');
    setInitParam(c, 'pssessionthreadoptions', 'ReuseThread');
    const before = shape(parseXml(POWERSHELL_PLUGIN));
    const after = shape(parseXml(writePluginConfig(c)));
    const quotas = (s: typeof before) => s.children.find((x) => x.name.endsWith('}Quotas'))?.attrs;
    expect(quotas(after)).toEqual(
      [...(quotas(before) ?? []).map((a) => (a.includes('MaxShells=') ? '{}MaxShells=50' : a)), '{}MaxConcurrentOperationsPerUser=30']
        .map((a) => a.replace('MaxIdleTimeoutMs', 'MaxIdleTimeoutms'))
        .sort(),
    );
    expect(after.children.filter((x) => !x.name.endsWith('}Quotas') && !x.name.endsWith('}InitializationParameters'))).toEqual(
      before.children.filter((x) => !x.name.endsWith('}Quotas') && !x.name.endsWith('}InitializationParameters')),
    );
    expect(getInitParam(c, 'pssessionthreadoptions')).toBe('ReuseThread');
  });
});

describe('validatePluginConfig', () => {
  const findingsFor = (mutate: (c: PluginConfig) => void) => {
    const c = fresh();
    mutate(c);
    return validatePluginConfig(c);
  };

  it('accepts a document Windows itself returns', () => {
    expect(validatePluginConfig(fresh())).toEqual([]);
  });

  it.each([
    ['IdleTimeoutms', '59999', /60000 to 2147483647/],
    ['MaxIdleTimeoutms', '2147483648', /60000 to 2147483647/],
    ['MaxConcurrentUsers', '2147483648', /1 to 2147483647/],
    ['MaxConcurrentUsers', '0', /1 to 2147483647/],
    ['MaxShells', '0', /1 to 2147483647/],
    ['MaxShellsPerUser', '-1', /whole number/],
    ['MaxConcurrentCommandsPerShell', '1e3', /whole number/],
    ['MaxConcurrentOperationsPerUser', '4294967296', /1 to 4294967295/],
  ] as const)('refuses Quotas %s=%s as a schema violation', (name, value, message) => {
    const f = findingsFor((c) => setQuota(c, name, value));
    expect(f).toEqual([expect.objectContaining({ path: `Quotas/@${name}`, fault: 'SchemaValidationError', basis: 'spec' })]);
    expect(f[0]?.message).toMatch(message);
  });

  it('accepts the unlimited zero of MaxProcessesPerShell and MaxMemoryPerShellMB', () => {
    expect(
      findingsFor((c) => {
        setQuota(c, 'MaxProcessesPerShell', '0');
        setQuota(c, 'MaxMemoryPerShellMB', '0');
      }),
    ).toEqual([]);
  });

  it('refuses IdleTimeoutms above MaxIdleTimeoutms as an invalid parameter (inference)', () => {
    const f = findingsFor((c) => {
      setQuota(c, 'IdleTimeoutms', '600000');
      setQuota(c, 'MaxIdleTimeoutms', '300000');
    });
    expect(f).toEqual([
      { path: 'Quotas/@IdleTimeoutms', message: expect.stringMatching(/600000.*300000/), fault: 'InvalidParameter', basis: 'inference' },
    ]);
  });

  it('checks plugin attributes: required names, lengths, enumerations, booleans, ranges', () => {
    const f = findingsFor((c) => {
      delete c.name;
      c.filename = 'x'.repeat(2049);
      c.outputBufferingMode = 'block';
      c.useSharedProcess = 'yes';
      c.processIdleTimeoutSec = '1209601';
      c.architecture = '16';
    });
    expect(f.map((x) => x.path).sort()).toEqual([
      '@Architecture',
      '@Filename',
      '@Name',
      '@OutputBufferingMode',
      '@ProcessIdleTimeoutSec',
      '@UseSharedProcess',
    ]);
    expect(f.find((x) => x.path === '@Filename')?.message).toBe('Filename must be at most 2048 characters, got 2049');
  });

  it('checks resources: URI, SDDL syntax, capability type', () => {
    const f = findingsFor((c) => {
      const r = c.resources[0]!;
      r.securities[0]!.sddl = 'O:NSG:BAD:P(A;;GA;;;XX)';
      r.capabilities[0]!.type = '';
      delete r.resourceUri;
    });
    expect(f.map((x) => x.path)).toEqual([
      'Resources/Resource[1]/@ResourceUri',
      'Resources/Resource[1]/Security[1]/@Sddl',
      'Resources/Resource[1]/Capability[1]/@Type',
    ]);
    expect(f[1]?.message).toMatch(/"XX" is not a known SID alias/);
  });

  it('never repeats a RunAsPassword in its findings', () => {
    const f = findingsFor((c) => {
      c.runAsPassword = 'S3cret!';
      c.enabled = 'S3cret!x';
    });
    expect(JSON.stringify(f)).not.toContain('S3cret!"');
    expect(f.map((x) => x.path)).toEqual(['@Enabled']);
  });
});
