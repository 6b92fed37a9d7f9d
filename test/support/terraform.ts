/**
 * Real terraform for end-to-end tests: installs the providers into the repository's mirror (the same
 * script as `npm run provider:install`), and runs terraform in throwaway working directories under
 * .tmp/ with the repository's .terraformrc — nothing outside the repository, every run time-bounded.
 *
 *   beforeAll(() => installProviders());
 *   const wd = createWorkdir('demo', { 'main.tf': '…' });
 *   await wd.terraform(['init']);          // → { code, stdout, stderr }
 *   wd.remove();
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REGISTRY_HOST } from '../../src/provider/identity';

export const repoRoot = join(__dirname, '../..');
export const cliConfigFile = join(repoRoot, '.terraformrc');
const workRoot = join(repoRoot, '.tmp', 'e2e');

/** The test-only provider (test/e2e/runtimetest) that exercises every runtime contract. */
export const RUNTIMETEST = { type: 'runtimetest', version: '0.0.1', entry: 'test/e2e/runtimetest/main.ts' };

let installed = false;

/** Builds and installs the psremoting and runtimetest providers (once per test process; idempotent). */
export function installProviders(): void {
  if (installed) return;
  const version = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) throw new Error('end-to-end tests need terraform on PATH (terraform 1.11 or newer)');
  const script = join(repoRoot, 'scripts/provider-install.js');
  for (const args of [[], ['--type', RUNTIMETEST.type, '--version', RUNTIMETEST.version, '--entry', RUNTIMETEST.entry]]) {
    const r = spawnSync(process.execPath, [script, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`provider install failed: ${r.stderr || r.error}`);
  }
  installed = true;
}

/** The environment terraform runs in: the repository's CLI config, no inherited TF_* settings. */
export function terraformEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TF_')) env[k] = v;
  return { ...env, TF_CLI_CONFIG_FILE: cliConfigFile, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1', ...extra };
}

export interface TerraformResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The result, or a failure that shows terraform's own error output. */
export function succeeded(r: TerraformResult): TerraformResult {
  if (r.code !== 0) throw new Error(`terraform exited with ${r.code}:\n${r.stderr || r.stdout}`);
  return r;
}

export interface TerraformRun {
  child: ChildProcess;
  /** stdout so far. */
  output(): string;
  result: Promise<TerraformResult>;
}

/**
 * Starts terraform in its own process group (so a test can send Ctrl-C to the group, as a terminal
 * does); killed with its group if it outlives timeoutMs.
 */
export function startTerraform(cwd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): TerraformRun {
  const child = spawn('terraform', [...args, '-no-color'], {
    cwd,
    env: terraformEnv(opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const result = new Promise<TerraformResult>((resolve) => {
    const timer = setTimeout(() => {
      stderr += `\n[test] terraform ${args.join(' ')} timed out after ${opts.timeoutMs ?? 60_000} ms`;
      killGroup(child, 'SIGKILL');
    }, opts.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { child, output: () => stdout, result };
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

export interface Workdir {
  dir: string;
  write(file: string, content: string): void;
  terraform(args: string[], opts?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<TerraformResult>;
  remove(): void;
}

/** A fresh working directory under .tmp/e2e with the given files. */
export function createWorkdir(name: string, files: Record<string, string>): Workdir {
  mkdirSync(workRoot, { recursive: true });
  const dir = mkdtempSync(join(workRoot, `${name}-`));
  const write = (file: string, content: string): void => writeFileSync(join(dir, file), content);
  for (const [file, content] of Object.entries(files)) write(file, content);
  return {
    dir,
    write,
    terraform: (args, opts) => startTerraform(dir, args, opts).result,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A required_providers block for the repository's providers. */
export function requiredProviders(...types: string[]): string {
  const entries = types.map((ty) => `    ${ty} = { source = "${REGISTRY_HOST}/psremoting/${ty}" }`).join('\n');
  return `terraform {\n  required_providers {\n${entries}\n  }\n}\n`;
}
