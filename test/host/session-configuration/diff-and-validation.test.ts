import {
  diff,
  observe,
  registerDocument,
  validateAgainstObserved,
  validateEndpointName,
  validateSettings,
  sddlExposure,
  winrsCapWarnings,
  type SessionConfigurationSettings,
} from '../../../src/host/session-configuration';
import { parseWinrmConfig } from '../../../src/wsman/config';
import { DEFAULT_CONFIG } from '../../support/config-documents';

const observed = observe(registerDocument('ep', {}));

describe('diff', () => {
  it('lists only managed settings that differ', () => {
    const d = diff({ idle_timeout_sec: 7200, max_sessions: 10, output_buffering_mode: 'Drop' }, observed);
    expect(d.changes).toEqual([
      { setting: 'output_buffering_mode', desired: 'Drop', observed: 'Block' },
      { setting: 'max_sessions', desired: 10, observed: 2147483647 },
    ]);
    expect(d.restartRequired).toBe(true);
    expect(diff({}, observed)).toEqual({ changes: [], restartRequired: false });
  });

  it('needs no restart for an SDDL change or for Local <-> Remote, but does for Disabled', () => {
    const sddl = diff({ security_descriptor_sddl: 'O:NSG:BAD:P(A;;GA;;;BA)S:P(AU;FA;GA;;;WD)' }, observed);
    expect(sddl.changes.map((c) => c.setting)).toEqual(['security_descriptor_sddl']);
    expect(sddl.restartRequired).toBe(false);
    expect(diff({ access_mode: 'Local' }, observed)).toMatchObject({ changes: [{ setting: 'access_mode' }], restartRequired: false });
    expect(diff({ access_mode: 'Disabled' }, observed).restartRequired).toBe(true);
  });

  it('compares SDDL semantically and with the access mode folded in', () => {
    const same = 'o:nsg:bad:p(a;;ga;;;S-1-5-32-544)(a;;ga;;;iu)(a;;ga;;;rm)s:p(au;fa;ga;;;wd)(au;sa;gxgw;;;wd)';
    expect(diff({ security_descriptor_sddl: same }, observed).changes).toEqual([]);
    const local = observe(registerDocument('ep', { access_mode: 'Local' }));
    expect(diff({ security_descriptor_sddl: observed.security_descriptor_sddl, access_mode: 'Local' }, local).changes).toEqual([]);
    expect(diff({ security_descriptor_sddl: observed.security_descriptor_sddl }, local).changes.map((c) => c.setting)).toEqual([
      'security_descriptor_sddl',
    ]);
  });

  it('compares module lists in order, ignoring case', () => {
    const withModules = observe(registerDocument('ep', { modules_to_import: ['PSReadLine', 'Storage'] }));
    expect(diff({ modules_to_import: ['psreadline', 'STORAGE'] }, withModules).changes).toEqual([]);
    expect(diff({ modules_to_import: ['Storage', 'PSReadLine'] }, withModules).changes).toHaveLength(1);
  });
});

describe('validateSettings', () => {
  const messages = (s: SessionConfigurationSettings, name = 'ep') => validateSettings(name, s).map((f) => `${f.attribute}: ${f.message}`);

  it('a startup script is one full path to a .ps1 file on the host ("" removes it)', () => {
    for (const ok of ['C:\\Scripts\\start.ps1', 'd:\\x\\Y.PS1', '\\\\server\\share\\start.ps1', ''])
      expect(messages({ startup_script: ok })).toEqual([]);
    expect(messages({ startup_script: 'start.ps1' })).toEqual([
      expect.stringMatching(/^startup_script: startup_script must be a full path on the host/),
    ]);
    expect(messages({ startup_script: 'C:\\Scripts\\start.bat' })).toEqual([expect.stringMatching(/must name a \.ps1 file/)]);
    expect(messages({ startup_script: 'C:\\a.ps1\nRemove-Item C:\\x' })).toEqual([expect.stringMatching(/must be a single line/)]);
  });

  it('accepts an empty and a full valid configuration', () => {
    expect(messages({})).toEqual([]);
    expect(
      messages({
        idle_timeout_sec: 60,
        max_idle_timeout_sec: 2147483,
        process_idle_timeout_sec: 1209600,
        use_shared_process: true,
        max_concurrent_users: 100,
        max_memory_per_session_mb: 5,
        maximum_received_data_size_per_command_mb: 0,
        powershell_version: '5.1',
        access_mode: 'Local',
        enabled: true,
      }),
    ).toEqual([]);
  });

  it.each([
    [{ idle_timeout_sec: 59 }, 'idle_timeout_sec: idle_timeout_sec must be from 60 to 2147483, got 59'],
    [{ max_idle_timeout_sec: 2147484 }, 'max_idle_timeout_sec: max_idle_timeout_sec must be from 60 to 2147483, got 2147484'],
    [
      { process_idle_timeout_sec: 1209601, use_shared_process: true },
      'process_idle_timeout_sec: process_idle_timeout_sec must be from 0 to 1209600, got 1209601',
    ],
    [{ max_concurrent_users: 101 }, 'max_concurrent_users: max_concurrent_users must be from 1 to 100, got 101'],
    [{ max_memory_per_session_mb: 4 }, 'max_memory_per_session_mb: max_memory_per_session_mb must be from 5 to 2147483647, got 4'],
    [{ max_sessions: 0 }, 'max_sessions: max_sessions must be from 1 to 2147483647, got 0'],
    [{ max_processes_per_session: 2.5 }, 'max_processes_per_session: max_processes_per_session must be a whole number, got 2.5'],
    [{ maximum_received_object_size_mb: -1 }, 'maximum_received_object_size_mb: maximum_received_object_size_mb must be 0 or more, got -1'],
    [
      { output_buffering_mode: 'block' },
      'output_buffering_mode: output_buffering_mode must be one of "Block", "Drop", got "block" (write it as "Block")',
    ],
    [
      { thread_options: 'Fast' },
      'thread_options: thread_options must be one of "Default", "UseNewThread", "ReuseThread", "UseCurrentThread", got "Fast"',
    ],
    [
      { thread_apartment_state: 'sta' },
      'thread_apartment_state: thread_apartment_state must be one of "STA", "MTA", "Unknown", got "sta" (write it as "STA")',
    ],
    [{ access_mode: 'Public' }, 'access_mode: access_mode must be one of "Disabled", "Local", "Remote", got "Public"'],
    [
      { idle_timeout_sec: 600, max_idle_timeout_sec: 300 },
      'idle_timeout_sec: idle_timeout_sec (600) must not exceed max_idle_timeout_sec (300)',
    ],
    [
      { process_idle_timeout_sec: 60 },
      'process_idle_timeout_sec: process_idle_timeout_sec can be non-zero only when use_shared_process is true',
    ],
    [
      { access_mode: 'Disabled', enabled: true },
      'enabled: enabled = true contradicts access_mode = "Disabled" (Disabled means not enabled)',
    ],
    [
      { powershell_version: 'latest' },
      'powershell_version: powershell_version must be a version such as "5.1" (major 2 or later), got "latest"',
    ],
    [
      { modules_to_import: ['A,B'] },
      'modules_to_import: modules_to_import[0] must be a non-empty module name or path without commas, got "A,B"',
    ],
  ] as Array<[SessionConfigurationSettings, string]>)('refuses %j', (settings, message) => {
    expect(messages(settings)).toEqual([message]);
  });

  it("reports SDDL syntax errors with the parser's reason", () => {
    expect(messages({ security_descriptor_sddl: 'O:NSG:BAD:P(A;;GA;;;BA' })).toEqual([
      'security_descriptor_sddl: security_descriptor_sddl is not valid SDDL: D: has an unterminated ACE "(A;;GA;;;BA"',
    ]);
  });

  it('checks the idle pair against the host when only one side is managed', () => {
    expect(validateAgainstObserved({ max_idle_timeout_sec: 3600 }, observed)).toEqual([
      {
        attribute: 'max_idle_timeout_sec',
        message: 'idle_timeout_sec (7200) must not exceed max_idle_timeout_sec (3600); the host reports the one not set here',
      },
    ]);
    expect(validateAgainstObserved({ max_idle_timeout_sec: 7200 }, observed)).toEqual([]);
    expect(validateAgainstObserved({ idle_timeout_sec: 600, max_idle_timeout_sec: 300 }, observed)).toEqual([]);
  });
});

describe('endpoint names', () => {
  it.each(['microsoft.powershell', 'JEA Maintenance', 'ops-tier_1', 'x'.repeat(255)])('accepts %j', (name) => {
    expect(validateEndpointName(name)).toEqual([]);
  });
  it.each([
    ['', /empty/],
    ['  ', /empty/],
    [' ops', /white space/],
    ['x'.repeat(256), /at most 255/],
    ['a/b', /"\/"/],
    ['a\\b', /"\\"/],
    ['ops*', /"\*"/],
    ['ops[1]', /"\["/],
    ['a\u0007', /control/],
  ])('refuses %j', (name, message) => {
    const problems = validateEndpointName(name);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
    expect(validateSettings(name, {})[0]?.attribute).toBe('name');
  });
});

describe('winrsCapWarnings', () => {
  const winrs = { ...parseWinrmConfig(DEFAULT_CONFIG).winrs!, idleTimeout: '180000', maxShellsPerUser: '30', maxProcessesPerShell: '0' };

  it('warns for each managed quota above the global winrs value, and treats 0 as unlimited', () => {
    const w = winrsCapWarnings(
      { idle_timeout_sec: 7200, max_sessions_per_user: 50, max_processes_per_session: 99999, max_concurrent_users: 5 },
      winrs,
      'web01',
    );
    expect(w).toEqual([
      {
        attribute: 'idle_timeout_sec',
        message:
          "idle_timeout_sec = 7200 exceeds web01's global winrm/config/winrs IdleTimeout (180000 ms = 180 s); Windows silently applies the global value instead",
      },
      {
        attribute: 'max_sessions_per_user',
        message:
          "max_sessions_per_user = 50 exceeds web01's global winrm/config/winrs MaxShellsPerUser (30); Windows silently applies the global value instead",
      },
    ]);
    expect(winrsCapWarnings({ idle_timeout_sec: 180, max_sessions_per_user: 30 }, winrs, 'web01')).toEqual([]);
  });
});

describe('what an SDDL means for who can connect', () => {
  it.each<[string, RegExp | undefined]>([
    ['O:BA', /no DACL \(a NULL DACL\): everyone/],
    ['O:NSG:BAD:NO_ACCESS_CONTROL', /no DACL/],
    ['O:NSG:BAD:P(A;;GA;;;WD)', /allows Everyone \(WD\)/],
    ['O:NSG:BAD:P(A;;GA;;;S-1-5-7)', /allows anonymous logons/],
    ['O:NSG:BAD:P(D;;GA;;;WD)(A;;GA;;;BA)', /denies Everyone: nobody, administrators included/],
    ['O:NSG:BAD:P', /allows no one/],
    ['O:NSG:BAD:P(A;;GA;;;BA)(A;;GA;;;RM)', undefined],
    ['O:NSG:BAD:P(D;;GA;;;NU)(A;;GA;;;BA)', undefined],
  ])('%s', (sddl, effect) => {
    const found = sddlExposure(sddl);
    if (effect) expect(found).toMatch(effect);
    else expect(found).toBeUndefined();
  });
});

describe('access_mode and the SDDL, both managed', () => {
  const messages = (s: SessionConfigurationSettings) => validateSettings('ep', s).map((f) => `${f.attribute}: ${f.message}`);
  it('must agree on NETWORK logons, since the host reports the mode the SDDL implies', () => {
    expect(messages({ access_mode: 'Remote', security_descriptor_sddl: 'O:NSG:BAD:P(D;;GA;;;NU)(A;;GA;;;BA)' })).toEqual([
      expect.stringMatching(/^access_mode: access_mode = "Remote" contradicts security_descriptor_sddl, which denies NETWORK logons/),
    ]);
    expect(messages({ access_mode: 'Local', security_descriptor_sddl: 'O:NSG:BAD:P(A;;GA;;;BA)' })).toEqual([
      expect.stringMatching(/^access_mode: access_mode = "Local" contradicts security_descriptor_sddl, which does not deny/),
    ]);
    expect(messages({ access_mode: 'Local', security_descriptor_sddl: 'O:NSG:BAD:P(D;;GA;;;NU)(A;;GA;;;BA)' })).toEqual([]);
    expect(messages({ access_mode: 'Disabled', security_descriptor_sddl: 'O:NSG:BAD:P(A;;GA;;;BA)' })).toEqual([]);
  });
});
