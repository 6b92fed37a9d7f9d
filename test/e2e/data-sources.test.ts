/** The data sources under real terraform against the emulator: endpoints, live sessions, winrm/config. */
import { createWorkdir, installProviders, requiredProviders, type Workdir } from '../support/terraform';
import { providerBlock, startEmulatorEnv, terraformIn, type EmulatorEnv } from '../support/session-configuration-env';
import { waitFor } from '../support/wait-for';

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
data "psremoting_winrm_config" "cfg" { host = "${host}" }
output "configurations" { value = data.psremoting_session_configurations.all.configurations }
output "sessions" { value = data.psremoting_sessions.live.sessions }
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
  const stop = new AbortController();
  const shell = other.runCommand({ commandLine: 'sleep 120', timeoutMs: 180_000, maxOutputBytes: 1024 }, stop.signal);
  await waitFor(async () => (await env.control.shells('win1')).length > 0, 'the other client\'s shell to be open', 30_000);
  const apply = await terraformIn(wd, ['apply', '-auto-approve']);
  stop.abort(new Error('the apply is done'));
  await shell.catch(() => undefined);
  expect(apply.stderr).toBe('');
  const out = JSON.parse((await terraformIn(wd, ['output', '-json'])).stdout);

  const configurations = out.configurations.value as Array<Record<string, unknown>>;
  expect(configurations.map((c) => c.name)).toEqual(['microsoft.powershell', 'microsoft.powershell.workflow', 'microsoft.powershell32', 'microsoft.windows.servermanagerworkflows']);
  const ps = configurations[0]!;
  expect(ps).toMatchObject({ output_buffering_mode: 'Block', access_mode: 'Remote', enabled: true, powershell_version: '5.1' });
  expect(ps.reported).toMatchObject({ Name: 'microsoft.powershell', PSVersion: '5.1', Permission: expect.stringContaining('AccessAllowed') });
  expect(configurations[1]).toMatchObject({ use_shared_process: true, process_idle_timeout_sec: 28800 });

  const sessions = out.sessions.value as Array<Record<string, unknown>>;
  expect(sessions.length).toBeGreaterThanOrEqual(1);
  expect(sessions[0]).toMatchObject({ owner: expect.stringContaining('vagrant'), resource_uri: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd', configuration_name: '' });
  expect(sessions[0]?.id).toMatch(/^[0-9A-F-]{36}$/i);

  expect(out.winrs.value).toMatchObject({ MaxShellsPerUser: expect.stringMatching(/^\d+$/), IdleTimeout: expect.stringMatching(/^\d+$/) });
  expect(out.service.value).toMatchObject({ 'Auth/Negotiate': 'true', AllowUnencrypted: 'false' });
});
