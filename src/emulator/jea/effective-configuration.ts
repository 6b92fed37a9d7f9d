/**
 * The session configuration file a JEA session's `pwsh -s` is started with (`-ConfigurationFile`).
 *
 * Windows' WinRM plugin builds a session from the endpoint's .pssc with a role verifier bound to the
 * connecting user (WindowsPrincipal.IsInRole): the RoleDefinitions entries whose principal the user is
 * (or is a member of) are merged into the configuration, the role capabilities they name are found as
 * `<module>\RoleCapabilities\<name>.psrc` in the modules on PSModulePath (or read from RoleCapabilityFiles)
 * and merged too (PowerShell's DISCPowerShellConfiguration; Microsoft Learn, "JEA Role Capabilities", "How
 * role capabilities are merged"). `pwsh -s -ConfigurationFile` has no role verifier (no role ever applies)
 * and refuses the endpoint-only keys, so the emulator does that part itself: it finds the user's roles from
 * the account's token SIDs, reads the role capabilities on the host's drive, and writes a file where each
 * merged key is the concatenation `@(first) + @(second) …` of the values from the base file, the roles and
 * the capabilities. pwsh evaluates that file and merges duplicate commands and parameter constraints with
 * its own code (union of ValidateSet, either ValidatePattern), which is what Windows runs.
 *
 * Emulated rather than real: RunAsVirtualAccount and GroupManagedServiceAccount change no identity (the
 * process stays the emulator's); they show as $PSSenderInfo.RunAsUser (`WinRM Virtual Users\WinRM VA_1_…`,
 * `DOMAIN\gmsa$`). RequiredGroups is evaluated against the account's groups (And/Or, nested) and refuses
 * the session when unmet. TranscriptDirectory is real: pwsh writes the transcripts, into the folder's place
 * on the host's drive. A user in no role is refused, as the SDDL Register-PSSessionConfiguration derives
 * from RoleDefinitions refuses them on Windows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Account, HostAccounts } from '../accounts/accounts';
import { EmulatorError } from '../emulator-error';
import { psQuote, type HostDrive } from '../virtual-host/host-drive';
import { MAX_DATA_FILE_CHARS, entryValue, listItems, readHashtable, stringList, unquote, type DataEntry } from './data-file';

/** Keys pwsh -ConfigurationFile refuses ("a remoting endpoint configuration option"): the emulator applies them. */
const ENDPOINT_ONLY_KEYS = new Set(
  ['RoleDefinitions', 'RequiredGroups', 'RunAsVirtualAccount', 'RunAsVirtualAccountGroups', 'GroupManagedServiceAccount'].map((k) =>
    k.toLowerCase(),
  ),
);
/** A role capability's own description, not session settings. */
const METADATA_KEYS = new Set(['guid', 'author', 'companyname', 'copyright', 'description']);
/** Keys the emulator resolves itself (role capabilities are merged, not passed on). */
const ROLE_KEYS = new Set(['rolecapabilities', 'rolecapabilityfiles']);
/** Keys whose values are file paths (Windows paths are mapped onto the host's drive). */
const PATH_KEYS = new Set(['scriptstoprocess', 'typestoprocess', 'formatstoprocess', 'assembliestoload', 'transcriptdirectory']);
/** Keys whose value is one hashtable (merged with `+`, not as lists). */
const HASHTABLE_KEYS = new Set(['environmentvariables']);
/** Module folders scanned for RoleCapabilities (a bound, far above a real host's). */
const MAX_MODULES = 2000;

export type EffectiveConfiguration =
  { readonly kind: 'refused'; readonly why: string } | { readonly kind: 'session'; readonly text: string; readonly runAsUser?: string };

export interface ResolveOptions {
  /** Local path of the endpoint's .pssc on the host's drive. */
  readonly file: string;
  readonly drive: HostDrive;
  readonly accounts: HostAccounts;
  readonly account: Account;
  readonly hostName: string;
}

function fail(what: string): never {
  throw new EmulatorError('session-configuration-file', what);
}

/** A data file as PowerShell reads it: UTF-16 with its BOM (New-PSSessionConfigurationFile writes Unicode), else UTF-8. */
export function readDataFile(file: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return fail(`cannot read ${path.basename(file)}`);
  }
  if (bytes.length > MAX_DATA_FILE_CHARS * 2) fail(`${path.basename(file)} is larger than ${MAX_DATA_FILE_CHARS * 2} bytes`);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

export function resolveEffectiveConfiguration(o: ResolveOptions): EffectiveConfiguration {
  const base = readHashtable(readDataFile(o.file));
  const isMember = (principal: string): boolean => {
    const sid = o.accounts.sidOf(principal);
    return sid !== undefined && o.account.tokenSids.has(sid);
  };

  const required = entryValue(base, 'RequiredGroups');
  if (required !== undefined && !requiredGroupsMet(required, isMember))
    return { kind: 'refused', why: `${o.account.identity} is not in the RequiredGroups of the session configuration` };

  const merged = new Merged();
  for (const e of base) if (!ENDPOINT_ONLY_KEYS.has(e.key.toLowerCase())) merged.add(e);

  const roles = entryValue(base, 'RoleDefinitions');
  if (roles !== undefined) {
    const mine = readHashtable(roles).filter((r) => isMember(r.key));
    if (mine.length === 0)
      return { kind: 'refused', why: `${o.account.identity} is in no role of the session configuration's RoleDefinitions` };
    const capabilityFiles: string[] = [];
    for (const role of mine) {
      const settings = readHashtable(role.value);
      for (const name of strings(entryValue(settings, 'RoleCapabilities'), 'RoleCapabilities'))
        capabilityFiles.push(findRoleCapability(o.drive, name));
      for (const file of strings(entryValue(settings, 'RoleCapabilityFiles'), 'RoleCapabilityFiles')) {
        const local = o.drive.localPath(file);
        if (local === undefined || !fs.existsSync(local)) fail(`the role capability file ${file} does not exist on the host`);
        if (path.extname(local).toLowerCase() !== '.psrc') fail(`the role capability file ${file} is not a .psrc file`);
        capabilityFiles.push(local);
      }
      for (const e of settings) if (!ROLE_KEYS.has(e.key.toLowerCase())) merged.add(e);
    }
    for (const file of new Set(capabilityFiles))
      for (const e of readHashtable(readDataFile(file))) if (!METADATA_KEYS.has(e.key.toLowerCase())) merged.add(e);
  }

  const text = merged.render(o.drive);
  const runAsUser = runAs(base, o);
  return runAsUser === undefined ? { kind: 'session', text } : { kind: 'session', text, runAsUser };
}

/** The strings of a list value of `key`; a value that is not a list of plain strings is refused. */
function strings(value: string | undefined, key: string): string[] {
  if (value === undefined) return [];
  return stringList(value) ?? fail(`${key} must list plain strings`);
}

/** `RequiredGroups = @{ And = 'a', @{ Or = 'b', 'c' } }` (about_Session_Configuration_Files). */
function requiredGroupsMet(value: string, isMember: (principal: string) => boolean, depth = 0): boolean {
  if (depth > 16) fail('RequiredGroups nests deeper than 16');
  const entries = readHashtable(value);
  if (entries.length !== 1) fail('RequiredGroups needs one And or Or key');
  const [rule] = entries as [DataEntry];
  const results = listItems(rule.value).map((item) => {
    if (item.startsWith('@{')) return requiredGroupsMet(item, isMember, depth + 1);
    const name = unquote(item);
    return name !== undefined ? isMember(name) : fail(`RequiredGroups holds ${item.slice(0, 40)}, not a group name`);
  });
  if (rule.key.toLowerCase() === 'and') return results.every(Boolean);
  if (rule.key.toLowerCase() === 'or') return results.some(Boolean);
  return fail(`RequiredGroups key ${rule.key} is neither And nor Or`);
}

/** `<module>[\<version>]\RoleCapabilities\<name>.psrc` under the host's modules folder, names matched ignoring case. */
function findRoleCapability(drive: HostDrive, name: string): string {
  const wanted = `${name}.psrc`.toLowerCase();
  const dirs = (dir: string): string[] => {
    try {
      return fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .slice(0, MAX_MODULES)
        .map((d) => path.join(dir, d.name));
    } catch {
      return [];
    }
  };
  for (const module of dirs(drive.modulesPath)) {
    for (const root of [module, ...dirs(module)]) {
      const capabilities = dirs(root).find((d) => path.basename(d).toLowerCase() === 'rolecapabilities');
      if (capabilities === undefined) continue;
      const file = fs.readdirSync(capabilities).find((f) => f.toLowerCase() === wanted);
      if (file !== undefined) return path.join(capabilities, file);
    }
  }
  return fail(
    `the role capability '${name}' was not found: no module in C:\\Program Files\\WindowsPowerShell\\Modules has RoleCapabilities\\${name}.psrc`,
  );
}

/** Who the session would run as on Windows (shown as $PSSenderInfo.RunAsUser); undefined = the connecting user. */
function runAs(base: readonly DataEntry[], o: ResolveOptions): string | undefined {
  const gmsa = entryValue(base, 'GroupManagedServiceAccount');
  if (gmsa !== undefined) {
    const name = unquote(gmsa) ?? fail('GroupManagedServiceAccount must be a plain string');
    const qualified = name.includes('\\') ? name : `${o.hostName.toUpperCase()}\\${name}`;
    return qualified.endsWith('$') ? qualified : `${qualified}$`;
  }
  if (entryValue(base, 'RunAsVirtualAccount')?.trim().toLowerCase() === '$true') {
    const [domain = '', user = ''] = o.account.identity.split('\\');
    return `WinRM Virtual Users\\WinRM VA_1_${domain}_${user}`;
  }
  return undefined;
}

/** Entries in first-seen order, each key with every value given for it. */
class Merged {
  private readonly entries = new Map<string, { key: string; values: string[] }>();

  add(e: DataEntry): void {
    const k = e.key.toLowerCase();
    const slot = this.entries.get(k) ?? { key: e.key, values: [] };
    slot.values.push(e.value);
    this.entries.set(k, slot);
  }

  render(drive: HostDrive): string {
    const scripts = this.entries.get('scriptstoprocess') ?? { key: 'ScriptsToProcess', values: [] };
    scripts.values.unshift(psQuote(drive.startupScript));
    this.entries.set('scriptstoprocess', scripts);
    const lines = [...this.entries.entries()].map(([k, { key, values }]) => {
      const mapped = PATH_KEYS.has(k) ? values.map((v) => mapPaths(drive, v)) : values;
      const value =
        mapped.length === 1 ? (mapped[0] as string) : HASHTABLE_KEYS.has(k) ? mapped.join(' + ') : mapped.map((v) => `@(${v})`).join(' + ');
      return `${psQuote(key)} = ${value}`;
    });
    return `# Written by the psremoting emulator for one session (the endpoint's file with the user's roles merged).\n@{\n${lines.join('\n')}\n}\n`;
  }
}

/** A list of plain strings with each `C:\…` path replaced by its local path on the host's drive; other values as they are. */
function mapPaths(drive: HostDrive, value: string): string {
  const list = stringList(value);
  if (list === undefined) return value;
  return list.map((s) => psQuote(/^[A-Za-z]:[\\/]/.test(s) ? (drive.localPath(s) ?? s) : s)).join(', ');
}
