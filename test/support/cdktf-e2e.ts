/**
 * Shared by the cdktf end-to-end tests: three emulated hosts, a throwaway working directory under
 * .tmp/e2e with the environment examples/cdktf/cli-env.ts builds, and the cdktf CLI and terraform run
 * with their output collected. Call `cdktfE2E` at a test file's top level or in a describe (it registers
 * beforeAll/afterAll).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_USER, startEmulator, type EmulatorHandle } from '../../src/emulator';
import { cdktfEnv, cdktfOutputDir } from '../../examples/cdktf/cli-env';
import { installProviders, repoRoot } from './terraform';

export interface Result {
  code: number | null;
  /** stdout and stderr together, in arrival order. */
  output: string;
}

/** Runs a program to completion (killed after timeoutMs), collecting stdout and stderr together. */
export function runCollected(program: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[test] ${program} ${args.join(' ')} timed out after ${timeoutMs} ms`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The result, or an error showing the end of the program's output. */
export function must(r: Result, what: string): Result {
  if (r.code !== 0) throw new Error(`${what} exited with ${r.code}:\n${r.output.slice(-4000)}`);
  return r;
}

const cdktfBin = join(repoRoot, 'node_modules/.bin/cdktf');

export function cdktfE2E(o: {
  /** Prefix of the working directory under .tmp/e2e. */
  readonly tmpPrefix: string;
  /** Where cdktf runs: the directory of the app's cdktf.json. */
  readonly appDir: string;
  /** The app's own environment (host lists), from the started emulator. */
  readonly env: (emulator: EmulatorHandle) => NodeJS.ProcessEnv;
}) {
  const s = { emulator: undefined as EmulatorHandle | undefined, workdir: '', env: {} as NodeJS.ProcessEnv };
  beforeAll(async () => {
    installProviders();
    const emulator = await startEmulator({ hosts: ['win1', 'win2', 'win3'], restartMs: 200, log: () => undefined });
    s.emulator = emulator;
    mkdirSync(join(repoRoot, '.tmp', 'e2e'), { recursive: true });
    s.workdir = mkdtempSync(join(repoRoot, '.tmp', 'e2e', o.tmpPrefix));
    s.env = cdktfEnv(repoRoot, s.workdir, {
      ...o.env(emulator),
      PSREMOTING_USERNAME: DEFAULT_USER.name,
      PSREMOTING_PASSWORD: DEFAULT_USER.password,
    });
  }, 120_000);
  afterAll(async () => {
    await s.emulator?.stop();
    if (s.workdir) rmSync(s.workdir, { recursive: true, force: true });
  });
  const emulator = (): EmulatorHandle => {
    if (!s.emulator) throw new Error('the emulator is started in beforeAll');
    return s.emulator;
  };
  return {
    emulator,
    /** An emulated host's WS-Man endpoint by name (win1, win2, win3). */
    endpointOf: (name: string): string => emulator().hosts.find((h) => h.name === name)!.endpoint,
    workdir: (): string => s.workdir,
    cdktf: (args: string[], timeoutMs = 240_000): Promise<Result> =>
      runCollected(cdktfBin, [...args, '--output', cdktfOutputDir(s.workdir)], o.appDir, s.env, timeoutMs),
    terraform: (args: string[], cwd: string, timeoutMs = 120_000): Promise<Result> =>
      runCollected('terraform', args, cwd, s.env, timeoutMs),
  };
}
