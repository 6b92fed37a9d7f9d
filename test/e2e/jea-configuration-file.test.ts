/**
 * psremoting_session_configuration with a configuration_file block, by real terraform against the
 * emulator (whose hosts keep files on a C: drive): the .pssc lands where Register puts it and the plugin
 * points at it; a reformatted file is no drift; a hand edit of one field is drift on exactly that field,
 * which an apply repairs; an update rewrites the file and the plugin with one WinRM restart; destroy
 * removes file and endpoint.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createWorkdir, installProviders, requiredProviders, type TerraformResult, type Workdir } from '../support/terraform';
import { providerBlock, startEmulatorEnv, terraformIn, type EmulatorEnv } from '../support/session-configuration-env';
import { decodeDataFile } from '../../src/psdata';

jest.setTimeout(300_000);

let env: EmulatorEnv;
let wd: Workdir;
const tf = (args: string[]): Promise<TerraformResult> => terraformIn(wd, args);
const restarts = async (): Promise<number> => (await env.control.host('win1')).restarts;

function write(extra = '', settings = ''): void {
  wd.write(
    'main.tf',
    `${requiredProviders('psremoting')}${providerBlock()}
resource "psremoting_session_configuration" "jea" {
  host   = "${env.address('win1')}"
  name   = "Ops.Jea"
  verify = false
${settings}  configuration_file {
    session_type          = "RestrictedRemoteServer"
    language_mode         = "NoLanguage"
    visible_cmdlets       = [{ name = "Get-Service" }, { name = "Restart-Service", parameters = [{ name = "Name", validate_set = ["Spooler"] }] }]
    visible_providers     = ["FileSystem"]
    environment_variables = { JEA_ROLE = "ops" }
${extra}  }
}
output "path" { value = psremoting_session_configuration.jea.configuration_file_path }
`,
  );
}

const localFile = async (): Promise<string> => {
  const path = JSON.parse((await tf(['output', '-json'])).stdout).path.value as string;
  const local = env.emulator.virtualHosts[0]!.drive.localPath(path);
  if (local === undefined) throw new Error(`${path} is not on the emulated C: drive`);
  return local;
};

/** The block fields the plan changes, from `terraform show -json` of a saved plan. */
async function plannedFieldChanges(): Promise<string[]> {
  const plan = await tf(['plan', '-out', 'p.tfplan']);
  expect(plan.code).toBe(0);
  const shown = JSON.parse((await tf(['show', '-json', 'p.tfplan'])).stdout) as {
    resource_changes: Array<{ change: { actions: string[]; before: Record<string, unknown>; after: Record<string, unknown> } }>;
  };
  const change = shown.resource_changes[0]!.change;
  if (change.actions.includes('no-op')) return [];
  expect(change.actions).toEqual(['update']);
  const before = (change.before.configuration_file ?? {}) as Record<string, unknown>;
  const after = (change.after.configuration_file ?? {}) as Record<string, unknown>;
  return Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

beforeAll(async () => {
  installProviders();
  env = await startEmulatorEnv(['win1']);
  wd = createWorkdir('jea-configuration-file', {});
  write();
  expect((await tf(['init'])).code).toBe(0);
});
afterAll(async () => {
  wd?.remove();
  await env?.stop();
});

test('create writes the file where Register puts it, and the plan after it is empty', async () => {
  const r = await tf(['apply', '-auto-approve']);
  expect(r.stderr).toBe('');
  const local = await localFile();
  const text = decodeDataFile(readFileSync(local));
  expect(text).toContain("SessionType = 'RestrictedRemoteServer'");
  expect(JSON.parse((await tf(['output', '-json'])).stdout).path.value).toMatch(
    /^C:\\Windows\\System32\\WindowsPowerShell\\v1\.0\\SessionConfig\\Ops\.Jea_[0-9a-f-]{36}\.pssc$/,
  );
  expect(await plannedFieldChanges()).toEqual([]);
});

test('a reformatted file is no drift; a hand edit of one field is drift on that field only, and apply repairs it', async () => {
  const local = await localFile();
  const reformatted = [
    '<# rewritten by hand #>',
    '@{',
    '  EnvironmentVariables = @{ \'JEA_ROLE\' = "ops" }',
    "  VisibleCmdlets = @{ Name = 'restart-service'; Parameters = @{ Name = 'name'; ValidateSet = 'spooler' } }, 'get-service'",
    "  VisibleProviders = 'filesystem'",
    "  LanguageMode = 'NoLanguage'; SessionType = 'RestrictedRemoteServer'",
    "  SchemaVersion = '2.0.0.0'",
    '}',
  ].join('\r\n');
  writeFileSync(local, reformatted);
  expect(await plannedFieldChanges()).toEqual([]);

  writeFileSync(local, reformatted.replace("LanguageMode = 'NoLanguage'", "LanguageMode = 'FullLanguage'"));
  expect(await plannedFieldChanges()).toEqual(['language_mode']);
  const before = await restarts();
  const r = await tf(['apply', '-auto-approve']);
  expect(r.stderr).toBe('');
  expect((await restarts()) - before).toBe(1);
  expect(decodeDataFile(readFileSync(local))).toContain("LanguageMode = 'NoLanguage'");
  expect(await plannedFieldChanges()).toEqual([]);
});

test('an update rewrites the file and the plugin with one WinRM restart; destroy removes the file and the endpoint', async () => {
  // A file field and a plugin setting at once: one Put, one restart.
  write('    visible_aliases = ["gsv"]\n', '  idle_timeout_sec = 900\n');
  expect(await plannedFieldChanges()).toEqual(['visible_aliases']);
  const before = await restarts();
  const r = await tf(['apply', '-auto-approve']);
  expect(r.stderr).toBe('');
  expect((await restarts()) - before).toBe(1);
  const plugin = await env.otherClient().host(env.address('win1')).freshPlugin('Ops.Jea', new AbortController().signal);
  expect(plugin?.quotas?.entries).toContainEqual({ name: 'IdleTimeoutms', value: '900000' });
  const local = await localFile();
  expect(decodeDataFile(readFileSync(local))).toContain("VisibleAliases = @('gsv')");
  expect(await plannedFieldChanges()).toEqual([]);

  const d = await tf(['destroy', '-auto-approve']);
  expect(d.stderr).toBe('');
  expect(existsSync(local)).toBe(false);
});
