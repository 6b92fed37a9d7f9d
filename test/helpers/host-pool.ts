/** A HostPool for tests against the in-process emulator: Basic over loopback HTTP, the default user. */
import { DEFAULT_USER } from '../../src/emulator';
import { HostPool, silentLog, type HostPoolSettings } from '../../src/host';

export function emulatorPool(overrides: Partial<HostPoolSettings> = {}): HostPool {
  return new HostPool({
    scheme: 'http',
    auth: { kind: 'basic', username: DEFAULT_USER.name, password: DEFAULT_USER.password, allowUnencrypted: true },
    operationTimeoutMs: 20_000,
    restartTimeoutMs: 20_000,
    restart: 'never',
    maxConcurrencyPerHost: 3,
    log: silentLog,
    ...overrides,
  });
}
