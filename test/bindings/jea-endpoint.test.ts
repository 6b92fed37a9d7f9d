/** JeaEndpoint, checked in the JSON cdktf synthesizes: per host its module files, role capabilities and endpoint, in that order. */
import { Testing, type TerraformStack } from 'cdktf';
import { JeaEndpoint, provider } from '../../provider';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

function synth(build: (stack: TerraformStack) => void): Resources {
  return (
    JSON.parse(
      Testing.synthScope((scope) => {
        new provider.PsremotingProvider(scope, 'psremoting', { auth: 'ntlm' });
        build(scope as TerraformStack);
      }),
    ) as { resource: Resources }
  ).resource;
}

const props = {
  hosts: ['win1', 'win2:5985'],
  name: 'Ops.Jea',
  module: 'OpsJea',
  moduleFiles: { 'OpsJea.psm1': { content: 'function Get-OpsStatus { "ok" }' } },
  roleCapabilities: {
    Operator: { visibleFunctions: [{ name: 'Get-OpsStatus' }], visibleCmdlets: [{ name: 'Get-Process' }] },
    Auditor: { visibleCmdlets: [{ name: 'Get-Date' }] },
  },
  roleDefinitions: { 'BUILTIN\\Administrators': ['Operator', 'Auditor'], 'CONTOSO\\Auditors': ['Auditor'] },
  configurationFile: { transcriptDirectory: 'C:\\ProgramData\\JeaTranscripts' },
  settings: { idleTimeoutSec: 1800 },
};

describe('JeaEndpoint', () => {
  it('declares on each host the module files, the role capabilities after them, and the endpoint after those', () => {
    const out = synth((stack) => new JeaEndpoint(stack, 'ops', props));
    const files = Object.entries(out.psremoting_file ?? {});
    const roles = Object.entries(out.psremoting_role_capability ?? {});
    const endpoints = Object.entries(out.psremoting_session_configuration ?? {});
    expect(files.map(([, f]) => [f.host, f.path])).toEqual([
      ['win1', 'C:\\Program Files\\WindowsPowerShell\\Modules\\OpsJea\\OpsJea.psm1'],
      ['win2:5985', 'C:\\Program Files\\WindowsPowerShell\\Modules\\OpsJea\\OpsJea.psm1'],
    ]);
    expect(roles.map(([, r]) => [r.host, r.name, r.module, r.module_path]).sort()).toEqual([
      ['win1', 'Auditor', 'OpsJea', 'C:\\Program Files\\WindowsPowerShell\\Modules\\OpsJea'],
      ['win1', 'Operator', 'OpsJea', 'C:\\Program Files\\WindowsPowerShell\\Modules\\OpsJea'],
      ['win2:5985', 'Auditor', 'OpsJea', 'C:\\Program Files\\WindowsPowerShell\\Modules\\OpsJea'],
      ['win2:5985', 'Operator', 'OpsJea', 'C:\\Program Files\\WindowsPowerShell\\Modules\\OpsJea'],
    ]);
    const [win1File] = files.filter(([, f]) => f.host === 'win1').map(([name]) => `psremoting_file.${name}`);
    for (const [, r] of roles.filter(([, r]) => r.host === 'win1')) expect(r.depends_on).toEqual([win1File]);
    const [[, endpoint]] = endpoints.filter(([, e]) => e.host === 'win1') as [[string, Record<string, unknown>]];
    expect(endpoint).toMatchObject({
      name: 'Ops.Jea',
      idle_timeout_sec: 1800,
      configuration_file: {
        session_type: 'RestrictedRemoteServer',
        transcript_directory: 'C:\\ProgramData\\JeaTranscripts',
        role_definitions: {
          'BUILTIN\\Administrators': { role_capabilities: ['Operator', 'Auditor'] },
          'CONTOSO\\Auditors': { role_capabilities: ['Auditor'] },
        },
      },
    });
    const win1Roles = roles.filter(([, r]) => r.host === 'win1').map(([name]) => `psremoting_role_capability.${name}`);
    expect([...(endpoint.depends_on as string[])].sort()).toEqual(win1Roles.sort());
    expect(endpoints).toHaveLength(2);
  });

  it('refuses role definitions naming a role capability it does not declare, and overrides for other hosts', () => {
    expect(() =>
      synth((stack) => new JeaEndpoint(stack, 'ops', { ...props, roleDefinitions: { 'CONTOSO\\Ops': ['Operator', 'Admin'] } })),
    ).toThrow(/roleDefinitions of "CONTOSO\\Ops" name role capabilities not in roleCapabilities: Admin/);
    expect(() => synth((stack) => new JeaEndpoint(stack, 'ops', { ...props, overrides: { win9: { maxSessions: 2 } } }))).toThrow(
      /overrides name hosts that are not in hosts: win9/,
    );
  });
});
