/** The emulator's control API for tests: one call on the default host `win1`, its JSON answer. */
import type { EmulatorHandle } from '../../src/emulator';

export async function control<T = unknown>(emu: EmulatorHandle, route = '', method = 'GET', body?: object): Promise<T> {
  const res = await fetch(`${emu.control}/hosts/win1${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(15000) });
  return (await res.json()) as T;
}
