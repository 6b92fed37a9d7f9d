/**
 * psremoting_command over PSRP under real terraform against the emulator's real PowerShell: a command
 * inside an endpoint, an endpoint that does not exist, an idle timeout above the MaxIdleTimeout declared
 * for its endpoint, a disconnected command whose apply is killed with
 * SIGKILL and reattached by the next apply (it ran once), wait = false looked at by plans and collected
 * by the apply after its end (every line once), a session lost to a WinRM restart or to its IdleTimeout
 * planned as a re-run, and Block / Drop output buffering.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { killGroup, startTerraform, succeeded, type Workdir } from '../support/terraform';
import { EmulatorControl } from '../../src/emulator';
import { commandE2E, hcl } from '../support/command-e2e';
import { waitFor } from '../support/wait-for';

jest.setTimeout(240_000);

// A small output buffer so Block and Drop show within a few hundred lines.
const e2e = commandE2E('psr-e2e-psrp-', { psrpOutputBufferBytes: 16 * 1024 });
const { file, endpoint } = e2e;
const workdir = e2e.workdir.bind(e2e);
const outputs = async (wd: Workdir) =>
  JSON.parse(succeeded(await wd.terraform(['output', '-json'])).stdout) as Record<string, { value: unknown }>;
const lines = (path: string) =>
  existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];

const OUTPUTS = ['stdout', 'stderr', 'exit_code', 'output_json', 'status', 'status_detail']
  .map((o) => `output "${o}" { value = psremoting_command.c.${o} }`)
  .join('\n');

test('a command inside an endpoint: rendered output, JSON, records with their error id, exit code', async () => {
  const wd = await workdir(
    'psrp',
    `resource "psremoting_command" "c" {
  host               = var.endpoint
  configuration_name = "microsoft.powershell"
  command            = "'hello'; [pscustomobject]@{ Name = 'svc'; Count = 2 }; Write-Error 'soft failure'; exit 4"
  fail_on_nonzero_exit = false
}
${OUTPUTS}`,
  );
  succeeded(await wd.terraform(['apply', '-auto-approve', endpoint()]));
  const out = await outputs(wd);
  expect(out.stdout!.value).toMatch(/^hello\n\nName\s+Count\n-+\s+-+\nsvc\s+2/);
  expect(JSON.parse(out.output_json!.value as string)).toEqual(['hello', { Name: 'svc', Count: 2 }]);
  expect(out.stderr!.value).toContain('FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException');
  expect(out.exit_code!.value).toBe(4);
  expect(out.status!.value).toBe('failed');
  expect((await wd.terraform(['plan', '-detailed-exitcode', endpoint()])).code).toBe(0);
});

test('an endpoint that does not exist fails the apply with the host reason', async () => {
  const wd = await workdir(
    'psrp-missing',
    `resource "psremoting_command" "c" {\n  host = var.endpoint\n  configuration_name = "Ops.Missing"\n  command = "1"\n}\n`,
  );
  const r = await wd.terraform(['apply', '-auto-approve', endpoint()]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/Could not run the command in endpoint "Ops.Missing"/);
  expect(r.stderr).toMatch(/powershell\/Ops\.Missing\s+was\s+not\s+found/);
});

test('the idle timeout is checked against the MaxIdleTimeout declared for the endpoint in the same configuration', async () => {
  // Not applied yet: only the declaration says 120 s (the host has no such endpoint).
  const wd = await workdir(
    'psrp-declared',
    `resource "psremoting_session_configuration" "ops" {
  host                 = var.endpoint
  name                 = "Ops.Declared"
  idle_timeout_sec     = 60
  max_idle_timeout_sec = 120
}
resource "psremoting_command" "c" {
  host               = var.endpoint
  configuration_name = psremoting_session_configuration.ops.name
  command            = "'x'"
  disconnected {
    idle_timeout_sec = 300
  }
}`,
  );
  const plan = await wd.terraform(['plan', '-no-color', endpoint()]);
  expect(plan.code).toBe(1);
  expect(plan.stderr.replace(/[│\s]+/g, ' ')).toMatch(
    /MaxIdleTimeout of "Ops.Declared" on .* \(120 s, as declared in this configuration\)/,
  );
});

test('an apply killed with SIGKILL while waiting is reattached by the next apply, which does not run the command again', async () => {
  const runs = file('killed-runs.log');
  const wd = await workdir(
    'psrp-kill',
    `resource "psremoting_command" "c" {
  host    = var.endpoint
  command = ${hcl(`Add-Content -LiteralPath '${runs}' -Value run; 'started'; Start-Sleep 12; 'finished'`)}
  disconnected {
    idle_timeout_sec = 120
  }
}
${OUTPUTS}`,
  );
  const run = startTerraform(wd.dir, ['apply', '-auto-approve', '-lock=false', endpoint()], { timeoutMs: 120_000 });
  await waitFor(() => lines(runs).length > 0, 'the command to start on the host', 90_000);
  killGroup(run.child, 'SIGKILL');
  await run.result;
  const again = succeeded(await wd.terraform(['apply', '-auto-approve', '-lock=false', endpoint()], { timeoutMs: 120_000 }));
  expect(again.stdout).toMatch(/1 added/);
  const out = await outputs(wd);
  expect(out.status!.value).toBe('completed');
  expect(out.stdout!.value).toMatch(/finished\n$/);
  expect(lines(runs)).toEqual(['run']);
});

/** Applies until no disconnected command of the configuration is running; returns the outputs then. */
async function applyUntilCollected(wd: Workdir, statuses: string[], what: string): Promise<Record<string, { value: unknown }>> {
  let out: Record<string, { value: unknown }> = {};
  await waitFor(
    async () => {
      succeeded(await wd.terraform(['apply', '-auto-approve', endpoint()]));
      out = await outputs(wd);
      return statuses.every((s) => out[s]!.value !== 'running');
    },
    what,
    120_000,
  );
  return out;
}

test('wait = false: plans only look at the session; the apply after the end collects every line exactly once', async () => {
  const go = file('nowait-go');
  const ended = file('nowait-ended');
  const wd = await workdir(
    'psrp-nowait',
    `resource "psremoting_command" "c" {
  host    = var.endpoint
  command = ${hcl(`'step 1'; while (-not (Test-Path -LiteralPath '${go}')) { Start-Sleep -Milliseconds 200 }; 'step 2'; Set-Content -LiteralPath '${ended}' -Value done`)}
  disconnected {
    wait = false
    output_buffering_mode = "Block"
  }
}
${OUTPUTS}`,
  );
  succeeded(await wd.terraform(['apply', '-auto-approve', endpoint()]));
  expect((await outputs(wd)).status!.value).toBe('running');
  // While it runs, a plan changes nothing (and takes nothing: 'step 1' waits on the host).
  for (let i = 0; i < 2; i++) expect((await wd.terraform(['plan', '-detailed-exitcode', endpoint()])).code).toBe(0);
  writeFileSync(go, 'go');
  await waitFor(() => existsSync(ended), 'the disconnected command to end', 60_000);
  // Once it ended, each plan announces the collection; neither takes the output terraform would discard.
  for (let i = 0; i < 2; i++) {
    const plan = await wd.terraform(['plan', '-detailed-exitcode', endpoint()]);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/~ status\s+= "running" -> \(known after apply\)/);
  }
  const out = await applyUntilCollected(wd, ['status'], 'the disconnected command to be collected');
  expect(out.status!.value).toBe('completed');
  expect(out.stdout!.value).toBe('step 1\nstep 2\n');
  expect((await wd.terraform(['plan', '-detailed-exitcode', endpoint()])).code).toBe(0);
});

test('a session lost to a WinRM restart is expired, says so, and plans the command again', async () => {
  const wd = await workdir(
    'psrp-expired',
    `resource "psremoting_command" "c" {
  host    = var.endpoint
  command = "Start-Sleep 60; 'never seen'"
  disconnected {
    wait = false
    idle_timeout_sec = 600
  }
}
${OUTPUTS}`,
  );
  succeeded(await wd.terraform(['apply', '-auto-approve', endpoint()]));
  await new EmulatorControl(e2e.emulator().control).restart('win1');
  const plan = await wd.terraform(['plan', '-detailed-exitcode', endpoint()]);
  expect(plan.code).toBe(2);
  expect(plan.stdout).toMatch(/expired/);
  expect(plan.stdout).toMatch(/WinRM restarted/);
  expect(plan.stdout).toMatch(/~ status\s+= "expired" -> \(known after apply\)/);
});

test('a session whose IdleTimeout passed before anyone collected it is expired, says so, and plans the command again', async () => {
  const wd = await workdir(
    'psrp-idle',
    `resource "psremoting_command" "c" {
  host    = var.endpoint
  command = "Start-Sleep 600; 'never seen'"
  disconnected {
    wait = false
    idle_timeout_sec = 60
  }
}
output "session_id" { value = psremoting_command.c.session_id }
${OUTPUTS}`,
  );
  succeeded(await wd.terraform(['apply', '-auto-approve', endpoint()]));
  const sessionId = (await outputs(wd)).session_id!.value;
  const control = new EmulatorControl(e2e.emulator().control);
  // Nobody connects: the host deletes the session once its 60 s IdleTimeout pass.
  await waitFor(async () => !(await control.shells('win1')).some((s) => s.id === sessionId), 'the host to drop the idle session', 150_000);
  succeeded(await wd.terraform(['apply', '-refresh-only', '-auto-approve', endpoint()]));
  const expired = await outputs(wd);
  expect(expired.status!.value).toBe('expired');
  expect(expired.status_detail!.value).toMatch(/IdleTimeout \(60 s\) passed before its output was collected/);
  expect((await wd.terraform(['plan', '-detailed-exitcode', endpoint()])).code).toBe(2);
  const rerun = succeeded(await wd.terraform(['apply', '-auto-approve', endpoint()]));
  expect(rerun.stdout).toMatch(/1 changed/);
  expect((await outputs(wd)).status!.value).toBe('running');
});

test('Block suspends the command until output is collected; Drop runs on and loses the oldest output', async () => {
  const script = (name: string) =>
    `1..2000 | ForEach-Object { "line $_ $('x' * 40)" }; Set-Content -LiteralPath '${file(name)}' -Value done`;
  const wd = await workdir(
    'psrp-buffering',
    ['Block', 'Drop']
      .map(
        (mode) => `resource "psremoting_command" "${mode.toLowerCase()}" {
  host    = var.endpoint
  command = ${hcl(script(mode))}
  disconnected {
    wait = false
    output_buffering_mode = "${mode}"
  }
}
output "${mode.toLowerCase()}" { value = psremoting_command.${mode.toLowerCase()}.stdout }
output "${mode.toLowerCase()}_status" { value = psremoting_command.${mode.toLowerCase()}.status }`,
      )
      .join('\n'),
  );
  succeeded(await wd.terraform(['apply', '-auto-approve', endpoint()]));
  // Drop runs to its end unattended; Block waits for a client once its buffer is full.
  await waitFor(() => existsSync(file('Drop')), 'the Drop command to end while disconnected', 60_000);
  expect(existsSync(file('Block'))).toBe(false);
  const out = await applyUntilCollected(wd, ['block_status', 'drop_status'], 'both commands to be collected');
  expect(out.block_status!.value).toBe('completed');
  expect(out.drop_status!.value).toBe('completed');
  expect(existsSync(file('Block'))).toBe(true);
  expect(out.block!.value).toMatch(/^line 1 x+\n/);
  expect(out.block!.value).toMatch(/line 2000 x+\n$/);
  expect(out.drop!.value).not.toMatch(/^line 1 /);
  expect(out.drop!.value).toMatch(/line 2000 x+\n$/);
});
