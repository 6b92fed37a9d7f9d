/**
 * psremoting_file under real terraform against the emulator's C: drive: text, base64, a local source and
 * a secret written; a hand edit, a deleted file and a changed source each plan exactly one update or
 * create; the secret never shows; destroy deletes the files; invalid declarations fail at validate.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { succeeded, type Workdir } from '../support/terraform';
import { commandE2E } from '../support/command-e2e';

jest.setTimeout(180_000);

const e2e = commandE2E('psr-e2e-file-');
const sha = (b: string | Buffer): string => createHash('sha256').update(b).digest('hex').toUpperCase();
const onHost = (windowsPath: string): string => e2e.emulator().virtualHosts[0]!.drive.localPath(windowsPath)!;

const BINARY = Buffer.from([0, 1, 2, 255, 254, 10, 13]);

describe('files through their lifecycle', () => {
  let wd: Workdir;
  const tf = (args: string[]) => wd.terraform([...args, e2e.endpoint(), '-var=secret=hunter2-s3cret']);

  beforeAll(async () => {
    wd = await e2e.workdir(
      'file',
      `variable "secret" {
  type      = string
  sensitive = true
}
resource "psremoting_file" "text" {
  host    = var.endpoint
  path    = "C:\\\\ProgramData\\\\App\\\\settings.json"
  content = jsonencode({ port = 8443 })
}
resource "psremoting_file" "binary" {
  host           = var.endpoint
  path           = "C:\\\\ProgramData\\\\App\\\\blob.bin"
  content_base64 = "${BINARY.toString('base64')}"
}
resource "psremoting_file" "module" {
  host   = var.endpoint
  path   = "C:\\\\Program Files\\\\WindowsPowerShell\\\\Modules\\\\Ops Tools\\\\OpsTools.psm1"
  source = "\${path.module}/OpsTools.psm1"
}
resource "psremoting_file" "secret" {
  host              = var.endpoint
  path              = "C:\\\\ProgramData\\\\App\\\\key.txt"
  sensitive_content = var.secret
}
output "module_sha256" { value = psremoting_file.module.sha256 }
`,
    );
    wd.write('OpsTools.psm1', 'function Get-Ops { "v1" }\n');
  });

  test('apply writes each file as declared; the plan after it is empty', async () => {
    const apply = succeeded(await tf(['apply', '-auto-approve']));
    expect(apply.stdout).toMatch(/Apply complete! Resources: 4 added, 0 changed, 0 destroyed/);
    expect(apply.stdout).not.toContain('hunter2');
    expect(readFileSync(onHost('C:\\ProgramData\\App\\settings.json'), 'utf8')).toBe('{"port":8443}');
    expect(readFileSync(onHost('C:\\ProgramData\\App\\blob.bin'))).toEqual(BINARY);
    expect(readFileSync(onHost('C:\\ProgramData\\App\\key.txt'), 'utf8')).toBe('hunter2-s3cret');
    const module = 'C:\\Program Files\\WindowsPowerShell\\Modules\\Ops Tools\\OpsTools.psm1';
    expect(readFileSync(onHost(module), 'utf8')).toBe('function Get-Ops { "v1" }\n');
    const out = JSON.parse(succeeded(await wd.terraform(['output', '-json'])).stdout);
    expect(out.module_sha256.value).toBe(sha('function Get-Ops { "v1" }\n'));
    expect((await tf(['plan', '-detailed-exitcode'])).code).toBe(0);
  });

  test('a hand edit on the host is drift on sha256, and the apply writes the file again', async () => {
    writeFileSync(onHost('C:\\ProgramData\\App\\settings.json'), '{"port":80}');
    const plan = await tf(['plan', '-detailed-exitcode']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/psremoting_file\.text will be updated in-place/);
    expect(plan.stdout).toMatch(new RegExp(`~ sha256\\s+= "${sha('{"port":80}')}" -> "${sha('{"port":8443}')}"`));
    expect(plan.stdout).toMatch(/Plan: 0 to add, 1 to change, 0 to destroy/);
    succeeded(await tf(['apply', '-auto-approve']));
    expect(readFileSync(onHost('C:\\ProgramData\\App\\settings.json'), 'utf8')).toBe('{"port":8443}');
  });

  test('a changed source file plans an update; a file deleted on the host plans a create; no secret in either', async () => {
    wd.write('OpsTools.psm1', 'function Get-Ops { "v2" }\n');
    unlinkSync(onHost('C:\\ProgramData\\App\\key.txt'));
    const plan = await tf(['plan', '-detailed-exitcode']);
    expect(plan.stdout).toMatch(/psremoting_file\.module will be updated in-place/);
    expect(plan.stdout).toMatch(/psremoting_file\.secret will be created/);
    expect(plan.stdout).toMatch(/Plan: 1 to add, 1 to change, 0 to destroy/);
    expect(plan.stdout + plan.stderr).not.toContain('hunter2');
    succeeded(await tf(['apply', '-auto-approve']));
    expect(readFileSync(onHost('C:\\Program Files\\WindowsPowerShell\\Modules\\Ops Tools\\OpsTools.psm1'), 'utf8')).toContain('v2');
    expect(readFileSync(onHost('C:\\ProgramData\\App\\key.txt'), 'utf8')).toBe('hunter2-s3cret');
    expect((await tf(['plan', '-detailed-exitcode'])).code).toBe(0);
  });

  test('destroy deletes the files', async () => {
    succeeded(await tf(['destroy', '-auto-approve']));
    for (const p of ['settings.json', 'blob.bin', 'key.txt']) expect(existsSync(onHost(`C:\\ProgramData\\App\\${p}`))).toBe(false);
  });
});

test('a relative path, two content attributes and none are refused at validate', async () => {
  const wd = await e2e.workdir(
    'file-invalid',
    `resource "psremoting_file" "relative" {
  host    = var.endpoint
  path    = "App\\\\settings.json"
  content = "x"
}
resource "psremoting_file" "two" {
  host           = var.endpoint
  path           = "C:\\\\two.txt"
  content        = "x"
  content_base64 = "eA=="
}
resource "psremoting_file" "none" {
  host = var.endpoint
  path = "C:\\\\none.txt"
}
`,
  );
  const r = await wd.terraform(['validate', '-json']);
  expect(r.code).toBe(1);
  const diags = (JSON.parse(r.stdout) as { diagnostics: Array<{ summary: string; detail: string; address?: string }> }).diagnostics;
  const text = diags.map((d) => `${d.summary}: ${d.detail}`).join('\n');
  expect(text).toMatch(/path must be an absolute path on a drive/);
  expect(text).toMatch(/Set only one of content, content_base64, source and sensitive_content; content and content_base64 are set/);
  expect(text).toMatch(/Set one of content, content_base64, source or sensitive_content/);
});
