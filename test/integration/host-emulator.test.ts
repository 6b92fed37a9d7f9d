import { EmulatorControl, startEmulator, type EmulatorHandle, type HostCountersSnapshot } from '../../src/emulator';
import { EndpointExistsError } from '../../src/host';
import { emulatorPool } from '../support/host-pool';
import { registerDocument, applyDesired, observe } from '../../src/host/session-configuration';

let emulator: EmulatorHandle;

beforeAll(async () => {
  emulator = await startEmulator({ hosts: ['win1', 'win2'], allowUnencrypted: true, auth: ['basic'] });
});
afterAll(() => emulator.stop());

const pool = (restart: 'immediate' | 'never' = 'never') => emulatorPool({ restart });

const counters = (host: string): Promise<HostCountersSnapshot> => new EmulatorControl(emulator.control).counters(host);
const resetCounters = (host: string): Promise<HostCountersSnapshot> => new EmulatorControl(emulator.control).resetCounters(host);

const signal = new AbortController().signal;

describe('Host against the emulator', () => {
  it('serves every reader refreshing together with one Enumerate', async () => {
    const host = pool().host(emulator.hosts[0]!.endpoint);
    await resetCounters('win1');
    const names = ['microsoft.powershell', 'Microsoft.PowerShell32', 'microsoft.powershell.workflow', 'no-such-endpoint'];
    const found = await Promise.all(names.map((n) => host.plugin(n, signal)));
    expect(found.map((p) => p?.name)).toEqual([
      'microsoft.powershell',
      'microsoft.powershell32',
      'microsoft.powershell.workflow',
      undefined,
    ]);
    const c = await counters('win1');
    expect(c.total).toBe(1);
  });

  it('creates, tunes with one full-document Put, and deletes an endpoint', async () => {
    const host = pool().host(emulator.hosts[1]!.endpoint);
    const name = 'psremoting-it';
    await host.createPlugin(registerDocument(name, { idle_timeout_sec: 600 }), signal);
    await expect(host.createPlugin(registerDocument(name, { idle_timeout_sec: 900 }), signal)).rejects.toThrow(EndpointExistsError);
    // Identical is no exception: an endpoint this create did not make is never adopted silently.
    await expect(host.createPlugin(registerDocument(name, { idle_timeout_sec: 600 }), signal)).rejects.toThrow(EndpointExistsError);
    const stored = await host.freshPlugin(name, signal);
    expect(stored && observe(stored).idle_timeout_sec).toBe(600);

    await resetCounters('win2');
    await host.putPlugin(applyDesired(stored!, { max_sessions: 7, output_buffering_mode: 'Drop' }), signal);
    expect((await counters('win2')).byOperation).toEqual(expect.objectContaining({ Put: 1 }));
    const tuned = await host.plugin(name, signal);
    expect(tuned && [observe(tuned).idle_timeout_sec, observe(tuned).max_sessions, observe(tuned).output_buffering_mode]).toEqual([
      600,
      7,
      'Drop',
    ]);

    await host.deletePlugin(name, signal);
    await host.deletePlugin(name, signal); // already gone is fine
    expect(await host.freshPlugin(name, signal)).toBeUndefined();
  });

  it('schedules a restart only for writes WinRM does not pick up by itself', async () => {
    const p = pool('immediate');
    const host = p.host(emulator.hosts[1]!.endpoint);
    const doc = (await host.freshPlugin('microsoft.powershell', signal))!;
    await host.putPlugin(doc, signal, { restart: false });
    expect(p.coordinator.isPending(host.endpoint)).toBe(false);
    await host.putPlugin(doc, signal);
    expect(p.coordinator.isPending(host.endpoint)).toBe(true);
  });

  it('reads the service configuration and the live shells', async () => {
    const host = pool().host(emulator.hosts[0]!.endpoint);
    const config = await host.winrmConfig(signal);
    expect(config.winrs).toBeDefined();
    expect(Array.isArray(await host.shells(signal))).toBe(true);
  });
});
