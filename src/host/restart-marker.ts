import { randomBytes } from 'node:crypto';
import { RESOURCE_URI, type CallOptions, type WsmanClient } from '../wsman';

/**
 * The restart marker: a registry value the out-of-band restart command writes once WinRM is running
 * again. Its value changing proves that a restart completed (however fast the service came back), and
 * resources remember the value current when they wrote, so a restart that never happened (an apply
 * interrupted before it) shows up at the next plan.
 */
const HKEY_LOCAL_MACHINE = '2147483650';
const MARKER_KEY = 'SOFTWARE\\psremoting';
const MARKER_VALUE = 'WinRMRestartMarker';

export function newMarker(): string {
  return `${new Date().toISOString()}-${randomBytes(4).toString('hex')}`;
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
