/**
 * The JEA steps that need the host, over its shared session on the administrative endpoint
 * (src/host/files): data files written and read as bytes (src/psdata/file-encoding.ts), account names translated to
 * SIDs as Register does (NTAccount.Translate), and role capabilities looked up where PowerShell looks
 * for them (a RoleCapabilities folder of a module, or of a module version, on PSModulePath).
 */
import { decodeDataFile, encodeDataFile } from '../../psdata';
import { wellKnownAccount } from '../../wsman/config';
import { bytesSource, hostFiles } from '../files';
import { fileSessions } from '../files/shared-session';
import type { Host } from '../host';
import { HostError } from '../host-error';
import type { PipelineResult } from '../powershell';

export async function writeDataFileOnHost(host: Host, path: string, text: string, signal: AbortSignal): Promise<void> {
  await hostFiles(host).write(path, bytesSource(encodeDataFile(text)), signal);
}

/** The file's text, undefined when it does not exist. */
export async function readDataFileOnHost(host: Host, path: string, signal: AbortSignal): Promise<string | undefined> {
  const bytes = await hostFiles(host).read(path, signal);
  return bytes === undefined ? undefined : decodeDataFile(bytes);
}

export async function removeFileOnHost(host: Host, path: string, signal: AbortSignal): Promise<boolean> {
  return hostFiles(host).remove(path, signal);
}

const TRANSLATE = `param([string]$Names)
foreach ($n in ($Names -split "\`n")) {
  try { "$n\`t" + ([System.Security.Principal.NTAccount]$n).Translate([System.Security.Principal.SecurityIdentifier]).Value }
  catch { "$n\`t" }
}`;

const FIND_ROLE_CAPABILITIES = `param([string]$Names)
$found = @{}
foreach ($dir in ($env:PSModulePath -split [System.IO.Path]::PathSeparator)) {
  if (-not $dir -or -not (Test-Path -LiteralPath $dir)) { continue }
  foreach ($pattern in [System.IO.Path]::Combine($dir, '*', 'RoleCapabilities', '*.psrc'), [System.IO.Path]::Combine($dir, '*', '*', 'RoleCapabilities', '*.psrc')) {
    Get-ChildItem -Path $pattern -ErrorAction SilentlyContinue | ForEach-Object { $found[$_.BaseName.ToLowerInvariant()] = $true }
  }
}
($Names -split "\`n") | Where-Object { -not $found.ContainsKey($_.ToLowerInvariant()) }`;

function outputLines(r: PipelineResult, what: string, hostLabel: string): string[] {
  const failure = r.reason ?? r.errors[0];
  if (r.state !== 'Completed' || failure)
    throw new HostError('invalid-request', `${what} on ${hostLabel} failed: ${failure?.message ?? `the pipeline ended ${r.state}`}`);
  return r.output.filter((v): v is string => typeof v === 'string');
}

/** Runs one of the scripts above (a `$Names` parameter, one name a line) on the host's shared session: its output lines. */
async function namesScript(host: Host, script: string, names: readonly string[], what: string, signal: AbortSignal): Promise<string[]> {
  return fileSessions(host).use(
    async ({ session }) =>
      outputLines(await session.runScript(script, { parameters: { Names: names.join('\n') }, signal }), what, host.label),
    signal,
  );
}

const SID = /^S-1-\d+(-\d+)+$/i;

/**
 * Each name's SID: a SID as given, a well-known account from the table Windows uses, else translated on
 * the host. A name the host cannot translate is an error naming it, as Register's
 * CouldNotResolveRoleDefinitionPrincipal is.
 */
export async function principalSids(host: Host, names: readonly string[], signal: AbortSignal): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const remote: string[] = [];
  for (const n of names) {
    const known = SID.test(n) ? n.toUpperCase() : wellKnownAccount(n)?.sid;
    if (known !== undefined) out.set(n, known);
    else remote.push(n);
  }
  if (remote.length === 0) return out;
  const lines = await namesScript(host, TRANSLATE, remote, 'Translating account names', signal);
  for (const line of lines) {
    const tab = line.indexOf('\t');
    const sid = line.slice(tab + 1);
    if (tab > 0 && sid !== '') out.set(line.slice(0, tab), sid);
  }
  const missing = remote.filter((n) => !out.has(n));
  if (missing.length > 0)
    throw new HostError(
      'invalid-request',
      `${host.label} cannot translate ${missing.map((m) => `"${m}"`).join(', ')} to a SID: no such user or group`,
    );
  return out;
}

/** The role capability names no module on the host's PSModulePath holds. */
export async function missingRoleCapabilities(host: Host, names: readonly string[], signal: AbortSignal): Promise<string[]> {
  if (names.length === 0) return [];
  return namesScript(host, FIND_ROLE_CAPABILITIES, names, 'Looking up role capabilities', signal);
}
