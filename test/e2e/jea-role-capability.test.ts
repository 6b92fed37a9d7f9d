/**
 * psremoting_role_capability by real terraform against the emulator, with an endpoint whose role_definitions
 * name it (the reference orders the writes), verified by a session as the provider's user (vagrant, an
 * administrator): roles that leave that user out refuse the verifying session and fail the apply with the
 * host's reason; roles that include it verify, and the .psrc and a module manifest land in the module folder
 * with the SDDL Register derives; a hand edit of one field is drift on that field only; a hand edit of the
 * commands it makes visible is drift on the endpoint's session_view too, naming them, which an apply
 * converges; destroy removes the .psrc.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createWorkdir, installProviders, requiredProviders, type TerraformResult, type Workdir } from '../support/terraform';
import { providerBlock, startEmulatorEnv, terraformIn, type EmulatorEnv } from '../support/session-configuration-env';
import { decodeDataFile } from '../../src/psdata';

jest.setTimeout(300_000);

const PSRC = 'C:\\Program Files\\WindowsPowerShell\\Modules\\ContosoJea\\RoleCapabilities\\ProcessOperator.psrc';
const OPERATORS = '"BUILTIN\\\\Remote Management Users" = { role_capabilities = [psremoting_role_capability.ops.name] }';
const ADMINS = '"BUILTIN\\\\Administrators" = { role_capabilities = [psremoting_role_capability.ops.name] }';

let env: EmulatorEnv;
let wd: Workdir;
const tf = (args: string[]): Promise<TerraformResult> => terraformIn(wd, args);
const flat = (text: string): string => text.replace(/[\s│]+/g, ' ');
const local = (path: string): string => env.emulator.virtualHosts[0]!.drive.localPath(path) ?? '';

/** The role capability and an endpoint (verified by a session: verify is left at its default) giving it to `roles`. */
function write(roles: string[]): void {
  wd.write(
    'main.tf',
    `${requiredProviders('psremoting')}${providerBlock()}
resource "psremoting_role_capability" "ops" {
  host            = "${env.address('win1')}"
  module          = "ContosoJea"
  name            = "ProcessOperator"
  description     = "Inspect and stop processes"
  visible_cmdlets = [{ name = "Stop-Process", parameters = [{ name = "Name", validate_set = ["notepad"] }] }, { name = "Get-Date" }]
}
resource "psremoting_session_configuration" "jea" {
  host = "${env.address('win1')}"
  name = "Ops.Jea"
  configuration_file {
    session_type     = "RestrictedRemoteServer"
    role_definitions = { ${roles.join(', ')} }
  }
}
output "psrc" { value = psremoting_role_capability.ops.path }
output "sddl" { value = psremoting_session_configuration.jea.security_descriptor_sddl }
output "view" { value = psremoting_session_configuration.jea.session_view }
`,
  );
}

interface PlannedChange {
  address: string;
  change: { actions: string[]; before: Record<string, unknown>; after: Record<string, unknown> };
}

/** The resources a saved plan changes, from `terraform show -json`. */
async function plannedChanges(): Promise<PlannedChange[]> {
  const plan = await tf(['plan', '-out', 'p.tfplan']);
  expect(plan.code).toBe(0);
  const shown = JSON.parse((await tf(['show', '-json', 'p.tfplan'])).stdout) as { resource_changes: PlannedChange[] };
  return shown.resource_changes.filter((c) => !c.change.actions.includes('no-op'));
}

const changedKeys = ({ change: { before, after } }: PlannedChange): string[] =>
  Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));

beforeAll(async () => {
  installProviders();
  env = await startEmulatorEnv(['win1']);
  wd = createWorkdir('jea-role-capability', {});
  write([OPERATORS]);
  expect((await tf(['init'])).code).toBe(0);
});
afterAll(async () => {
  wd?.remove();
  await env?.stop();
});

test("roles that leave out the provider's user refuse the verifying session: the apply fails with the host's reason", async () => {
  const r = await tf(['apply', '-auto-approve']);
  expect(r.code).toBe(1);
  const text = flat(r.stderr);
  expect(text).toMatch(/The endpoint "Ops\.Jea" refused a session on /);
  // The host's reason: the SDDL Register derives from the roles (Remote Management Users alone) denies vagrant.
  expect(text).toMatch(/opening a session on it failed: .*Access is denied/);
  expect(text).toMatch(/Set verify = false to skip this check/);
});

test('roles that include it verify; the files and the SDDL are in place; a hand edit of one field is drift on that field only', async () => {
  write([OPERATORS, ADMINS]);
  const r = await tf(['apply', '-auto-approve']);
  expect(r.stderr).toBe('');
  // The refused create left the endpoint tainted: it is replaced, not refused as one terraform did not create.
  expect(r.stdout).toMatch(/psremoting_session_configuration\.jea is tainted, so must be replaced/);
  const out = JSON.parse((await tf(['output', '-json'])).stdout);
  expect(out.psrc.value).toBe(PSRC);
  expect(decodeDataFile(readFileSync(local('C:\\Program Files\\WindowsPowerShell\\Modules\\ContosoJea\\ContosoJea.psd1')))).toContain(
    "ModuleVersion = '1.0.0'",
  );
  // Register's SDDL: one entry per role definition principal (Administrators S-1-5-32-544, Remote Management Users S-1-5-32-580).
  expect(out.sddl.value).toMatch(/^O:NSG:BAD:P\(A;;GA;;;(BA|S-1-5-32-544)\)\(A;;GA;;;(RM|S-1-5-32-580)\)S:/);
  expect(out.view.value.language_mode).toBe('NoLanguage');
  expect(out.view.value.visible_commands.split(', ')).toEqual(expect.arrayContaining(['Get-Date', 'Stop-Process']));
  expect((await tf(['plan', '-detailed-exitcode'])).code).toBe(0);

  const psrc = local(PSRC);
  writeFileSync(psrc, decodeDataFile(readFileSync(psrc)).replace("Description = 'Inspect and stop processes'", "Description = 'edited'"));
  const changes = await plannedChanges();
  // The description is not what sessions see: the endpoint's view does not change.
  expect(changes.map((c) => c.address)).toEqual(['psremoting_role_capability.ops']);
  expect(changedKeys(changes[0]!)).toEqual(['description']);
  expect((await tf(['apply', '-auto-approve'])).stderr).toBe('');
});

test('a hand edit of the commands the .psrc makes visible is session_view drift naming them; the apply converges', async () => {
  const psrc = local(PSRC);
  const text = decodeDataFile(readFileSync(psrc));
  expect(text).toMatch(/'Get-Date'/);
  writeFileSync(psrc, text.replace(/'Get-Date'/, "'Get-Process'"));
  const plan = await tf(['plan', '-detailed-exitcode']);
  expect(plan.code).toBe(2);
  expect(plan.stdout).toMatch(/psremoting_session_configuration\.jea will be updated in-place/);
  expect(plan.stdout).toMatch(/~ session_view\s+= \{/);
  const said = flat(plan.stdout + plan.stderr);
  expect(said).toMatch(/Sessions on "Ops\.Jea" see something else than was verified/);
  expect(said).toMatch(/now visible: Get-Process; no longer visible: Get-Date/);
  expect(changedKeys((await plannedChanges()).find((c) => c.address === 'psremoting_role_capability.ops')!)).toEqual(['visible_cmdlets']);

  // The role capability is written back first (the endpoint references it), then the endpoint verified again.
  const r = await tf(['apply', '-auto-approve']);
  expect(r.stderr).toBe('');
  expect(decodeDataFile(readFileSync(psrc))).toMatch(/'Get-Date'/);
  const view = JSON.parse((await tf(['output', '-json'])).stdout).view.value as Record<string, string>;
  expect(view.visible_commands!.split(', ')).toEqual(expect.arrayContaining(['Get-Date', 'Stop-Process']));
  expect(view.visible_commands!.split(', ')).not.toContain('Get-Process');
  expect((await tf(['plan', '-detailed-exitcode'])).code).toBe(0);
});

test('destroy removes the .psrc', async () => {
  const d = await tf(['destroy', '-auto-approve']);
  expect(d.stderr).toBe('');
  expect(existsSync(local(PSRC))).toBe(false);
});
