import { DEFAULT_USER, startEmulator, type EmulatorHandle } from '../../src/emulator';
import { Host, silentLog } from '../../src/host';
import { Activity, RestartCoordinator } from '../../src/host/coordination';
import { applyDesired, observe, registerDocument } from '../../src/host/session-configuration';
import { WsmanClient, WsmanTransportError, type CallOptions, type EnumerateOptions } from '../../src/wsman';
import type { XmlElement } from '../../src/wsman/xml';

/** The restart's own failure modes, against the emulator with a client that loses answers on cue. */

let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator({ restartMs: 150, allowUnencrypted: true, auth: ['basic'], log: () => undefined });
});
afterAll(() => emulator.stop());

const signal = new AbortController().signal;
const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class CueClient extends WsmanClient {
  /** The next Win32_Process.Create runs on the host, but its answer is lost (connection reset). */
  loseStartAnswer = false;
  /** Runs once after the next enumeration is read and before it is returned. */
  afterEnumerate: (() => Promise<void>) | undefined;

  override async startProcess(commandLine: string, opts?: CallOptions): Promise<{ processId?: number }> {
    const started = await super.startProcess(commandLine, opts);
    if (this.loseStartAnswer) {
      this.loseStartAnswer = false;
      await settle(600); // the answer is lost late: WinRM is back by the time the caller could retry
      throw new WsmanTransportError('connection reset by the host', 'reset');
    }
    return started;
  }

  override async enumerate(resourceUri: string, opts?: EnumerateOptions): Promise<XmlElement[]> {
    const items = await super.enumerate(resourceUri, opts);
    const hook = this.afterEnumerate;
    this.afterEnumerate = undefined;
    await hook?.();
    return items;
  }
}

function makeHost(): { host: Host; client: CueClient; coordinator: RestartCoordinator } {
  const endpoint = emulator.hosts[0]!.endpoint;
  const client = new CueClient({
    endpoint,
    auth: { kind: 'basic', username: DEFAULT_USER.name, password: DEFAULT_USER.password, allowUnencrypted: true },
    operationTimeoutMs: 5000,
  });
  const coordinator = new RestartCoordinator({
    activity: new Activity(),
    quietMs: 50,
    parallelHosts: 1,
    restartHost: (_h, s) => host.restart(s),
  });
  const host: Host = new Host({
    endpoint,
    label: 'win1',
    client,
    coordinator,
    maxConcurrency: 3,
    restartTimeoutMs: 10_000,
    restart: 'immediate',
    retry: { attempts: 6, baseDelayMs: 50, maxDelayMs: 300 },
    log: silentLog,
  });
  return { host, client, coordinator };
}

test('a restart request whose answer is lost is not sent again (it ran: a second one would restart WinRM twice)', async () => {
  const { host, client } = makeHost();
  try {
    const before = emulator.virtualHosts[0]!.restarts;
    client.loseStartAnswer = true;
    await host.restart(signal);
    await settle(600); // a second restart, if one was sent, completes meanwhile
    expect(emulator.virtualHosts[0]!.restarts - before).toBe(1);
  } finally {
    client.close();
  }
});

test('a write that lands while a restart verifies is left for the next restart, not judged against the earlier read', async () => {
  const { host, client, coordinator } = makeHost();
  try {
    await host.createPlugin(registerDocument('restart-race', { idle_timeout_sec: 600 }), signal);
    client.afterEnumerate = async () => {
      const now = (await host.freshPlugin('restart-race', signal))!;
      await host.putPlugin(applyDesired(now, { idle_timeout_sec: 900 }), signal);
    };
    await host.restart(signal);
    expect(coordinator.isPending(host.endpoint)).toBe(true);
    await coordinator.flush(host.endpoint, signal);
    const stored = await host.freshPlugin('restart-race', signal);
    expect(stored && observe(stored).idle_timeout_sec).toBe(900);
  } finally {
    await host.deletePlugin('restart-race', signal).catch(() => undefined);
    client.close();
  }
});
