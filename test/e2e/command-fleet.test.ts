/**
 * Fan-out under real terraform: 20 emulated hosts x 5 commands, each host's winrs MaxShellsPerUser set
 * to 5 (and made effective by a WinRM restart). The provider's max_concurrency_per_host (4) keeps its
 * shells within the quota; on win1 two shells of another client take quota for a while, so the
 * provider meets the host's quota fault — and retries it instead of failing the apply.
 */
import { DEFAULT_USER, EmulatorControl, startEmulator, type EmulatorHandle } from '../../src/emulator';
import { RESOURCE_URI, WinrsShell, WsmanClient, WsmanFault } from '../../src/wsman';
import { NS } from '../../src/wsman/xml';
import { createWorkdir, installProviders, startTerraform, succeeded, type Workdir } from '../support/terraform';
import { commandProviderBlock, liveShells } from '../support/command-e2e';
import { waitFor } from '../support/wait-for';

jest.setTimeout(180_000);

const HOSTS = 20;
const COMMANDS_PER_HOST = 5;
const HOST_QUOTA = 5;
const PROVIDER_CAP = 4;
/** Windows' fault for a user over winrs MaxShellsPerUser. */
const SHELL_QUOTA_FAULT = 2150859173;

let emulator: EmulatorHandle;
let wd: Workdir;
const clients = new Map<string, WsmanClient>();

const client = (i: number): WsmanClient => {
  const h = emulator.hosts[i]!;
  let c = clients.get(h.name);
  if (!c) {
    c = new WsmanClient({
      endpoint: h.endpoint,
      auth: { kind: 'basic', username: DEFAULT_USER.name, password: DEFAULT_USER.password, allowUnencrypted: true },
      operationTimeoutMs: 10_000,
    });
    clients.set(h.name, c);
  }
  return c;
};
const control = (): EmulatorControl => new EmulatorControl(emulator.control);

beforeAll(async () => {
  installProviders();
  emulator = await startEmulator({
    hosts: Array.from({ length: HOSTS }, (_, i) => `win${i + 1}`),
    allowUnencrypted: true,
    auth: ['basic'],
    restartMs: 200,
    log: () => undefined,
  });
  await Promise.all(
    emulator.hosts.map(async (h, i) => {
      await client(i).put(RESOURCE_URI.configWinrs, undefined, {
        xml: `<cfg:Winrs xmlns:cfg="${NS.cfg}"><cfg:MaxShellsPerUser>${HOST_QUOTA}</cfg:MaxShellsPerUser></cfg:Winrs>`,
      });
      await control().restart(h.name);
    }),
  );
  await waitFor(
    async () => (await control().hosts()).every((h) => h.service === 'Running' && h.restarts > 0),
    'every host to run WinRM again',
    30_000,
  );

  const endpoints = Object.fromEntries(emulator.hosts.map((h) => [h.name, h.endpoint]));
  wd = createWorkdir('command-fleet', {
    'main.tf': `${commandProviderBlock(`  max_concurrency_per_host = ${PROVIDER_CAP}\n`)}
variable "endpoints" { type = map(string) }
locals {
  runs = merge([for name, endpoint in var.endpoints : { for i in range(${COMMANDS_PER_HOST}) : "\${name}-\${i}" => endpoint }]...)
}
resource "psremoting_command" "fleet" {
  for_each = local.runs
  host     = each.value
  shell    = "cmd"
  command  = "sleep 0.4; echo ran \${each.key}"
}
output "stdout" { value = { for k, c in psremoting_command.fleet : k => c.stdout } }
`,
    'terraform.tfvars.json': JSON.stringify({ endpoints }),
  });
  succeeded(await wd.terraform(['init']));
});
afterAll(async () => {
  for (const c of clients.values()) c.close();
  wd?.remove();
  await emulator?.stop();
});

test(`without a cap the host refuses the ${HOST_QUOTA + 1}th shell of one user`, async () => {
  const shells: WinrsShell[] = [];
  try {
    for (let i = 0; i < HOST_QUOTA; i++) shells.push(await WinrsShell.open(client(1)));
    const refused = await WinrsShell.open(client(1)).then(
      (s) => (shells.push(s), undefined),
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(WsmanFault);
    expect((refused as WsmanFault).code).toBe(SHELL_QUOTA_FAULT);
  } finally {
    await Promise.all(shells.map((s) => s.close()));
  }
});

test(`${HOSTS} hosts x ${COMMANDS_PER_HOST} commands: at most ${PROVIDER_CAP} shells per host, a quota fault retried, not surfaced`, async () => {
  // Another client of the same user holds two of win1's five shells until the provider has met the quota.
  const held = [await WinrsShell.open(client(0)), await WinrsShell.open(client(0))];
  await Promise.all(emulator.hosts.map((h) => control().resetCounters(h.name)));
  const peak = new Map<string, number>();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      for (const h of await control().hosts()) peak.set(h.name, Math.max(peak.get(h.name) ?? 0, h.shells));
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  const releaser = (async () => {
    await waitFor(async () => (await control().counters('win1')).faults > 0, "the provider to meet win1's shell quota", 60_000);
    await new Promise((r) => setTimeout(r, 300));
    await Promise.all(held.map((s) => s.close()));
  })();

  const apply = await startTerraform(wd.dir, ['apply', '-auto-approve', '-parallelism=100'], { timeoutMs: 120_000 }).result;
  sampling = false;
  await sampler;
  await releaser;

  succeeded(apply);
  expect(apply.stdout).toMatch(new RegExp(`Apply complete! Resources: ${HOSTS * COMMANDS_PER_HOST} added`));
  expect(apply.stderr).toBe('');
  const out = JSON.parse(succeeded(await wd.terraform(['output', '-json', 'stdout'])).stdout) as Record<string, string>;
  expect(Object.keys(out)).toHaveLength(HOSTS * COMMANDS_PER_HOST);
  for (const [key, stdout] of Object.entries(out)) expect(stdout).toBe(`ran ${key}\n`);

  // Commands end well within the operation timeout, so win1's only faults are its shell quota's: met, and retried.
  expect((await control().counters('win1')).faults).toBeGreaterThan(0);
  const others = emulator.hosts.slice(1).map((h) => peak.get(h.name) ?? 0);
  expect(Math.max(...others)).toBeLessThanOrEqual(PROVIDER_CAP);
  expect(Math.max(...others)).toBeGreaterThan(1); // the cap was actually reached for, not trivially met
  expect(peak.get('win1')).toBeLessThanOrEqual(HOST_QUOTA);
  for (const h of emulator.hosts) expect(await liveShells(emulator, h.name)).toBe(0);
});
