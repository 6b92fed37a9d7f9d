/**
 * The HCL walkthrough (examples/walkthrough) as a user runs it: the emulator at a fixed --port-base,
 * hosts by name through the walkthrough's mapping, the credentials it shows; apply, an empty plan, the
 * control API at its fixed port, destroy.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmulatorControl, startEmulator, type EmulatorHandle } from '../../src/emulator';
import { createWorkdir, installProviders, repoRoot, succeeded, type Workdir } from '../support/terraform';

jest.setTimeout(180_000);

let emulator: EmulatorHandle;
let wd: Workdir;
let portBase = 0;

/** Fixed ports the walkthrough can name; another base when these are taken on this machine. */
async function startAtFreeBase(): Promise<EmulatorHandle> {
  for (let attempt = 0; ; attempt++) {
    portBase = 40_000 + Math.floor(Math.random() * 20_000);
    try {
      return await startEmulator({ hosts: ['win1', 'win2'], portBase, restartMs: 200, log: () => undefined });
    } catch (e) {
      if (attempt >= 5 || !/EADDRINUSE/.test(String(e))) throw e;
    }
  }
}

beforeAll(async () => {
  installProviders();
  emulator = await startAtFreeBase();
  wd = createWorkdir('walkthrough', { 'main.tf': readFileSync(join(repoRoot, 'examples/walkthrough/main.tf'), 'utf8') });
});
afterAll(async () => {
  wd?.remove();
  await emulator?.stop();
});

test('init, apply, an empty plan, destroy', async () => {
  const vars = ['-var', `port_base=${portBase}`];
  // No credentials in the environment: the walkthrough shows them in its provider block.
  succeeded(await wd.terraform(['init']));
  const apply = succeeded(await wd.terraform(['apply', '-auto-approve', ...vars], { timeoutMs: 120_000 }));
  expect(apply.stdout).toMatch(/Apply complete! Resources: 4 added, 0 changed, 0 destroyed/);
  expect(apply.stdout).toMatch(/"win1" = "hello from win1"/);
  expect(apply.stdout).toMatch(/"win2" = "3600000"/);
  expect((await wd.terraform(['plan', '-detailed-exitcode', ...vars])).code).toBe(0);

  // The control API sits at the fixed port after the hosts.
  expect(emulator.control).toBe(`http://127.0.0.1:${portBase + 2}`);
  const win1 = await new EmulatorControl(`http://127.0.0.1:${portBase + 2}`).host('win1');
  expect(win1.restarts).toBe(1);

  const destroy = succeeded(await wd.terraform(['destroy', '-auto-approve', ...vars], { timeoutMs: 120_000 }));
  expect(destroy.stdout).toMatch(/Resources: 4 destroyed/);
});
