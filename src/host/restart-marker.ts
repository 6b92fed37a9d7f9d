import { randomBytes } from 'node:crypto';
import { RESOURCE_URI, WsmanError, type CallOptions, type WsmanClient } from '../wsman';

/**
 * The restart marker: a registry value the out-of-band restart command writes once WinRM is running
 * again. Its value changing proves that a restart completed (however fast the service came back). Before
 * a plugin write that needs a restart, the provider sets it to a pending value, which only a completed
 * restart replaces: the host itself records that a restart is owed, so an apply interrupted between the
 * write and the restart (even killed, its state never saved) shows `restart_pending` at the next plan.
 */
const HKEY_LOCAL_MACHINE = '2147483650';
const MARKER_KEY = 'SOFTWARE\\psremoting';
const MARKER_VALUE = 'WinRMRestartMarker';

const PENDING_PREFIX = 'pending-';

export function newMarker(): string {
  return `${new Date().toISOString()}-${randomBytes(4).toString('hex')}`;
}

/** The value written before a plugin write: a restart is owed since then. */
export function pendingMarker(): string {
  return `${PENDING_PREFIX}${newMarker()}`;
}

export function isPendingMarker(marker: string): boolean {
  return marker.startsWith(PENDING_PREFIX);
}

/**
 * The command line Win32_Process.Create runs: it outlives the WinRM service it stops (its parent is
 * WMI's provider host, not a WinRM shell), and it sets the marker only when the service started again.
 */
export function restartCommandLine(marker: string): string {
  return `cmd.exe /c net stop WinRM && net start WinRM && reg add "HKLM\\${MARKER_KEY}" /v ${MARKER_VALUE} /t REG_SZ /d ${marker} /f`;
}

/** The marker's current value; '' when the host was never restarted by this provider. */
export async function readMarker(client: WsmanClient, opts: CallOptions): Promise<string> {
  const out = await client.invokeWmiMethod(
    RESOURCE_URI.stdRegProv,
    'GetStringValue',
    { hDefKey: HKEY_LOCAL_MACHINE, sSubKeyName: MARKER_KEY, sValueName: MARKER_VALUE },
    opts,
  );
  // StdRegProv answers a missing key or value with a non-zero ReturnValue (1 or 2).
  return out.returnValue === 0 ? (out.values.sValue ?? '') : '';
}

/** Sets the marker through StdRegProv; its key is created first when missing (SetStringValue does not create keys). */
export async function writeMarker(client: WsmanClient, value: string, opts: CallOptions): Promise<void> {
  const set = () =>
    client.invokeWmiMethod(
      RESOURCE_URI.stdRegProv,
      'SetStringValue',
      { hDefKey: HKEY_LOCAL_MACHINE, sSubKeyName: MARKER_KEY, sValueName: MARKER_VALUE, sValue: value },
      opts,
    );
  let out = await set();
  if (out.returnValue !== 0) {
    const created = await client.invokeWmiMethod(
      RESOURCE_URI.stdRegProv,
      'CreateKey',
      { hDefKey: HKEY_LOCAL_MACHINE, sSubKeyName: MARKER_KEY },
      opts,
    );
    if (created.returnValue !== 0)
      throw new WsmanError(`StdRegProv.CreateKey HKLM\\${MARKER_KEY} failed with ReturnValue ${created.returnValue ?? 'missing'}`);
    out = await set();
  }
  if (out.returnValue !== 0)
    throw new WsmanError(`StdRegProv.SetStringValue ${MARKER_VALUE} failed with ReturnValue ${out.returnValue ?? 'missing'}`);
}
