/**
 * What a command line given to Win32_Process.Create does on the emulated host, as steps:
 *   - `cmd[.exe] /c A && B && …` runs its parts in order and stops at the first that fails, as cmd does.
 *     Parts understood: `net|sc[.exe] stop winrm` directly followed by `net|sc[.exe] start winrm` (one
 *     WinRM restart), and `reg add KEY /v NAME /t REG_SZ /d DATA [/f]` (a registry write). A chain with
 *     any other part is not followed part by part.
 *   - Otherwise a line that restarts WinRM as a whole is recognised (case-insensitive, anywhere):
 *     PowerShell `Restart-Service … WinRM` (also inside `powershell -EncodedCommand <base64 UTF-16LE>`),
 *     `net stop winrm … net start winrm`, `sc[.exe] stop winrm … sc start winrm`.
 * Anything else is undefined: the caller runs it as a local process.
 */
import { HostRegistry } from '../virtual-host/host-registry';

export type HostStep =
  | { readonly kind: 'restart-winrm' }
  | { readonly kind: 'set-registry'; readonly path: string; readonly name: string; readonly value: string };

/** A first pattern, and a second (sticky) one matching from where the first occurrence of the first ended. */
type Pair = readonly [RegExp, RegExp];

// Each pair is matched as "first, then later the second" (see inOrder): one regex with `[\s\S]*` between
// them backtracks in quadratic time over a long hostile command line.
const RESTART_SERVICE: Pair = [/restart-service\b/i, /[\s\S]*?\bwinrm\b/giy];
const NET_STOP_START: Pair = [/\bnet(?:\.exe)?\s+stop\s+"?winrm"?/i, /[\s\S]*?\bnet(?:\.exe)?\s+start\s+"?winrm"?/giy];
const SC_STOP_START: Pair = [/\bsc(?:\.exe)?\s+stop\s+"?winrm"?/i, /[\s\S]*?\bsc(?:\.exe)?\s+start\s+"?winrm"?/giy];
const ENCODED = /\s-e(?:c|nc|ncodedcommand)?\s+([A-Za-z0-9+/=]+)/i;
const CMD_C = /^\s*(?:"?(?:[A-Za-z]:\\[^"]*\\)?cmd(?:\.exe)?"?)\s+\/c\s+/i;

export function hostSteps(commandLine: string): HostStep[] | undefined {
  const chain = cmdChain(commandLine);
  if (chain) return chain;
  const encoded = ENCODED.exec(commandLine)?.[1];
  const texts = [commandLine];
  if (encoded) texts.push(Buffer.from(encoded, 'base64').toString('utf16le'));
  const restarts = (t: string): boolean =>
    t.split(/[;|&\r\n]/).some((segment) => inOrder(segment, RESTART_SERVICE)) || inOrder(t, NET_STOP_START) || inOrder(t, SC_STOP_START);
  return texts.some(restarts) ? [{ kind: 'restart-winrm' }] : undefined;
}

/** Linear: the first occurrence of the first pattern is the best place for the second to follow. */
function inOrder(text: string, [first, then]: Pair): boolean {
  const m = first.exec(text);
  if (!m) return false;
  then.lastIndex = m.index + m[0].length;
  return then.test(text);
}

/** The steps of a `cmd /c` `&&` chain whose every part is understood, else undefined. */
function cmdChain(commandLine: string): HostStep[] | undefined {
  const prefix = CMD_C.exec(commandLine);
  if (!prefix) return undefined;
  const parts = splitOutsideQuotes(commandLine.slice(prefix[0].length), '&&').map(tokens);
  const steps: HostStep[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string[];
    const service = serviceCommand(part);
    if (service?.verb === 'stop' && serviceCommand(parts[i + 1] ?? [])?.verb === 'start') {
      steps.push({ kind: 'restart-winrm' });
      i += 1;
      continue;
    }
    const write = regAdd(part);
    if (!write) return undefined;
    steps.push(write);
  }
  return steps.length > 0 ? steps : undefined;
}

function serviceCommand(t: readonly string[]): { verb: 'stop' | 'start' } | undefined {
  const [program, verb, name] = t.map((x) => x.toLowerCase());
  if (t.length !== 3 || !/^(?:net|sc)(?:\.exe)?$/.test(program ?? '') || name !== 'winrm') return undefined;
  return verb === 'stop' || verb === 'start' ? { verb } : undefined;
}

/** `reg add KEY /v NAME /t REG_SZ /d DATA [/f]`, switches in any order and case. */
function regAdd(t: readonly string[]): HostStep | undefined {
  if (t.length < 3 || !/^reg(?:\.exe)?$/i.test(t[0] ?? '') || t[1]?.toLowerCase() !== 'add') return undefined;
  const path = HostRegistry.regPath(t[2] ?? '');
  const switches = new Map<string, string>();
  for (let i = 3; i < t.length; i++) {
    const s = (t[i] ?? '').toLowerCase();
    if (s === '/f') continue;
    if (!['/v', '/t', '/d'].includes(s) || i + 1 >= t.length) return undefined;
    switches.set(s, t[++i] as string);
  }
  const name = switches.get('/v');
  if (!path || name === undefined || (switches.get('/t') ?? 'REG_SZ').toUpperCase() !== 'REG_SZ') return undefined;
  return { kind: 'set-registry', path, name, value: switches.get('/d') ?? '' };
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (!quoted && text.startsWith(separator, i)) {
      out.push(text.slice(start, i));
      start = i + separator.length;
      i += separator.length - 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** Whitespace-separated words; double quotes group and are removed, as cmd's programs parse arguments. */
function tokens(part: string): string[] {
  return [...part.matchAll(/(?:"[^"]*"|[^\s"])+/g)].map((m) => m[0].replace(/"/g, ''));
}
