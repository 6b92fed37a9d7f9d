/**
 * A restricted endpoint verified by a session, under real terraform against the emulator: after a write
 * its language mode and visible commands are in session_view; a hand edit of its session configuration
 * file on the host (a command made visible, one hidden) is drift the plan names, and the apply verifies
 * the endpoint again, after which the plan is empty; the file deleted is drift too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { registerDocument } from '../../src/host/session-configuration/plugin-documents';
import { createWorkdir, installProviders, requiredProviders, succeeded, type TerraformResult, type Workdir } from '../support/terraform';
import { endpointBlock, providerBlock, startEmulatorEnv, terraformIn, type EmulatorEnv } from '../support/session-configuration-env';
import { waitFor } from '../support/wait-for';

jest.setTimeout(300_000);

const NAME = 'Jea.Drift';
const PSSC = 'C:\\ProgramData\\JeaDrift\\drift.pssc';
const pssc = (cmdlets: string[]): string =>
  `@{ SchemaVersion = '2.0.0.0'; SessionType = 'RestrictedRemoteServer'; VisibleCmdlets = ${cmdlets.map((c) => `'${c}'`).join(', ')} }\n`;

let env: EmulatorEnv;
let wd: Workdir;
const tf = (args: string[]): Promise<TerraformResult> => terraformIn(wd, args);
const flat = (text: string): string => text.replace(/[\s│]+/g, ' ');
const writePssc = (text: string): void => {
  const local = env.emulator.virtualHosts[0]!.drive.localPath(PSSC)!;
  fs.mkdirSync(path.dirname(local), { recursive: true });
  fs.writeFileSync(local, text);
};

beforeAll(async () => {
  installProviders();
  env = await startEmulatorEnv(['win1']);
  // An endpoint registered outside terraform with a session configuration file, then imported.
  writePssc(pssc(['Get-Date', 'Get-Process']));
  const admin = env.otherClient().host(env.address('win1'));
  const doc = registerDocument(NAME, {});
  doc.initializationParameters.push({ ...doc.initializationParameters[0]!, name: 'ConfigFilePath', value: PSSC });
  await admin.createPlugin(doc, new AbortController().signal);
  const before = (await env.control.host('win1')).restarts;
  await env.control.restart('win1');
  await waitFor(async () => (await env.control.host('win1')).restarts > before, 'WinRM to restart', 30_000);
  wd = createWorkdir('restricted-endpoint-drift', {});
  wd.write(
    'main.tf',
    `${requiredProviders('psremoting')}${providerBlock()}${endpointBlock('jea', env.address('win1'), NAME, { idle_timeout_sec: 1800 })}` +
      'output "view" { value = psremoting_session_configuration.jea.session_view }\n',
  );
  succeeded(await tf(['init']));
  succeeded(await tf(['import', 'psremoting_session_configuration.jea', `${env.address('win1')}/${NAME}`]));
});
afterAll(async () => {
  wd?.remove();
  await env?.stop();
});

test('a write is verified: NoLanguage and the commands the file makes visible are in session_view', async () => {
  succeeded(await tf(['apply', '-auto-approve']));
  const view = JSON.parse(succeeded(await tf(['output', '-json'])).stdout).view.value as Record<string, string>;
  expect(view.language_mode).toBe('NoLanguage');
  const commands = view.visible_commands!.split(', ');
  expect(commands).toEqual(expect.arrayContaining(['Get-Command', 'Get-Date', 'Get-Process']));
  expect(commands).not.toContain('Stop-Process');
  expect((await tf(['plan', '-detailed-exitcode'])).code).toBe(0);
});

test('a hand edit of the file on the host is drift naming the commands; the apply verifies again and converges', async () => {
  writePssc(pssc(['Get-Date', 'Stop-Process']));
  const plan = await tf(['plan', '-detailed-exitcode']);
  expect(plan.code).toBe(2);
  expect(plan.stdout).toMatch(/psremoting_session_configuration\.jea will be updated in-place/);
  expect(plan.stdout).toMatch(/~ session_view\s+= \{/);
  expect(flat(plan.stdout + plan.stderr)).toMatch(/Sessions on "Jea\.Drift" see something else than was verified/);
  expect(flat(plan.stdout + plan.stderr)).toMatch(/now visible: Stop-Process; no longer visible: Get-Process/);
  succeeded(await tf(['apply', '-auto-approve']));
  const view = JSON.parse(succeeded(await tf(['output', '-json'])).stdout).view.value as Record<string, string>;
  expect(view.visible_commands!.split(', ')).toContain('Stop-Process');
  expect((await tf(['plan', '-detailed-exitcode'])).code).toBe(0);
});

test('its configuration file deleted on the host: the drift says the endpoint now refuses sessions, and why', async () => {
  fs.unlinkSync(env.emulator.virtualHosts[0]!.drive.localPath(PSSC)!);
  const plan = await tf(['plan', '-detailed-exitcode']);
  expect(plan.code).toBe(2);
  // Windows fails the session when the endpoint's ConfigFilePath names no file, and so does the emulator.
  const text = flat(plan.stdout + plan.stderr);
  expect(text).toMatch(/differs from the one that verified the last write: the trivial pipeline: failed: .*does not exist on the host/);
  expect(text).toMatch(/language mode not known \(was NoLanguage\)/);
});
