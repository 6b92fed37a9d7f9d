/**
 * psremoting_command under real terraform against the emulator (its command interpreter is /bin/sh, so
 * the command lines are portable sh): outputs in state, trigger re-runs in place, drift through the
 * check command in the plan, destroy command, timeout, a program the host does not have, and Ctrl-C during a running command.
 */
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { killGroup, startTerraform, succeeded, type Workdir } from '../support/terraform';
import { commandE2E, hcl, liveShells } from '../support/command-e2e';
import { waitFor } from '../support/wait-for';

jest.setTimeout(120_000);

const e2e = commandE2E('psr-e2e-command-');
const { file, endpoint } = e2e;
const workdir = e2e.workdir.bind(e2e);

describe('one command through its lifecycle', () => {
  let wd: Workdir;
  const tf = (args: string[], release = '1') => wd.terraform([...args, endpoint(), `-var=release=${release}`]);

  beforeAll(async () => {
    wd = await workdir(
      'command',
      `variable "release" {}
resource "psremoting_command" "app" {
  host            = var.endpoint
  shell           = "cmd"
  command         = ${hcl(`echo release $RELEASE >> ${file('runs.log')} && echo deployed $RELEASE && echo "token=$API_TOKEN" && echo note 1>&2`)}
  environment     = { RELEASE = var.release, API_TOKEN = "s3cret-token" }
  triggers        = { release = var.release }
  check_command   = ${hcl(`test -f ${file('runs.log')}`)}
  destroy_command = ${hcl(`echo removed > ${file('destroyed')}`)}
}
output "stdout" { value = psremoting_command.app.stdout }
output "stderr" { value = psremoting_command.app.stderr }
output "exit_code" { value = psremoting_command.app.exit_code }
`,
    );
  });

  test('apply runs the command and its outputs land in the state, the secret masked', async () => {
    const apply = succeeded(await tf(['apply', '-auto-approve']));
    expect(apply.stdout).toMatch(/Apply complete! Resources: 1 added, 0 changed, 0 destroyed/);
    expect(apply.stdout).not.toContain('s3cret-token');
    const out = JSON.parse(succeeded(await wd.terraform(['output', '-json'])).stdout);
    expect(out.stdout.value).toBe('deployed 1\ntoken=(sensitive value)\n');
    expect(out.stderr.value).toBe('note\n');
    expect(out.exit_code.value).toBe(0);
    expect(readFileSync(file('runs.log'), 'utf8')).toBe('release 1\n');
    expect(await liveShells(e2e.emulator(), 'win1')).toBe(0);
    expect((await tf(['plan', '-detailed-exitcode'])).code).toBe(0);
  });

  test('a trigger change runs the command again in place, without the destroy command', async () => {
    const plan = await tf(['plan', '-detailed-exitcode'], '2');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/psremoting_command\.app will be updated in-place/);
    expect(plan.stdout).toMatch(/~ stdout\s+= <<-EOT\s+deployed 1\s+token=\(sensitive value\)\s+EOT -> \(known after apply\)/);
    expect(plan.stdout).toMatch(/Plan: 0 to add, 1 to change, 0 to destroy/);
    succeeded(await tf(['apply', '-auto-approve'], '2'));
    expect(readFileSync(file('runs.log'), 'utf8')).toBe('release 1\nrelease 2\n');
    expect(existsSync(file('destroyed'))).toBe(false);
  });

  test('a different host plans a replacement (destroy there, create here)', async () => {
    const plan = await wd.terraform(['plan', '-var=endpoint=win2:5985', '-var=release=2']);
    expect(plan.stdout).toMatch(/# psremoting_command\.app must be replaced/);
    expect(plan.stdout).toMatch(/~ host\s+= ".*" -> "win2:5985" # forces replacement/);
    expect(plan.stdout).toMatch(/Plan: 1 to add, 0 to change, 1 to destroy/);
  });

  test('a failing check command shows a planned re-run, and the apply repairs the drift', async () => {
    unlinkSync(file('runs.log'));
    const plan = await tf(['plan', '-detailed-exitcode'], '2');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/~ check_passed\s+= false -> true/);
    expect(plan.stdout).toMatch(/Plan: 0 to add, 1 to change, 0 to destroy/);
    expect(plan.stdout + plan.stderr).toMatch(/Drift on .*: check_command exited with code 1/);
    succeeded(await tf(['apply', '-auto-approve'], '2'));
    expect(readFileSync(file('runs.log'), 'utf8')).toBe('release 2\n');
    expect((await tf(['plan', '-detailed-exitcode'], '2')).code).toBe(0);
  });

  test('destroy runs the destroy command', async () => {
    const r = succeeded(await tf(['destroy', '-auto-approve'], '2'));
    expect(r.stdout).toMatch(/Destroy complete! Resources: 1 destroyed/);
    expect(readFileSync(file('destroyed'), 'utf8')).toBe('removed\n');
    expect(await liveShells(e2e.emulator(), 'win1')).toBe(0);
  });
});

test('failures: a timeout stops the command and leaves no shell; a program the host does not have fails as Windows does', async () => {
  const wd = await workdir(
    'command-failures',
    `resource "psremoting_command" "slow" {
  host        = var.endpoint
  shell       = "cmd"
  command     = ${hcl(`echo $$ > ${file('slow.pid')}; sleep 60`)}
  timeout_sec = 2
}
resource "psremoting_command" "script" {
  host    = var.endpoint
  shell   = "cmd"
  command = "no-such-program-psr --version"
}
`,
  );
  const started = Date.now();
  const r = await wd.terraform(['apply', '-auto-approve', endpoint()]);
  expect(Date.now() - started).toBeLessThan(30_000);
  expect(r.code).toBe(1);
  const host = e2e.emulator().hosts[0]!.endpoint.replace(/[.]/g, '\\.');
  expect(r.stderr).toMatch(new RegExp(`Error: The command timed out on ${host}\\s`));
  expect(r.stderr).toMatch(/It ran longer than timeout_sec = 2 and was stopped; its shell on the host was\s+deleted/);
  expect(r.stderr).toMatch(new RegExp(`Error: The command failed on ${host} \\(exit code 9009\\)`));
  expect(r.stderr).toContain("'no-such-program-psr' is not recognized as an internal or external command");
  expect(r.stderr).toMatch(/Exit code 9009 is cmd\.exe's "not recognized"/);
  expect(await liveShells(e2e.emulator(), 'win1')).toBe(0);
  expect(() => process.kill(Number(readFileSync(file('slow.pid'), 'utf8')), 0)).toThrow(/ESRCH/);
  // A failed create stores nothing: the next plan runs both again.
  const plan = await wd.terraform(['plan', '-detailed-exitcode', endpoint()]);
  expect(plan.stdout).toMatch(/Plan: 2 to add, 0 to change, 0 to destroy/);
});

test('Ctrl-C during a running command: the command is stopped, its shell deleted, terraform ends cleanly', async () => {
  const wd = await workdir(
    'command-interrupt',
    `resource "psremoting_command" "long" {
  host    = var.endpoint
  shell   = "cmd"
  command = ${hcl(`echo $$ > ${file('long.pid')}; sleep 60`)}
}
`,
  );
  const run = startTerraform(wd.dir, ['apply', '-auto-approve', endpoint()], { timeoutMs: 60_000 });
  await waitFor(
    () => existsSync(file('long.pid')) && readFileSync(file('long.pid'), 'utf8').endsWith('\n'),
    'the command to run on the host',
    30_000,
  );
  expect(await liveShells(e2e.emulator(), 'win1')).toBe(1);
  const interruptedAt = Date.now();
  killGroup(run.child, 'SIGINT');
  const result = await run.result;

  expect(Date.now() - interruptedAt).toBeLessThan(15_000);
  expect(result.stdout).toMatch(/Interrupt received/);
  expect(result.stderr).toMatch(/interrupted/);
  expect(result.code).toBe(1);
  expect(await liveShells(e2e.emulator(), 'win1')).toBe(0);
  expect(() => process.kill(Number(readFileSync(file('long.pid'), 'utf8')), 0)).toThrow(/ESRCH/);
  expect(() => process.kill(-run.child.pid!, 0)).toThrow(/ESRCH/);
  expect(existsSync(join(wd.dir, '.terraform.tfstate.lock.info'))).toBe(false);
});
