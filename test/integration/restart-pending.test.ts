/**
 * The host itself records that a restart is owed (src/host/restart-marker.ts): a process that wrote and
 * ended before its restart leaves it recorded for the next one to see; a write the host refused leaves
 * nothing owed; a completed restart clears it.
 */
import { startEmulator, type EmulatorHandle } from '../../src/emulator';
import { EndpointExistsError } from '../../src/host';
import { applyDesired, registerDocument } from '../../src/host/session-configuration';
import { emulatorPool } from '../support/host-pool';

let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator({ hosts: ['win1'], restartMs: 100, allowUnencrypted: true, auth: ['basic'], log: () => undefined });
});
afterAll(() => emulator.stop());

const signal = new AbortController().signal;
/** A fresh process's view of win1 (as the next terraform command would have). */
const nextProcess = () => emulatorPool({ restart: 'immediate' }).host(emulator.hosts[0]!.endpoint);

test('a write recorded before its restart is seen by the next process; the restart clears it', async () => {
  const writer = nextProcess();
  expect(await writer.restartPending(signal)).toBe(false);
  const doc = (await writer.freshPlugin('microsoft.powershell', signal))!;
  await writer.putPlugin(applyDesired(doc, { max_sessions: 42 }), signal);
  // The writer ends here, as a killed terraform would, before any restart.
  expect(await nextProcess().restartPending(signal)).toBe(true);

  const next = nextProcess();
  await next.restart(signal);
  expect(await next.restartPending(signal)).toBe(false);
  expect(await nextProcess().restartPending(signal)).toBe(false);
});

test('a create the host refuses leaves no restart owed', async () => {
  const host = nextProcess();
  await expect(host.createPlugin(registerDocument('microsoft.powershell', { max_sessions: 3 }), signal)).rejects.toThrow(
    EndpointExistsError,
  );
  expect(await host.restartPending(signal)).toBe(false);
  expect(await nextProcess().restartPending(signal)).toBe(false);
});
