/**
 * psremoting_session_configuration verified by a real session (the emulator's real PowerShell) after its
 * write and WinRM restart: the session's view lands in state; a host-wide winrs IdleTimeout that caps
 * the endpoint's declared idle timeout fails the apply with the difference; verify = false opts out.
 */
import { WsmanClient, RESOURCE_URI } from '../../src/wsman';
import { NS } from '../../src/wsman/xml';
import { DEFAULT_USER } from '../../src/emulator';
import { createWorkdir, installProviders, requiredProviders, type TerraformResult, type Workdir } from '../support/terraform';
import { waitFor } from '../support/wait-for';
import { endpointBlock, providerBlock, startEmulatorEnv, terraformIn, type EmulatorEnv } from '../support/session-configuration-env';

jest.setTimeout(240_000);

let env: EmulatorEnv;
let wd: Workdir;
const tf = (args: string[]): Promise<TerraformResult> => terraformIn(wd, args);
const flat = (text: string): string => text.replace(/[\s│]+/g, ' ');
const write = (blocks: string) =>
  wd.write(
    'main.tf',
    `${requiredProviders('psremoting')}${providerBlock()}${blocks}\noutput "view" { value = psremoting_session_configuration.ops.session_view }\n`,
  );

beforeAll(async () => {
  installProviders();
  env = await startEmulatorEnv(['win1']);
  wd = createWorkdir('endpoint-verification', {});
  write(
    endpointBlock('ops', env.address('win1'), 'Ops.Restricted', {
      idle_timeout_sec: 600,
      max_idle_timeout_sec: 3600,
      output_buffering_mode: 'Drop',
    }),
  );
  expect((await tf(['init'])).code).toBe(0);
});
afterAll(async () => {
  wd?.remove();
  await env?.stop();
});

test('a written endpoint is verified by a session; its view is in the state', async () => {
  const r = await tf(['apply', '-auto-approve']);
  expect(r.stderr).toBe('');
  const out = JSON.parse((await tf(['output', '-json'])).stdout);
  expect(out.view.value).toEqual({
    idle_timeout_sec: '600',
    max_idle_timeout_sec: '3600',
    output_buffering_mode: 'Drop',
    pipeline: 'ran',
    language_mode: 'FullLanguage',
  });
});

test('a session that does not get the declared values fails the apply with the difference; verify = false opts out', async () => {
  // A host-wide winrs IdleTimeout of 120 s caps every shell's idle timeout below the endpoint's.
  const client = new WsmanClient({
    endpoint: env.emulator.hosts[0]!.endpoint,
    auth: { kind: 'ntlm', username: DEFAULT_USER.name, password: DEFAULT_USER.password },
    operationTimeoutMs: 10_000,
  });
  await client.put(RESOURCE_URI.configWinrs, undefined, {
    xml: `<cfg:Winrs xmlns:cfg="${NS.cfg}"><cfg:IdleTimeout>120000</cfg:IdleTimeout></cfg:Winrs>`,
  });
  const before = (await env.control.host('win1')).restarts;
  await env.control.restart('win1');
  await waitFor(
    async () => {
      const h = await env.control.host('win1');
      return h.service === 'Running' && h.restarts > before;
    },
    'WinRM to run again',
    30_000,
  );

  write(
    endpointBlock('ops', env.address('win1'), 'Ops.Restricted', {
      idle_timeout_sec: 900,
      max_idle_timeout_sec: 3600,
      output_buffering_mode: 'Drop',
    }),
  );
  const failed = await tf(['apply', '-auto-approve']);
  expect(failed.code).toBe(1);
  expect(flat(failed.stderr)).toMatch(/Sessions on "Ops.Restricted" do not get what was declared/);
  expect(flat(failed.stderr)).toMatch(/idle_timeout_sec: declared 900, the session has 120/);

  write(
    endpointBlock('ops', env.address('win1'), 'Ops.Restricted', {
      idle_timeout_sec: 900,
      max_idle_timeout_sec: 3600,
      output_buffering_mode: 'Drop',
      verify: false,
    }),
  );
  const skipped = await tf(['apply', '-auto-approve']);
  expect(skipped.code).toBe(0);
});
