/**
 * Recognises a command line that restarts the WinRM service, as given to Win32_Process.Create. Forms
 * recognised (case-insensitive, anywhere in the line):
 *   - PowerShell `Restart-Service` naming WinRM (`Restart-Service WinRM -Force`, `Restart-Service -Name winrm`),
 *     also inside `powershell -EncodedCommand <base64 UTF-16LE>`;
 *   - `net stop winrm` followed by `net start winrm`;
 *   - `sc stop winrm` / `sc.exe stop winrm` followed by `sc start winrm`.
 */

const RESTART_SERVICE = /restart-service\b[^;|&\r\n]*\bwinrm\b/i;
const NET_STOP_START = /\bnet(?:\.exe)?\s+stop\s+"?winrm"?[\s\S]*\bnet(?:\.exe)?\s+start\s+"?winrm"?/i;
const SC_STOP_START = /\bsc(?:\.exe)?\s+stop\s+"?winrm"?[\s\S]*\bsc(?:\.exe)?\s+start\s+"?winrm"?/i;
const ENCODED = /\s-e(?:c|nc|ncodedcommand)?\s+([A-Za-z0-9+/=]+)/i;

export function restartsWinrm(commandLine: string): boolean {
  const encoded = ENCODED.exec(commandLine)?.[1];
  const texts = [commandLine];
  if (encoded) texts.push(Buffer.from(encoded, 'base64').toString('utf16le'));
  return texts.some((t) => RESTART_SERVICE.test(t) || NET_STOP_START.test(t) || SC_STOP_START.test(t));
}
