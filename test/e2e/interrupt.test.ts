/**
 * Ctrl-C during apply: terraform sends SIGINT to the whole process group, the provider ignores it,
 * terraform calls StopProvider, the in-flight create stops early — and terraform exits cleanly: what
 * finished is in the state, the lock is released, the next plan works.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../support/wait-for';
import {
  createWorkdir,
  installProviders,
  killGroup,
  requiredProviders,
  startTerraform,
  succeeded,
  type Workdir,
} from '../support/terraform';

jest.setTimeout(120_000);

let wd: Workdir;
beforeAll(async () => {
  installProviders();
  wd = createWorkdir('interrupt', {
    'main.tf': `${requiredProviders('runtimetest')}
provider "runtimetest" {
  store_dir = "\${path.module}/store"
}
resource "runtimetest_item" "fast" {
  name = "fast"
}
resource "runtimetest_item" "slow" {
  name     = "slow"
  delay_ms = 60000
  depends_on = [runtimetest_item.fast]
}
`,
  });
  succeeded(await wd.terraform(['init']));
});
afterAll(() => wd?.remove());

test("SIGINT to terraform's process group during apply", async () => {
  const run = startTerraform(wd.dir, ['apply', '-auto-approve'], { timeoutMs: 60_000 });
  await waitFor(() => run.output().includes('runtimetest_item.slow: Creating...'), 'the slow create to start', 30_000);
  await new Promise((r) => setTimeout(r, 500)); // the create RPC is now sleeping in the provider
  const interruptedAt = Date.now();
  killGroup(run.child, 'SIGINT');
  const result = await run.result;

  expect(Date.now() - interruptedAt).toBeLessThan(10_000); // stopped, not waited out (the create sleeps 60 s)
  expect(result.stdout).toMatch(/Interrupt received/);
  expect(result.stderr).toMatch(/Applying runtimetest_item was interrupted/);
  expect(result.code).toBe(1);

  // Nothing of the group is left running (terraform and its provider processes).
  expect(() => process.kill(-run.child.pid!, 0)).toThrow(/ESRCH/);
  // The finished resource is in the saved state, the interrupted one is not; the lock is released.
  const tfstate = JSON.parse(readFileSync(join(wd.dir, 'terraform.tfstate'), 'utf8'));
  expect(tfstate.resources.map((r: { name: string }) => r.name)).toEqual(['fast']);
  expect(existsSync(join(wd.dir, '.terraform.tfstate.lock.info'))).toBe(false);
  expect(readdirSync(join(wd.dir, 'store'))).toEqual(['item-fast.json']);

  const plan = await wd.terraform(['plan', '-detailed-exitcode']);
  expect(plan.stderr).toBe('');
  expect(plan.code).toBe(2); // changes pending: the slow item
  expect(plan.stdout).toMatch(/Plan: 1 to add, 0 to change, 0 to destroy/);
});
