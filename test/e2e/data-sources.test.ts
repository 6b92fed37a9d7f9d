/** The data sources under real terraform against the emulator: endpoints, live sessions, winrm/config. */
import { startDisconnected } from '../../src/host';
import { createWorkdir, installProviders, requiredProviders, type Workdir } from '../support/terraform';
import { providerBlock, startEmulatorEnv, terraformIn, type EmulatorEnv } from '../support/session-configuration-env';

jest.setTimeout(120_000);

let env: EmulatorEnv;
let wd: Workdir;

beforeAll(async () => {
  installProviders();
  env = await startEmulatorEnv(['win1']);
  const host = env.address('win1');
  wd = createWorkdir('data-sources', {
    'main.tf': `${requiredProviders('psremoting')}${providerBlock()}
data "psremoting_session_configurations" "all" { host = "${host}" }
data "psremoting_sessions" "live" { host = "${host}" }
data "psremoting_sessions" "away" {
  host               = "${host}"
  configuration_name = "MICROSOFT.PowerShell"
  state              = "Disconnected"
}
data "psremoting_winrm_config" "cfg" { host = "${host}" }
output "configurations" { value = data.psremoting_session_configurations.all.configurations }
output "sessions" { value = data.psremoting_sessions.live.sessions }
output "away" { value = data.psremoting_sessions.away.sessions }
output "winrs" { value = data.psremoting_winrm_config.cfg.winrs }
output "service" { value = data.psremoting_winrm_config.cfg.service }
`,
  });
  expect((await terraformIn(wd, ['init'])).code).toBe(0);
});
afterAll(async () => {
  wd?.remove();
  await env?.stop();
});

test('the data sources list endpoints, the live shells and the service configuration', async () => {
  // A live shell of another client, so the sessions list has something to show.
  // It runs until the apply is done (stopped then), however slow a loaded machine makes terraform.
  const other = env.otherClient().host(env.address('win1'));
  // It lives until the apply has read the sessions however slow the machine is, then is stopped.
  const stopShell = new AbortController();
  const signal = stopShell.signal;
  // And a PowerShell session left disconnected with its command running (Invoke-Command -InDisconnectedSession).
  const away = await other.powershell(
    (client, gate) =>
      startDisconnected(
        client,
        gate,
        {
          configurationName: 'Microsoft.PowerShell',
          script: 'Start-Sleep 60',
          sessionName: 'nightly-report',
          idleTimeoutMs: 300_000,
          bufferMode: 'Drop',
          timeoutMs: 60_000,
          maxOutputBytes: 1024,
        },
        signal,
      ),
    signal,
  );
  const shell = other.runCommand({ commandLine: 'sleep 60', timeoutMs: 90_000, maxOutputBytes: 1024 }, signal);
  const apply = await terraformIn(wd, ['apply', '-auto-approve']);
  stopShell.abort();
  await shell.catch(() => undefined);
  expect(apply.stderr).toBe('');
  const out = JSON.parse((await terraformIn(wd, ['output', '-json'])).stdout);

  const configurations = out.configurations.value as Array<Record<string, unknown>>;
  expect(configurations.map((c) => c.name)).toEqual([
    'microsoft.powershell',
    'microsoft.powershell.workflow',
    'microsoft.powershell32',
    'microsoft.windows.servermanagerworkflows',
  ]);
  const ps = configurations[0]!;
  expect(ps).toMatchObject({ output_buffering_mode: 'Block', access_mode: 'Remote', enabled: true, powershell_version: '5.1' });
  expect(ps.reported).toMatchObject({
    Name: 'microsoft.powershell',
    PSVersion: '5.1',
    Permission: expect.stringContaining('AccessAllowed'),
  });
  expect(configurations[1]).toMatchObject({ use_shared_process: true, process_idle_timeout_sec: 28800 });

  const sessions = out.sessions.value as Array<Record<string, unknown>>;
  expect(sessions.length).toBeGreaterThanOrEqual(1);
  const cmd = sessions.find((s) => s.resource_uri === 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd');
  expect(cmd).toMatchObject({ owner: expect.stringContaining('vagrant'), configuration_name: '', name: '' });
  expect(cmd!.id).toMatch(/^[0-9A-F-]{36}$/i);

  // Only the disconnected PowerShell session passes the filters; its name, settings and running command show.
  expect(out.away.value).toEqual([
    expect.objectContaining({
      id: away.shellId,
      name: 'nightly-report',
      configuration_name: 'Microsoft.PowerShell',
      state: 'Disconnected',
      idle_timeout_sec: 300,
      buffer_mode: 'Drop',
      running_commands: [away.commandId],
    }),
  ]);
  expect(sessions.map((s) => s.id)).toEqual(expect.arrayContaining([away.shellId]));

  expect(out.winrs.value).toMatchObject({ MaxShellsPerUser: expect.stringMatching(/^\d+$/), IdleTimeout: expect.stringMatching(/^\d+$/) });
  expect(out.service.value).toMatchObject({ 'Auth/Negotiate': 'true', AllowUnencrypted: 'false' });
});
