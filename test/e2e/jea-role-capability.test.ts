/**
 * psremoting_role_capability by real terraform against the emulator: the .psrc and a module manifest land
 * in the module folder; an endpoint's role_definitions name it (the reference orders the writes) and get
 * the SDDL Register derives; a hand edit of one field is drift on that field only; destroy removes the .psrc.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createWorkdir, installProviders, requiredProviders, type TerraformResult, type Workdir } from '../support/terraform';
import { providerBlock, startEmulatorEnv, terraformIn, type EmulatorEnv } from '../support/session-configuration-env';
import { decodeDataFile } from '../../src/psdata';

jest.setTimeout(300_000);

let env: EmulatorEnv;
let wd: Workdir;
const tf = (args: string[]): Promise<TerraformResult> => terraformIn(wd, args);
const local = (path: string): string => env.emulator.virtualHosts[0]!.drive.localPath(path) ?? '';

beforeAll(async () => {
  installProviders();
  env = await startEmulatorEnv(['win1']);
  wd = createWorkdir('jea-role-capability', {});
  wd.write(
    'main.tf',
    `${requiredProviders('psremoting')}${providerBlock()}
resource "psremoting_role_capability" "dns" {
  host            = "${env.address('win1')}"
  module          = "ContosoJea"
  name            = "DnsOperator"
  description     = "Restart and inspect DNS"
  visible_cmdlets = [{ name = "Restart-Service", parameters = [{ name = "Name", validate_set = ["Dns"] }] }, { name = "Get-Service" }]
}
resource "psremoting_session_configuration" "jea" {
  host   = "${env.address('win1')}"
  name   = "Dns.Jea"
  verify = false
  configuration_file {
    session_type     = "RestrictedRemoteServer"
    role_definitions = { "BUILTIN\\\\Remote Management Users" = { role_capabilities = [psremoting_role_capability.dns.name] } }
  }
}
output "psrc" { value = psremoting_role_capability.dns.path }
output "sddl" { value = psremoting_session_configuration.jea.security_descriptor_sddl }
`,
  );
  expect((await tf(['init'])).code).toBe(0);
});
afterAll(async () => {
  wd?.remove();
  await env?.stop();
});

test('create, drift on one field, destroy', async () => {
  const r = await tf(['apply', '-auto-approve']);
  expect(r.stderr).toBe('');
  const out = JSON.parse((await tf(['output', '-json'])).stdout);
  expect(out.psrc.value).toBe('C:\\Program Files\\WindowsPowerShell\\Modules\\ContosoJea\\RoleCapabilities\\DnsOperator.psrc');
  expect(decodeDataFile(readFileSync(local('C:\\Program Files\\WindowsPowerShell\\Modules\\ContosoJea\\ContosoJea.psd1')))).toContain(
    "ModuleVersion = '1.0.0'",
  );
  // Register's SDDL: the role definition's principal alone (Remote Management Users, S-1-5-32-580).
  expect(out.sddl.value).toMatch(/^O:NSG:BAD:P\(A;;GA;;;(RM|S-1-5-32-580)\)S:/);
  const psrc = local(out.psrc.value);
  expect((await tf(['plan', '-detailed-exitcode'])).code).toBe(0);

  writeFileSync(psrc, decodeDataFile(readFileSync(psrc)).replace("Description = 'Restart and inspect DNS'", "Description = 'edited'"));
  const plan = await tf(['plan', '-out', 'p.tfplan']);
  expect(plan.code).toBe(0);
  const shown = JSON.parse((await tf(['show', '-json', 'p.tfplan'])).stdout) as {
    resource_changes: Array<{
      address: string;
      change: { actions: string[]; before: Record<string, unknown>; after: Record<string, unknown> };
    }>;
  };
  const changes = shown.resource_changes.filter((c) => !c.change.actions.includes('no-op'));
  expect(changes.map((c) => c.address)).toEqual(['psremoting_role_capability.dns']);
  const { before, after } = changes[0]!.change;
  expect(Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))).toEqual(['description']);

  const d = await tf(['destroy', '-auto-approve']);
  expect(d.stderr).toBe('');
  expect(existsSync(psrc)).toBe(false);
});
