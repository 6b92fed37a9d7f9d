import fc from 'fast-check';
import {
  applyDesired,
  diff,
  observe,
  registerDocument,
  validateSettings,
  validateAgainstObserved,
  DEFAULT_REMOTE_SDDL,
  type SessionConfigurationSettings,
} from '../../../src/host/session-configuration';
import { getInitParam, getQuota, parsePluginConfig, writePluginConfig } from '../../../src/wsman/config';
import { parseXml } from '../../../src/wsman/xml';
import { POWERSHELL_PLUGIN } from '../../support/config-documents';
import { shape } from '../../support/config-structure';
import { validatePluginConfig } from '../../../src/wsman/server';
import { withNetworkAccess } from '../../../src/host/session-configuration/access-mode';

describe('registerDocument', () => {
  it('writes what a fresh Register-PSSessionConfiguration -Name test writes', () => {
    expect(writePluginConfig(registerDocument('test', {}))).toBe(
      '<PlugInConfiguration xmlns="http://schemas.microsoft.com/wbem/wsman/1/config/PluginConfiguration"' +
        ' Name="test" Filename="%windir%\\system32\\pwrshplugin.dll" SDKVersion="2" XmlRenderingType="text"' +
        ' ProcessIdleTimeoutSec="0" OutputBufferingMode="Block" Enabled="true">' +
        '<InitializationParameters><Param Name="PSVersion" Value="5.1"/></InitializationParameters>' +
        '<Resources><Resource ResourceUri="http://schemas.microsoft.com/powershell/test" SupportsOptions="true" ExactMatch="true">' +
        `<Security Uri="http://schemas.microsoft.com/powershell/test" ExactMatch="true" Sddl="${DEFAULT_REMOTE_SDDL}"/>` +
        '<Capability Type="Shell"/></Resource></Resources>' +
        '<Quotas IdleTimeoutms="7200000" MaxConcurrentUsers="2147483647" MaxProcessesPerShell="2147483647"' +
        ' MaxMemoryPerShellMB="2147483647" MaxShellsPerUser="2147483647" MaxConcurrentCommandsPerShell="2147483647"' +
        ' MaxShells="2147483647" MaxIdleTimeoutms="2147483647"/></PlugInConfiguration>',
    );
  });

  it('produces documents WinRM accepts', () => {
    expect(validatePluginConfig(registerDocument('test', {}))).toEqual([]);
    expect(validatePluginConfig(registerDocument('t', { idle_timeout_sec: 60, max_concurrent_users: 100, access_mode: 'Local' }))).toEqual(
      [],
    );
  });

  it('applies the settings given: seconds become milliseconds, options become parameters', () => {
    const doc = registerDocument('ops', {
      idle_timeout_sec: 600,
      max_idle_timeout_sec: 3600,
      max_sessions: 10,
      output_buffering_mode: 'Drop',
      use_shared_process: true,
      process_idle_timeout_sec: 300,
      startup_script: 'C:\\init.ps1',
      thread_options: 'ReuseThread',
      maximum_received_object_size_mb: 12.5,
      powershell_version: '2.0',
    });
    expect([getQuota(doc, 'IdleTimeoutms'), getQuota(doc, 'MaxIdleTimeoutms'), getQuota(doc, 'MaxShells')]).toEqual([
      '600000',
      '3600000',
      '10',
    ]);
    expect([doc.outputBufferingMode, doc.useSharedProcess, doc.processIdleTimeoutSec, doc.sdkVersion]).toEqual([
      'Drop',
      'true',
      '300',
      '1',
    ]);
    expect(getInitParam(doc, 'startupscript')).toBe('C:\\init.ps1');
    expect(getInitParam(doc, 'pssessionthreadoptions')).toBe('ReuseThread');
    expect(getInitParam(doc, 'psmaximumreceivedobjectsizemb')).toBe('12.5');
    expect(getInitParam(doc, 'PSVersion')).toBe('2.0');
  });

  it('expresses AccessMode in Enabled and the DACL', () => {
    expect(registerDocument('d', { access_mode: 'Disabled' }).enabled).toBe('false');
    const local = registerDocument('l', { access_mode: 'Local' });
    expect(local.enabled).toBe('true');
    expect(local.resources[0]?.securities[0]?.sddl).toBe(
      'O:NSG:BAD:P(D;;GA;;;NU)(A;;GA;;;BA)(A;;GA;;;IU)(A;;GA;;;RM)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)',
    );
    const custom = registerDocument('c', { access_mode: 'Local', security_descriptor_sddl: 'O:NSG:BAD:P(A;;GA;;;S-1-5-21-1-2-3-1001)' });
    expect(custom.resources[0]?.securities[0]?.sddl).toBe('O:NSG:BAD:P(D;;GA;;;NU)(A;;GA;;;S-1-5-21-1-2-3-1001)');
  });
});

describe('applyDesired (Set semantics)', () => {
  const existing = () => parsePluginConfig(POWERSHELL_PLUGIN);

  it('changes nothing when nothing is managed, and never mutates its input', () => {
    const before = existing();
    const snapshot = JSON.stringify(before);
    expect(writePluginConfig(applyDesired(before, {}))).toBe(writePluginConfig(before));
    applyDesired(before, { max_sessions: 3, access_mode: 'Local', modules_to_import: ['A'] });
    expect(JSON.stringify(before)).toBe(snapshot);
  });

  it('changes only the managed values and keeps unknown attributes and elements', () => {
    const after = applyDesired(existing(), { max_sessions_per_user: 7, output_buffering_mode: 'Drop' });
    const a = shape(parseXml(writePluginConfig(after)));
    const b = shape(parseXml(writePluginConfig(existing())));
    expect(a.attrs.filter((x) => !x.startsWith('{}OutputBufferingMode='))).toEqual(
      b.attrs.filter((x) => !x.startsWith('{}OutputBufferingMode=')),
    );
    expect(a.attrs).toContain('{}OutputBufferingMode=Drop');
    expect(a.children.filter((c) => !c.name.endsWith('}Quotas'))).toEqual(b.children.filter((c) => !c.name.endsWith('}Quotas')));
    expect(getQuota(after, 'MaxShellsPerUser')).toBe('7');
    expect(getQuota(after, 'MaxShells')).toBe('25');
  });

  it('removes an initialization parameter set to the empty string, as Set does', () => {
    const after = applyDesired(existing(), { startup_script: '' });
    expect(getInitParam(after, 'startupscript')).toBeUndefined();
    expect(observe(after).startup_script).toBe('');
  });

  it('turns Local into Remote by removing only the NETWORK deny ACE, and leaves an unchanged SDDL as written', () => {
    const local = applyDesired(existing(), { access_mode: 'Local' });
    expect(observe(local).access_mode).toBe('Local');
    const remote = applyDesired(local, { access_mode: 'Remote' });
    expect(remote.resources[0]?.securities[0]?.sddl).toBe(existing().resources[0]?.securities[0]?.sddl);
    const lower = applyDesired(existing(), {
      security_descriptor_sddl: 'o:nsg:bad:p(a;;ga;;;ba)(a;;ga;;;iu)(a;;ga;;;rm)s:p(au;fa;ga;;;wd)(au;sa;gxgw;;;wd)',
    });
    expect(lower.resources[0]?.securities[0]?.sddl).toBe(existing().resources[0]?.securities[0]?.sddl);
  });

  it('forces the process idle timeout to 0 when the shared process is turned off', () => {
    const shared = applyDesired(existing(), { use_shared_process: true, process_idle_timeout_sec: 600 });
    expect(applyDesired(shared, { use_shared_process: false }).processIdleTimeoutSec).toBe('0');
  });
});

describe('observe', () => {
  it('reports a fresh Register document with every setting filled', () => {
    expect(observe(registerDocument('test', {}))).toEqual({
      idle_timeout_sec: 7200,
      max_idle_timeout_sec: 2147483,
      output_buffering_mode: 'Block',
      process_idle_timeout_sec: 0,
      max_sessions: 2147483647,
      max_sessions_per_user: 2147483647,
      max_concurrent_users: 2147483647,
      max_concurrent_commands_per_session: 2147483647,
      max_memory_per_session_mb: 2147483647,
      max_processes_per_session: 2147483647,
      startup_script: '',
      use_shared_process: false,
      thread_apartment_state: 'Unknown',
      thread_options: 'UseCurrentThread',
      maximum_received_data_size_per_command_mb: 50,
      maximum_received_object_size_mb: 10,
      security_descriptor_sddl: DEFAULT_REMOTE_SDDL,
      access_mode: 'Remote',
      powershell_version: '5.1',
      modules_to_import: [],
      enabled: true,
    });
  });

  it('reads a host document whatever the attribute casing', () => {
    const o = observe(parsePluginConfig(POWERSHELL_PLUGIN));
    expect(o).toMatchObject({
      idle_timeout_sec: 7200,
      max_idle_timeout_sec: 2147483,
      max_concurrent_users: 5,
      max_sessions: 25,
      startup_script: 'C:\\s.ps1',
      enabled: true,
      access_mode: 'Remote',
    });
  });

  it('shows sub-second drift instead of rounding it away', () => {
    const doc = registerDocument('t', {});
    doc.quotas!.entries[0]!.value = '90500';
    expect(observe(doc).idle_timeout_sec).toBe(90.5);
    expect(diff({ idle_timeout_sec: 90 }, observe(doc)).changes).toEqual([{ setting: 'idle_timeout_sec', desired: 90, observed: 90.5 }]);
  });
});

describe('apply then observe', () => {
  const text = fc.stringMatching(/^[A-Za-z0-9 _.\\:-]{1,20}$/);
  const settings: fc.Arbitrary<SessionConfigurationSettings> = fc
    .record(
      {
        idle_timeout_sec: fc.integer({ min: 60, max: 1000 }),
        max_idle_timeout_sec: fc.integer({ min: 1000, max: 2147483 }),
        output_buffering_mode: fc.constantFrom('Block', 'Drop'),
        max_sessions: fc.integer({ min: 1, max: 2147483647 }),
        max_sessions_per_user: fc.integer({ min: 1, max: 2147483647 }),
        max_concurrent_users: fc.integer({ min: 1, max: 100 }),
        max_concurrent_commands_per_session: fc.integer({ min: 1, max: 2147483647 }),
        max_memory_per_session_mb: fc.integer({ min: 5, max: 2147483647 }),
        max_processes_per_session: fc.integer({ min: 1, max: 2147483647 }),
        // A full path to a .ps1 file, with the characters that need escaping in XML attribute text.
        startup_script: text.map((t) => `C:\\${t}.ps1`),
        thread_apartment_state: fc.constantFrom('STA', 'MTA', 'Unknown'),
        thread_options: fc.constantFrom('Default', 'UseNewThread', 'ReuseThread', 'UseCurrentThread'),
        maximum_received_data_size_per_command_mb: fc.double({ min: 0, max: 1e6, noNaN: true }),
        maximum_received_object_size_mb: fc.integer({ min: 0, max: 1000 }),
        security_descriptor_sddl: fc.constantFrom(DEFAULT_REMOTE_SDDL, 'O:NSG:BAD:P(A;;GA;;;BA)S:P(AU;FA;GA;;;WD)'),
        access_mode: fc.constantFrom('Disabled', 'Local', 'Remote'),
        powershell_version: fc.constantFrom('3.0', '5.1'),
        modules_to_import: fc.array(fc.stringMatching(/^[A-Za-z][A-Za-z0-9.]{0,12}$/), { maxLength: 3 }),
      },
      { requiredKeys: [] },
      // access_mode and the SDDL both managed must agree (validateSettings refuses the contradiction).
    )
    .map((d) =>
      d.access_mode === undefined || d.access_mode === 'Disabled' || d.security_descriptor_sddl === undefined
        ? d
        : { ...d, security_descriptor_sddl: withNetworkAccess(d.security_descriptor_sddl, d.access_mode === 'Local') },
    );

  it('converges: after applying any valid desired state, the next diff is empty', () => {
    fc.assert(
      fc.property(settings, fc.boolean(), (desired, fromRegister) => {
        expect(validateSettings('ep', desired)).toEqual([]);
        const base = fromRegister ? registerDocument('ep', {}) : parsePluginConfig(POWERSHELL_PLUGIN);
        fc.pre(validateAgainstObserved(desired, observe(base)).length === 0);
        const applied = parsePluginConfig(writePluginConfig(applyDesired(base, desired)));
        expect(validatePluginConfig(applied)).toEqual([]);
        expect(diff(desired, observe(applied)).changes).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
