/**
 * The emulator and HCL for the session configuration end-to-end tests: hosts addressed as
 * 127.0.0.1:PORT, NTLM as vagrant, and the control API (counters, faults, down/up).
 */
import { EmulatorControl, startEmulator, DEFAULT_USER, type EmulatorHandle, type HostCountersSnapshot } from '../../src/emulator';
import type { HostPool } from '../../src/host';
import { emulatorPool } from './host-pool';
import type { TerraformResult, Workdir } from './terraform';

export interface EmulatorEnv {
  emulator: EmulatorHandle;
  /** host name → `127.0.0.1:PORT` as the configurations write it. */
  address(name: string): string;
  control: EmulatorControl;
  /** Requests the host answered since the last reset (auth handshakes included in total). */
  counters(name: string): Promise<HostCountersSnapshot>;
  resetCounters(): Promise<void>;
  /** Another client of the hosts (as an admin at a console would be). */
  otherClient(): HostPool;
  stop(): Promise<void>;
}

export async function startEmulatorEnv(hosts: string[], opts: { restartMs?: number; latencyMs?: number } = {}): Promise<EmulatorEnv> {
  const emulator = await startEmulator({ hosts, restartMs: opts.restartMs ?? 300, latencyMs: opts.latencyMs ?? 0, log: () => undefined });
  const byName = new Map(emulator.hosts.map((h) => [h.name, h]));
  const control = new EmulatorControl(emulator.control);
  return {
    emulator,
    address: (name) => `127.0.0.1:${byName.get(name)!.port}`,
    control,
    counters: (name) => control.counters(name),
    resetCounters: async () => {
      for (const h of hosts) await control.resetCounters(h);
    },
    otherClient: () =>
      emulatorPool({
        auth: { kind: 'ntlm', username: DEFAULT_USER.name, password: DEFAULT_USER.password },
        operationTimeoutMs: 10_000,
        restartTimeoutMs: 10_000,
        maxConcurrencyPerHost: 2,
      }),
    stop: () => emulator.stop(),
  };
}

/** The provider block: NTLM (sealed over http) with the emulator's account from the environment. */
export function providerBlock(extra = ''): string {
  return `provider "psremoting" {\n  restart_timeout_sec = 5\n  operation_timeout_sec = 10\n${extra}}\n`;
}

export const credentialsEnv = { PSREMOTING_USERNAME: 'vagrant', PSREMOTING_PASSWORD: 'vagrant' };

export function endpointBlock(label: string, host: string, name: string, settings: Record<string, string | number | boolean> = {}): string {
  const lines = Object.entries(settings).map(([k, v]) => `  ${k} = ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
  return `resource "psremoting_session_configuration" "${label}" {\n  host = "${host}"\n  name = "${name}"\n${lines.join('\n')}\n}\n`;
}

/**
 * Runs terraform with the emulator's credentials. Other test processes may reinstall the provider into
 * the shared mirror meanwhile; terraform then refuses the changed package until init -upgrade relocks.
 */
export async function terraformIn(wd: Workdir, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<TerraformResult> {
  const env = { ...credentialsEnv, ...extraEnv };
  const r = await wd.terraform(args, { env, timeoutMs: 90_000 });
  if (!/does not match any of the checksums recorded in the dependency lock file/.test(r.stderr)) return r;
  await wd.terraform(['init', '-upgrade'], { env });
  return wd.terraform(args, { env, timeoutMs: 90_000 });
}
