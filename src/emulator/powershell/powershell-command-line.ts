/**
 * WinRS command lines that start Windows PowerShell (`powershell`, `powershell.exe`, `pwsh`, `pwsh.exe`, also
 * after `cmd /c`) run real PowerShell 7. The switches Windows PowerShell takes are passed on (`-EncodedCommand`,
 * `-Command`, `-File`, `-NoProfile`, `-NonInteractive`, `-ExecutionPolicy`, `-OutputFormat`, `-InputFormat`,
 * `-NoLogo`…); the ones pwsh on this platform refuses or reads differently are dropped: `-WindowStyle`
 * ("not implemented on this platform"), `-Version` (pwsh prints its version instead), `-PSConsoleFile`,
 * `-Sta`/`-Mta`. Arguments are split as the Windows C runtime splits a command line (quotes group, `\"` is a
 * quote), since that is how powershell.exe receives them.
 */
import * as path from 'node:path';

const POWERSHELL_NAMES = new Set(['powershell', 'powershell.exe', 'pwsh', 'pwsh.exe']);
/** Switches dropped together with their value, and ones dropped alone (matched by any unambiguous prefix, as PowerShell does). */
const DROPPED_WITH_VALUE = ['windowstyle', 'version', 'psconsolefile'];
const DROPPED_ALONE = ['sta', 'mta'];

/** The pwsh arguments of a PowerShell command line, or undefined when the line does not start PowerShell. */
export function powershellArguments(words: readonly string[]): string[] | undefined {
  const [first, ...rest] = words.flatMap(splitWindowsCommandLine);
  if (first === undefined || !POWERSHELL_NAMES.has(path.win32.basename(first).toLowerCase())) return undefined;
  const out: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] as string;
    const name = /^[-/]([A-Za-z]+)$/.exec(word)?.[1]?.toLowerCase();
    // -Command and -File take the rest of the line (about_PowerShell_exe).
    if (name !== undefined && (isSwitch(name, 'command', 1) || isSwitch(name, 'file', 1))) {
      out.push(`-${name}`, ...rest.slice(i + 1));
      break;
    }
    if (name !== undefined && DROPPED_WITH_VALUE.some((s) => isSwitch(name, s, 1))) {
      i += 1;
      continue;
    }
    if (name !== undefined && DROPPED_ALONE.includes(name)) continue;
    out.push(word.startsWith('/') && name !== undefined ? `-${name}` : word);
  }
  return out;
}

function isSwitch(given: string, full: string, minimum: number): boolean {
  return given.length >= minimum && full.startsWith(given);
}

/** CommandLineToArgvW rules: whitespace separates, double quotes group, backslashes before a quote escape it. */
export function splitWindowsCommandLine(line: string): string[] {
  const out: string[] = [];
  let current = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === '\\') {
      let n = 0;
      while (line[i + n] === '\\') n += 1;
      if (line[i + n] === '"') {
        current += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) current += '"';
        else quoted = !quoted;
        i += n;
      } else {
        current += '\\'.repeat(n);
        i += n - 1;
      }
      inWord = true;
    } else if (c === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && /\s/.test(c)) {
      if (inWord) out.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (inWord) out.push(current);
  return out;
}
