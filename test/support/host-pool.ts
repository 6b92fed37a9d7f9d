/** A HostPool for tests against the in-process emulator (Basic over loopback HTTP, the default user), and what handlers get around it. */
import { DEFAULT_USER } from '../../src/emulator';
import { HostPool, silentLog, type HostPoolSettings } from '../../src/host';
import { hostKey } from '../../src/provider/configuration/same-host';
import { DeclaredEndpoints } from '../../src/provider/declared-endpoints';
import type { ProviderState } from '../../src/provider/provider-state';
import { DiagnosticError, Diagnostics } from '../../src/tfplugin';
import { createLogger } from '../../src/tfplugin/log/logger';

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
export function providerState(pool: HostPool, options: { allowStaleState?: boolean } = {}): ProviderState {
  const key = (host: string): string => hostKey(host, 'http', undefined);
  return {
    pool,
    configKnown: true,
    allowStaleState: options.allowStaleState ?? false,
    sameHost: (a, b) => a === b || key(a) === key(b),
    declaredEndpoints: new DeclaredEndpoints(key),
  };
}

/** The provider state while the provider block holds values known only after apply: using the pool fails. */
export const unknownProviderState: ProviderState = {
  configKnown: false,
  allowStaleState: false,
  sameHost: (a, b) => a === b,
  declaredEndpoints: new DeclaredEndpoints((host) => host),
  get pool(): HostPool {
    throw new DiagnosticError('Provider not configured');
  },
};

/** The context a resource handler gets, with fresh diagnostics and a silent log. */
export function handlerContext(pool: HostPool) {
  return {
    signal: new AbortController().signal,
    log: createLogger({ module: 'test', threshold: 'off' }),
    diagnostics: new Diagnostics(),
    provider: providerState(pool),
  };
}

/** The DiagnosticError a handler call fails with (the test fails when it succeeds or throws anything else). */
export async function diagnosticFailure(p: Promise<unknown>): Promise<DiagnosticError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DiagnosticError);
  return e as DiagnosticError;
}
