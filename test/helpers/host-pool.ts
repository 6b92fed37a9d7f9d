/** A HostPool for tests against the in-process emulator: Basic over loopback HTTP, the default user. */
import { DEFAULT_USER } from '../../src/emulator';
import { HostPool, silentLog, type HostPoolSettings } from '../../src/host';
import { sameHost } from '../../src/provider/configuration/same-host';
import type { ProviderState } from '../../src/provider/provider-state';

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

/** The provider state handlers see, around a test pool (hosts as the emulator's http endpoints). */
export function providerState(pool: HostPool, configKnown = true): ProviderState {
  return { pool, configKnown, sameHost: (a, b) => (configKnown ? sameHost(a, b, 'http', undefined) : a === b) };
}
