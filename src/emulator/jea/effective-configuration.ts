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
import {
  decodeDataFile,
  entry,
  isHashtable,
  locatedEntry,
  PSD1_LIMITS,
  PsDataError,
  readPsd1,
  type Psd1Document,
  type Psd1Hashtable,
  type Psd1Located,
  type Psd1Value,
} from '../../psdata';
import type { Account, HostAccounts } from '../accounts/accounts';
import { EmulatorError } from '../emulator-error';
import { psQuote, type HostDrive } from '../virtual-host/host-drive';

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

/** One key of a file's hashtable: its value parsed, and as written (what the effective file copies). */
interface SourceEntry {
  readonly key: string;
  readonly value: Psd1Value;
  readonly source: string;
}

/**
 * A data file as PowerShell reads it (UTF-16 with its BOM, as New-PSSessionConfigurationFile writes it, or
 * UTF-8), parsed by the codec the host layer uses too; what is not data is refused with the codec's error as
 * the cause.
 */
function readDataFile(file: string): Psd1Document {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return fail(`cannot read ${path.basename(file)}`);
  }
  // UTF-16 takes two bytes a character: a file within the codec's bound in characters is within twice that in bytes.
  if (bytes.length > PSD1_LIMITS.maxLength * 2) fail(`${path.basename(file)} is larger than ${PSD1_LIMITS.maxLength * 2} bytes`);
  try {
    return readPsd1(decodeDataFile(bytes));
  } catch (e) {
    if (e instanceof PsDataError)
      throw new EmulatorError('session-configuration-file', `${path.basename(file)}: ${e.message}`, { cause: e });
    throw e;
  }
}

function entriesOf(doc: Psd1Document, table: Psd1Located): SourceEntry[] {
  return (table.entries ?? []).map(([key, located]) => ({ key, value: located.value, source: doc.source(located) }));
}

/** The hashtable a key holds (RoleDefinitions, a role's settings), or a refusal naming the key. */
function hashtableOf(located: Psd1Located, what: string): Psd1Located & { readonly value: Psd1Hashtable } {
  if (!isHashtable(located.value)) return fail(`${what} must be a hashtable @{ … }`);
  return located as Psd1Located & { readonly value: Psd1Hashtable };
}

export function resolveEffectiveConfiguration(o: ResolveOptions): EffectiveConfiguration {
  const doc = readDataFile(o.file);
  const base = doc.root.value;
  const isMember = (principal: string): boolean => {
    const sid = o.accounts.sidOf(principal);
    return sid !== undefined && o.account.tokenSids.has(sid);
  };

  const required = entry(base, 'RequiredGroups');
  if (required !== undefined && !requiredGroupsMet(required, isMember))
    return { kind: 'refused', why: `${o.account.identity} is not in the RequiredGroups of the session configuration` };

  const merged = new Merged();
  for (const e of entriesOf(doc, doc.root)) if (!ENDPOINT_ONLY_KEYS.has(e.key.toLowerCase())) merged.add(e);

  const roles = locatedEntry(doc.root, 'RoleDefinitions');
  if (roles !== undefined) {
    const mine = (hashtableOf(roles, 'RoleDefinitions').entries ?? []).filter(([principal]) => isMember(principal));
    if (mine.length === 0)
      return { kind: 'refused', why: `${o.account.identity} is in no role of the session configuration's RoleDefinitions` };
    const capabilityFiles: string[] = [];
    for (const [principal, role] of mine) {
      const settings = hashtableOf(role, `the role of ${principal}`);
      for (const name of strings(entry(settings.value, 'RoleCapabilities'), 'RoleCapabilities'))
        capabilityFiles.push(findRoleCapability(o.drive, name));
      for (const file of strings(entry(settings.value, 'RoleCapabilityFiles'), 'RoleCapabilityFiles')) {
        const local = o.drive.localPath(file);
        if (local === undefined || !fs.existsSync(local)) fail(`the role capability file ${file} does not exist on the host`);
        if (path.extname(local).toLowerCase() !== '.psrc') fail(`the role capability file ${file} is not a .psrc file`);
        capabilityFiles.push(local);
      }
      for (const e of entriesOf(doc, settings)) if (!ROLE_KEYS.has(e.key.toLowerCase())) merged.add(e);
    }
    for (const file of new Set(capabilityFiles)) {
      const capability = readDataFile(file);
      for (const e of entriesOf(capability, capability.root)) if (!METADATA_KEYS.has(e.key.toLowerCase())) merged.add(e);
    }
  }

  const text = merged.render(o.drive);
  const runAsUser = runAs(base, o);
  return runAsUser === undefined ? { kind: 'session', text } : { kind: 'session', text, runAsUser };
}

/** The strings of a string or a list of strings, or undefined for any other value. */
function stringList(value: Psd1Value): readonly string[] | undefined {
  const items = Array.isArray(value) ? (value as readonly Psd1Value[]) : [value];
  return items.every((s): s is string => typeof s === 'string') ? items : undefined;
}

/** The strings of a list value of `key`; a value that is not a list of plain strings is refused. */
function strings(value: Psd1Value | undefined, key: string): readonly string[] {
  if (value === undefined) return [];
  return stringList(value) ?? fail(`${key} must list plain strings`);
}

/** `RequiredGroups = @{ And = 'a', @{ Or = 'b', 'c' } }` (about_Session_Configuration_Files). */
function requiredGroupsMet(value: Psd1Value, isMember: (principal: string) => boolean, depth = 0): boolean {
  if (depth > 16) fail('RequiredGroups nests deeper than 16');
  if (!isHashtable(value) || value.entries.length !== 1) return fail('RequiredGroups needs one And or Or key');
  const [[key, rule]] = value.entries as [readonly [string, Psd1Value]];
  const items = Array.isArray(rule) ? (rule as readonly Psd1Value[]) : [rule];
  const results = items.map((item) => {
    if (isHashtable(item)) return requiredGroupsMet(item, isMember, depth + 1);
    return typeof item === 'string' ? isMember(item) : fail(`RequiredGroups holds ${JSON.stringify(item)}, not a group name`);
  });
  if (key.toLowerCase() === 'and') return results.every(Boolean);
  if (key.toLowerCase() === 'or') return results.some(Boolean);
  return fail(`RequiredGroups key ${key} is neither And nor Or`);
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
function runAs(base: Psd1Hashtable, o: ResolveOptions): string | undefined {
  const gmsa = entry(base, 'GroupManagedServiceAccount');
  if (gmsa !== undefined) {
    if (typeof gmsa !== 'string') return fail('GroupManagedServiceAccount must be a plain string');
    const qualified = gmsa.includes('\\') ? gmsa : `${o.hostName.toUpperCase()}\\${gmsa}`;
    return qualified.endsWith('$') ? qualified : `${qualified}$`;
  }
  if (entry(base, 'RunAsVirtualAccount') === true) {
    const [domain = '', user = ''] = o.account.identity.split('\\');
    return `WinRM Virtual Users\\WinRM VA_1_${domain}_${user}`;
  }
  return undefined;
}

/** Entries in first-seen order, each key with every value given for it. */
class Merged {
  private readonly entries = new Map<string, { key: string; values: Array<{ value: Psd1Value; source: string }> }>();

  add(e: SourceEntry): void {
    const k = e.key.toLowerCase();
    const slot = this.entries.get(k) ?? { key: e.key, values: [] };
    slot.values.push({ value: e.value, source: e.source });
    this.entries.set(k, slot);
  }

  render(drive: HostDrive): string {
    const scripts = this.entries.get('scriptstoprocess') ?? { key: 'ScriptsToProcess', values: [] };
    scripts.values.unshift({ value: drive.startupScript, source: psQuote(drive.startupScript) });
    this.entries.set('scriptstoprocess', scripts);
    const lines = [...this.entries.entries()].map(([k, { key, values }]) => {
      const mapped = PATH_KEYS.has(k) ? values.map((v) => mapPaths(drive, v.value) ?? v.source) : values.map((v) => v.source);
      const value =
        mapped.length === 1 ? (mapped[0] as string) : HASHTABLE_KEYS.has(k) ? mapped.join(' + ') : mapped.map((v) => `@(${v})`).join(' + ');
      return `${psQuote(key)} = ${value}`;
    });
    return `# Written by the psremoting emulator for one session (the endpoint's file with the user's roles merged).\n@{\n${lines.join('\n')}\n}\n`;
  }
}

/** A list of plain strings with each `C:\…` path replaced by its local path on the host's drive; undefined for other values. */
function mapPaths(drive: HostDrive, value: Psd1Value): string | undefined {
  const list = stringList(value);
  if (list === undefined) return undefined;
  return list.map((s) => psQuote(/^[A-Za-z]:[\\/]/.test(s) ? (drive.localPath(s) ?? s) : s)).join(', ');
}
