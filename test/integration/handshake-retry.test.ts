/**
 * A 503 is transient on every leg: on the NTLM handshake (the first request of every pooled connection
 * and so of every command) as on a request of an authenticated connection. Injected by the emulator.
 */
import { DEFAULT_USER, EmulatorControl, startEmulator, type EmulatorHandle, type FaultRequest } from '../../src/emulator';
import { emulatorPool } from '../support/host-pool';

let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator({ hosts: ['win1'], log: () => undefined });
});
afterAll(() => emulator.stop());

const ntlmPool = () => emulatorPool({ auth: { kind: 'ntlm', username: DEFAULT_USER.name, password: DEFAULT_USER.password } });

/** Queues faults for the next requests of win1; `pass` lets one request through untouched. */
async function inject(...faults: Array<'http503' | 'pass'>): Promise<void> {
  const control = new EmulatorControl(emulator.control);
  await control.clearFaults('win1');
  for (const f of faults) {
    const fault: FaultRequest = f === 'pass' ? { kind: 'slow', delayMs: 0, count: 1 } : { kind: f, count: 1 };
    await control.injectFault('win1', fault);
  }
}

const signal = new AbortController().signal;

test.each<[string, Array<'http503' | 'pass'>]>([
  ['the NEGOTIATE leg', ['http503']],
  ['the NEGOTIATE leg twice', ['http503', 'http503']],
  ['the AUTHENTICATE leg', ['pass', 'http503']],
  ['the first sealed request after the handshake', ['pass', 'pass', 'http503']],
])('HTTP 503 on %s is retried and the read succeeds', async (_leg, faults) => {
  await inject(...faults);
  const plugins = await ntlmPool().host(emulator.hosts[0]!.endpoint).plugins(signal);
  expect(plugins.has('microsoft.powershell')).toBe(true);
});

test('debug logs show the host traffic: authentication steps, requests, retries and their reasons', async () => {
  const lines: Array<[string, Record<string, unknown>]> = [];
  const log = { debug: (m: string, f?: Record<string, unknown>) => lines.push([m, f ?? {}]), info() {}, warn() {} };
  const pool = emulatorPool({ auth: { kind: 'ntlm', username: DEFAULT_USER.name, password: DEFAULT_USER.password }, log });
  await inject('http503');
  await pool.host(emulator.hosts[0]!.endpoint).plugins(signal);
  const events = lines.map(([m]) => m);
  expect(events).toEqual(
    expect.arrayContaining([
      'NTLM handshake: NEGOTIATE sent',
      'NTLM handshake: authenticated',
      'retrying after a transient failure',
      'WS-Man request',
    ]),
  );
  expect(lines.find(([m]) => m === 'retrying after a transient failure')![1]).toMatchObject({ reason: expect.stringMatching(/HTTP 503/) });
  expect(lines.find(([m]) => m === 'WS-Man request')![1]).toMatchObject({
    action: 'Enumerate',
    resourceUri: expect.stringContaining('config/plugin'),
  });
  expect(JSON.stringify(lines)).not.toContain(DEFAULT_USER.password);
});
