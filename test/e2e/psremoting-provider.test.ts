/**
 * The psremoting provider under real terraform, installed from the repository's mirror: init, validate,
 * plan/apply/destroy with provider::psremoting::encode_command, and the schema document.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkdir, installProviders, repoRoot, requiredProviders, type Workdir } from '../support/terraform';
import { SOURCE_ADDRESS } from '../../src/provider/identity';

jest.setTimeout(120_000);

const script = 'Get-PSSessionConfiguration | Where-Object { $_.Name -like "micro*" } # ünïcödé ✓';
const expected = Buffer.from(script, 'utf16le').toString('base64');

let wd: Workdir;
beforeAll(() => {
  installProviders();
  wd = createWorkdir('psremoting', {
    'main.tf': `${requiredProviders('psremoting')}
locals {
  script = ${JSON.stringify(script).replace(/\$\{/g, '$${')}
}
resource "terraform_data" "command" {
  input = provider::psremoting::encode_command(local.script)
}
output "encoded" {
  value = terraform_data.command.output
}
`,
  });
});
afterAll(() => wd?.remove());

test('init installs the provider from the filesystem mirror and locks its hash', async () => {
  const r = await wd.terraform(['init']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/Installing registry\.psremoting\.invalid\/psremoting\/psremoting v0\.1\.0/);
  expect(readFileSync(join(wd.dir, '.terraform.lock.hcl'), 'utf8')).toMatch(
    /provider "registry\.psremoting\.invalid\/psremoting\/psremoting"[\s\S]*version\s+= "0.1.0"[\s\S]*"h1:/,
  );
});

test('validate accepts the configuration', async () => {
  const r = await wd.terraform(['validate']);
  expect(r.stdout).toMatch(/The configuration is valid/);
  expect(r.code).toBe(0);
});

test('plan, apply: the output is the script as powershell.exe -EncodedCommand takes it', async () => {
  const plan = await wd.terraform(['plan', '-out=tfplan']);
  expect(plan.code).toBe(0);
  expect(plan.stdout).toMatch(/Plan: 1 to add, 0 to change, 0 to destroy/);
  const apply = await wd.terraform(['apply', 'tfplan']);
  expect(apply.code).toBe(0);
  const out = await wd.terraform(['output', '-json', 'encoded']);
  expect(JSON.parse(out.stdout)).toBe(expected);
  expect(Buffer.from(JSON.parse(out.stdout), 'base64').toString('utf16le')).toBe(script);
  const again = await wd.terraform(['plan', '-detailed-exitcode']);
  expect(again.code).toBe(0); // no changes
});

test('a bad argument fails validation with the function and its argument named at the call', async () => {
  wd.write('bad.tf', 'output "bad" {\n  value = provider::psremoting::encode_command("   ")\n}\n');
  try {
    const r = await wd.terraform(['validate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Error: Invalid function argument/);
    expect(r.stderr).toMatch(/on bad\.tf line 2, in output "bad":/);
    expect(r.stderr).toMatch(/while calling provider::psremoting::encode_command\(script\)/);
    expect(r.stderr).toMatch(/Invalid value for "script" parameter: the script is empty/);
  } finally {
    wd.write('bad.tf', '');
  }
});

test('destroy removes what apply created', async () => {
  const r = await wd.terraform(['destroy', '-auto-approve']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/Destroy complete! Resources: 1 destroyed/);
});

test('npm run schema prints what terraform providers schema -json reports for the installed provider', async () => {
  const fromTerraform = await wd.terraform(['providers', 'schema', '-json']);
  expect(fromTerraform.code).toBe(0);
  const ours = execFileSync('npm', ['run', '-s', 'schema'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  const terraformDoc = JSON.parse(fromTerraform.stdout);
  const address = SOURCE_ADDRESS;
  expect(JSON.parse(ours)).toEqual({
    format_version: terraformDoc.format_version,
    provider_schemas: { [address]: terraformDoc.provider_schemas[address] },
  });
});
