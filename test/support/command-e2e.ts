/** Shared by the psremoting_command tests (end-to-end and handler tests): the provider block for the emulator, HCL quoting, shell counts. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_USER, EmulatorControl, startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator';
import { createWorkdir, installProviders, requiredProviders, succeeded, type Workdir } from './terraform';

/** Basic over http needs allow_unencrypted on both sides; the emulator is started with it. */
export function commandProviderBlock(extra = ''): string {
  return `${requiredProviders('psremoting')}
provider "psremoting" {
  auth              = "basic"
  username          = ${hcl(DEFAULT_USER.name)}
  password          = ${hcl(DEFAULT_USER.password)}
  allow_unencrypted = true
${extra}}
`;
}

/** An HCL quoted string: JSON escapes plus HCL's template sequences. */
export const hcl = (s: string): string => JSON.stringify(s).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');

/** Live shells on one emulated host, from the control API's shell listing. */
export async function liveShells(emulator: EmulatorHandle, host: string): Promise<number> {
  return (await new EmulatorControl(emulator.control).shells(host)).length;
}

/**
 * One emulated host and throwaway terraform working directories for the command end-to-end tests:
 * `workdir(name, resources)` writes the provider block, an `endpoint` variable and the resources, and
 * runs init. Call in the test file's top level (it registers beforeAll/afterAll).
 */
export function commandE2E(tmpPrefix: string, options: Partial<EmulatorOptions> = {}) {
  const env = { emulator: undefined as unknown as EmulatorHandle, dir: '' };
  const workdirs: Workdir[] = [];
  beforeAll(async () => {
    installProviders();
    env.emulator = await startEmulator({ hosts: ['win1'], allowUnencrypted: true, auth: ['basic'], log: () => undefined, ...options });
    env.dir = mkdtempSync(join(tmpdir(), tmpPrefix));
  });
  afterAll(async () => {
    for (const wd of workdirs) wd.remove();
    await env.emulator?.stop();
    if (env.dir) rmSync(env.dir, { recursive: true, force: true });
  });
  return {
    emulator: () => env.emulator,
    file: (name: string) => join(env.dir, name),
    endpoint: () => `-var=endpoint=${env.emulator.hosts[0]!.endpoint}`,
    async workdir(name: string, resources: string): Promise<Workdir> {
      const wd = createWorkdir(name, { 'main.tf': `${commandProviderBlock()}\nvariable "endpoint" {}\n${resources}` });
      workdirs.push(wd);
      succeeded(await wd.terraform(['init']));
      return wd;
    },
  };
}
