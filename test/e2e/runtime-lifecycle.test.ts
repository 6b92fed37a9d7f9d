/**
 * Every runtime contract under real terraform, through the test-only runtimetest provider: validation
 * with attribute paths, defaults and computed values, updates, drift, replacement, import, stored-state
 * upgrade, data sources, private state, destroy — and its schema document against terraform's.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { providerSchemaJson } from '../../src/tfplugin';
import { REGISTRY_HOST } from '../../src/provider/identity';
import { createWorkdir, installProviders, requiredProviders, succeeded, type Workdir } from '../support/terraform';
import { runtimetestProvider } from './runtimetest/provider';

jest.setTimeout(120_000);

let wd: Workdir;
let store: string;

const config = (item: string): string => `${requiredProviders('runtimetest')}
provider "runtimetest" {
  store_dir = "\${path.module}/store"
}
${item}
data "runtimetest_items" "all" {
  depends_on = [runtimetest_item.web]
}
output "names" {
  value = data.runtimetest_items.all.names
}
`;
const webItem = (attrs: string): string => `resource "runtimetest_item" "web" {\n${attrs}\n}\n`;

beforeAll(async () => {
  installProviders();
  wd = createWorkdir('lifecycle', {
    'main.tf': config(webItem('  name = "web"\n  tags = { env = "test" }\n  secret = "s3cret"\n  rule {\n    port = 80\n  }')),
  });
  store = join(wd.dir, 'store');
  const init = await wd.terraform(['init']);
  expect(init.code).toBe(0);
});
afterAll(() => wd?.remove());

async function state(): Promise<Record<string, unknown>> {
  const show = await wd.terraform(['show', '-json']);
  const resources = JSON.parse(show.stdout).values?.root_module?.resources ?? [];
  return resources.find((r: { address: string }) => r.address === 'runtimetest_item.web')?.values;
}

test('validate: every invalid argument reported at its own place in the configuration', async () => {
  wd.write(
    'bad.tf',
    webItem('  name = "Bad"\n  port = 70000\n  rule {\n    port = 1\n  }\n  rule {\n    port = 0\n  }').replace('"web"', '"bad"'),
  );
  try {
    const r = await wd.terraform(['validate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /Invalid value for "name"[\s\S]*on bad\.tf line 2, in resource "runtimetest_item" "bad":\n\s+2:\s+name = "Bad"[\s\S]*must be lower-case letters/,
    );
    expect(r.stderr).toMatch(/Invalid value for "port"[\s\S]*on bad\.tf line 3[\s\S]*must be a whole number from 1 to 65535, got 70000/);
    expect(r.stderr).toMatch(/Invalid value for "port"[\s\S]*on bad\.tf line 8, in resource "runtimetest_item" "bad":\n\s+8:\s+port = 0/);
  } finally {
    wd.write('bad.tf', '');
  }
});

test('apply creates: default planned, computed values filled, sensitive kept out of output, data source read', async () => {
  const plan = await wd.terraform(['plan']);
  expect(plan.stdout).toMatch(/\+ port\s+= 8080/);
  expect(plan.stdout).toMatch(/\+ id\s+= \(known after apply\)/);
  expect(plan.stdout).toMatch(/\+ secret\s+= \(sensitive value\)/);
  const apply = await wd.terraform(['apply', '-auto-approve']);
  expect(apply.code).toBe(0);
  expect(apply.stdout).not.toContain('s3cret');
  expect(await state()).toMatchObject({
    id: 'item-web',
    name: 'web',
    port: 8080,
    revision: 1,
    tags: { env: 'test' },
    rule: [{ port: 80, note: null }],
  });
  const names = await wd.terraform(['output', '-json', 'names']);
  expect(JSON.parse(names.stdout)).toEqual(['web']);
});

test('a second plan has no changes (read returns what apply stored, private state intact)', async () => {
  const r = await wd.terraform(['plan', '-detailed-exitcode']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});

test('terraform talks to the grpc-js server without a provider error or warning in its log, closing each instance included', async () => {
  const r = await wd.terraform(['plan', '-detailed-exitcode'], { env: { TF_LOG_PROVIDER: 'WARN' } });
  expect(r.code).toBe(0);
  // terraform's log of the provider's own stderr lines (module provider.terraform-provider-…), each
  // launch's connection closed after Shutdown included. go-plugin's own "error encountered while
  // scanning stdout: file already closed" (module "provider") is its race, hashicorp/go-plugin#298.
  expect(r.stderr.split('\n').filter((l) => /\[(ERROR|WARN)\] provider\.terraform-provider-/.test(l))).toEqual([]);
});

test('an update keeps the id and re-computes the revision', async () => {
  wd.write('main.tf', config(webItem('  name = "web"\n  tags = { env = "prod" }\n  secret = "s3cret"\n  rule {\n    port = 80\n  }')));
  const plan = await wd.terraform(['plan']);
  expect(plan.stdout).toMatch(/~ revision\s+= 1 -> \(known after apply\)/);
  expect(plan.stdout).toMatch(/Plan: 0 to add, 1 to change, 0 to destroy/);
  succeeded(await wd.terraform(['apply', '-auto-approve']));
  expect(await state()).toMatchObject({ id: 'item-web', revision: 2, tags: { env: 'prod' } });
});

test('drift made outside terraform is detected and planned back', async () => {
  const file = join(store, 'item-web.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), port: 9090 }));
  const plan = await wd.terraform(['plan']);
  expect(plan.stdout).toMatch(/~ port\s+= 9090 -> 8080/);
  succeeded(await wd.terraform(['apply', '-auto-approve']));
  expect(JSON.parse(readFileSync(file, 'utf8')).port).toBe(8080);
});

test('changing a requires-replace attribute replaces the resource', async () => {
  wd.write('main.tf', config(webItem('  name = "api"\n  tags = { env = "prod" }\n  secret = "s3cret"\n  rule {\n    port = 80\n  }')));
  const plan = await wd.terraform(['plan']);
  expect(plan.stdout).toMatch(/~ name\s+= "web" -> "api" # forces replacement/);
  expect(plan.stdout).toMatch(/Plan: 1 to add, 0 to change, 1 to destroy/);
  succeeded(await wd.terraform(['apply', '-auto-approve']));
  expect(readdirSync(store)).toEqual(['item-api.json']);
});

test('import adopts an existing object; the next plan has no changes', async () => {
  expect((await wd.terraform(['state', 'rm', 'runtimetest_item.web'])).code).toBe(0);
  const create = await wd.terraform(['apply', '-auto-approve']);
  expect(create.code).toBe(1);
  expect(create.stderr).toMatch(/Item exists[\s\S]*"api" exists already: import it with id "api"/);
  const imp = await wd.terraform(['import', 'runtimetest_item.web', 'api']);
  expect(imp.stdout).toMatch(/Import successful/);
  expect(await state()).toMatchObject({ id: 'item-api', name: 'api', port: 8080, revision: 1 });
  const plan = await wd.terraform(['plan', '-detailed-exitcode']);
  expect(plan.code).toBe(0);
});

test('state stored by an older schema version is upgraded (port was "listen_port" in version 0)', async () => {
  const file = join(wd.dir, 'terraform.tfstate');
  const tfstate = JSON.parse(readFileSync(file, 'utf8'));
  const instance = tfstate.resources.find((r: { type: string }) => r.type === 'runtimetest_item').instances[0];
  instance.schema_version = 0;
  instance.attributes.listen_port = instance.attributes.port;
  delete instance.attributes.port;
  tfstate.serial += 1;
  writeFileSync(file, JSON.stringify(tfstate));
  const plan = await wd.terraform(['plan', '-detailed-exitcode', '-refresh=false']);
  expect(plan.stderr).toBe('');
  expect(plan.code).toBe(0);
});

test('the schema document matches terraform providers schema -json', async () => {
  const r = await wd.terraform(['providers', 'schema', '-json']);
  const address = `${REGISTRY_HOST}/psremoting/runtimetest`;
  const fromTerraform = JSON.parse(r.stdout);
  expect(providerSchemaJson(runtimetestProvider, address)).toEqual({
    format_version: '1.0',
    provider_schemas: { [address]: fromTerraform.provider_schemas[address] },
  });
});

test('destroy deletes everything', async () => {
  const r = await wd.terraform(['destroy', '-auto-approve']);
  expect(r.code).toBe(0);
  expect(readdirSync(store)).toEqual([]);
});
