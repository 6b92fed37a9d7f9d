/** The fleet constructs, checked in the JSON cdktf synthesizes (what terraform receives). */
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { BuiltinEndpointTuning, CommandFleet, SessionConfigurationFleet, hostConstructId, provider } from '../../provider';

interface Synthesized {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  import?: { id: string; to: string; provider?: string }[];
}

function synth(build: (stack: TerraformStack) => void): Synthesized {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new provider.PsremotingProvider(scope, 'psremoting', { auth: 'ntlm' });
      build(scope as TerraformStack);
    }),
  ) as Synthesized;
}

/** The resources of one type, keyed by their host attribute. */
function byHost(out: Synthesized, type: string): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.values(out.resource[type] ?? {}).map((r) => [r.host as string, r]));
}

const hosts = ['win1', 'win2:5985', 'https://win3.corp.example:5986/wsman'];

describe('SessionConfigurationFleet', () => {
  it('declares the endpoint once per host with the shared settings and per-host overrides merged over them', () => {
    const out = synth((stack) => {
      new SessionConfigurationFleet(stack, 'ops', {
        hosts,
        name: 'Ops.Restricted',
        settings: { idleTimeoutSec: 3600, outputBufferingMode: 'Drop', maxSessionsPerUser: 5 },
        overrides: { 'win2:5985': { maxSessionsPerUser: 10, accessMode: 'Local' } },
      });
    });
    const endpoints = byHost(out, 'psremoting_session_configuration');
    expect(Object.keys(endpoints)).toEqual(hosts);
    expect(endpoints.win1).toEqual({
      host: 'win1',
      name: 'Ops.Restricted',
      idle_timeout_sec: 3600,
      output_buffering_mode: 'Drop',
      max_sessions_per_user: 5,
    });
    expect(endpoints['win2:5985']).toMatchObject({ max_sessions_per_user: 10, access_mode: 'Local', idle_timeout_sec: 3600 });
    expect(endpoints['https://win3.corp.example:5986/wsman']).toMatchObject({ max_sessions_per_user: 5 });
    expect(endpoints['https://win3.corp.example:5986/wsman']).not.toHaveProperty('access_mode');
  });

  it('refuses an override for a host that is not in the fleet, duplicates, an empty list and tokens', () => {
    const fleet = (h: string[], overrides?: Record<string, object>) => () =>
      synth(
        (stack) => new SessionConfigurationFleet(stack, 'ops', { hosts: h, name: 'X', settings: {}, ...(overrides ? { overrides } : {}) }),
      );
    expect(fleet(['win1'], { win9: { maxSessions: 1 } })).toThrow(/overrides name hosts that are not in hosts: win9/);
    expect(fleet(['win1', 'win1'])).toThrow(/"win1" and "win1"/);
    expect(fleet(['http://win1/wsman', 'win1'])).toThrow(/same construct id "win1"/);
    expect(fleet([])).toThrow(/hosts is empty/);
    const fromVariable = () =>
      synth((stack) => {
        const host = new TerraformVariable(stack, 'host', { type: 'string' });
        new SessionConfigurationFleet(stack, 'ops', { hosts: [host.stringValue], name: 'X', settings: {} });
      });
    expect(fromVariable).toThrow(/plain strings known at synth time/);
  });
});

describe('BuiltinEndpointTuning', () => {
  it('imports microsoft.powershell on every host by host/name and manages only the given settings', () => {
    const out = synth((stack) => {
      new BuiltinEndpointTuning(stack, 'builtin', { hosts: hosts.slice(0, 2), settings: { idleTimeoutSec: 5400 } });
    });
    const endpoints = byHost(out, 'psremoting_session_configuration');
    expect(endpoints.win1).toEqual({ host: 'win1', name: 'microsoft.powershell', idle_timeout_sec: 5400 });
    const addresses = Object.keys(out.resource.psremoting_session_configuration ?? {}).map((k) => `psremoting_session_configuration.${k}`);
    expect(out.import?.map((i) => ({ id: i.id, to: i.to })).sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'win1/microsoft.powershell', to: addresses.find((a) => a.includes('win1'))! },
      { id: 'win2:5985/microsoft.powershell', to: addresses.find((a) => a.includes('win2'))! },
    ]);
  });

  it('tunes another built-in endpoint without import blocks when adopt is false', () => {
    const out = synth((stack) => {
      new BuiltinEndpointTuning(stack, 'builtin', {
        hosts: ['win1'],
        name: 'microsoft.powershell32',
        adopt: false,
        settings: { maxMemoryPerSessionMb: 1024 },
      });
    });
    expect(byHost(out, 'psremoting_session_configuration').win1).toMatchObject({
      name: 'microsoft.powershell32',
      max_memory_per_session_mb: 1024,
    });
    expect(out.import).toBeUndefined();
  });
});

describe('CommandFleet', () => {
  it('runs the command on every host, each waiting for the endpoint of its own host only', () => {
    const out = synth((stack) => {
      const ops = new SessionConfigurationFleet(stack, 'ops', { hosts, name: 'Ops.Restricted', settings: {} });
      new CommandFleet(stack, 'configured', {
        hosts: hosts.slice(0, 2),
        shell: 'cmd',
        command: 'echo configured',
        timeoutSec: 60,
        after: [ops],
      });
    });
    const endpointAddress = (host: string): string =>
      `psremoting_session_configuration.${Object.entries(out.resource.psremoting_session_configuration ?? {}).find(([, r]) => r.host === host)![0]}`;
    const commands = byHost(out, 'psremoting_command');
    expect(Object.keys(commands)).toEqual(['win1', 'win2:5985']);
    expect(commands.win1).toEqual({
      host: 'win1',
      shell: 'cmd',
      command: 'echo configured',
      timeout_sec: 60,
      depends_on: [endpointAddress('win1')],
    });
    expect(commands['win2:5985']?.depends_on).toEqual([endpointAddress('win2:5985')]);
  });

  it('runs inside an endpoint, in a disconnected session', () => {
    const out = synth((stack) => {
      new CommandFleet(stack, 'patch', {
        hosts: hosts.slice(0, 1),
        configurationName: 'Ops.Restricted',
        command: 'Install-Patch -All',
        disconnected: { idleTimeoutSec: 3600, outputBufferingMode: 'Block', wait: false },
      });
    });
    expect(byHost(out, 'psremoting_command').win1).toEqual({
      host: 'win1',
      configuration_name: 'Ops.Restricted',
      command: 'Install-Patch -All',
      disconnected: { idle_timeout_sec: 3600, output_buffering_mode: 'Block', wait: false },
    });
  });
});

describe('hostConstructId', () => {
  it('gives readable ids for names, name:port and URLs', () => {
    expect(hosts.map(hostConstructId)).toEqual(['win1', 'win2-5985', 'win3-corp-example-5986']);
  });
});
