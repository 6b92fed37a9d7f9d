/**
 * The emulated host's file system: a folder in the emulator's state directory is the host's `C:` drive, and
 * every pwsh the emulator starts for the host (the `pwsh -s` of each PowerShell session, and the
 * `powershell`/`pwsh` command lines run through WinRS) sees it as a `C` PSDrive, created by a startup script
 * that runs before anything the client sends (ScriptsToProcess of the `-ConfigurationFile` pwsh is given).
 * PowerShell on Linux accepts `\` as a path separator, so `C:\Windows\…` resolves inside the folder.
 *
 * Emulated, not real: only PowerShell's provider paths see the drive (`Set-Content C:\x`,
 * `$ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath('C:\x')`); .NET file APIs given
 * `C:\x` resolve it against the process's working directory. Names are case-sensitive inside pwsh (the
 * Linux file system); `localPath` matches existing names case-insensitively, as Windows does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Folders a Windows Server has that JEA needs: where Register-PSSessionConfiguration writes .pssc files, and modules. */
export const SEEDED_FOLDERS = [
  'Windows\\System32\\WindowsPowerShell\\v1.0\\SessionConfig',
  'Program Files\\WindowsPowerShell\\Modules',
  'Windows\\Temp',
  'Users',
] as const;

/** `C:\Program Files\WindowsPowerShell\Modules`: on PSModulePath, so modules and role capabilities written there are found. */
export const MODULES_FOLDER = 'C:\\Program Files\\WindowsPowerShell\\Modules';

/** Windows' longest path (with the `\\?\` prefix); longer names are not paths on the host. */
const MAX_PATH_CHARS = 32767;

/** Environment variables the startup script reads. */
export const DRIVE_ROOT_VARIABLE = 'PSREMOTING_HOST_DRIVE';

/**
 * Runs in every pwsh of the host before the client's first command (ScriptsToProcess run in FullLanguage
 * even when the session's LanguageMode is restricted, and their commands are not subject to the session's
 * visibility). Sets $PSSenderInfo when the emulator passed the sender's identity (a PSRP session): pwsh -s
 * leaves it null, while Windows' WinRM plugin fills it from the connection (about_Automatic_Variables,
 * PSSenderInfo). ConfigurationName has no public setter, hence reflection.
 */
const STARTUP_SCRIPT = `# Written by the psremoting emulator: the host's C: drive and, in a PSRP session, $PSSenderInfo.
$null = New-PSDrive -Name C -PSProvider FileSystem -Root $env:${DRIVE_ROOT_VARIABLE} -Scope Global
if ($env:PSREMOTING_SENDER_USER) {
  $psremotingIdentity = [System.Management.Automation.Remoting.PSIdentity]::new($env:PSREMOTING_SENDER_AUTH, $true, $env:PSREMOTING_SENDER_USER, $null)
  $psremotingPrincipal = [System.Management.Automation.Remoting.PSPrincipal]::new($psremotingIdentity, $null)
  $psremotingSender = [System.Management.Automation.Remoting.PSSenderInfo]::new($psremotingPrincipal, $env:PSREMOTING_SENDER_CONNECTION)
  [System.Management.Automation.Remoting.PSSenderInfo].GetProperty('ConfigurationName').SetValue($psremotingSender, $env:PSREMOTING_SENDER_CONFIGURATION)
  # RunAsUser (type data: the session's WindowsIdentity name, none under pwsh -s) names who Windows runs the
  # session as: the virtual account or gMSA, else the connecting user.
  $psremotingRunAs = if ($env:PSREMOTING_SENDER_RUNAS) { $env:PSREMOTING_SENDER_RUNAS } else { $env:PSREMOTING_SENDER_USER }
  Update-TypeData -TypeName System.Management.Automation.Remoting.PSSenderInfo -MemberName RunAsUser -MemberType ScriptProperty -Value ([scriptblock]::Create("'" + $psremotingRunAs.Replace("'", "''") + "'")) -Force
  Set-Variable -Name PSSenderInfo -Value $psremotingSender -Scope Global -Option ReadOnly -Force
  Remove-Variable -Name psremotingIdentity, psremotingPrincipal, psremotingSender, psremotingRunAs
}
`;

/** The configuration file of an endpoint without one (and of WinRS command lines): a full session plus the startup script. */
const defaultConfigurationFile = (startup: string): string =>
  `@{ SchemaVersion = '2.0.0.0'; SessionType = 'Default'; ScriptsToProcess = @(${psQuote(startup)}) }\n`;

/** A PowerShell single-quoted string literal. */
export function psQuote(s: string): string {
  return `'${s.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

export class HostDrive {
  /** The local folder that is the host's `C:`. */
  readonly root: string;
  /** The emulator's own files for the host (startup script, effective session configuration files): not on the drive. */
  readonly privateDir: string;
  readonly startupScript: string;
  /** `-ConfigurationFile` of sessions on endpoints without ConfigFilePath, and of WinRS command lines. */
  readonly defaultConfigurationFile: string;

  constructor(stateDir: string, hostName: string) {
    const base = path.join(stateDir, `host-${hostName.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
    this.root = path.join(base, 'C');
    this.privateDir = path.join(base, 'emulator');
    this.startupScript = path.join(this.privateDir, 'startup.ps1');
    this.defaultConfigurationFile = path.join(this.privateDir, 'default.pssc');
    for (const folder of SEEDED_FOLDERS) fs.mkdirSync(path.join(this.root, ...folder.split('\\')), { recursive: true });
    fs.mkdirSync(path.join(this.privateDir, 'sessions'), { recursive: true });
    fs.writeFileSync(this.startupScript, STARTUP_SCRIPT);
    fs.writeFileSync(this.defaultConfigurationFile, defaultConfigurationFile(this.startupScript));
  }

  /**
   * The local path of a Windows path on this host (`C:\…`, `C:/…`, case-insensitive drive letter), or
   * undefined when it names another drive, is relative, or leaves the drive (`..` above `C:\`). Existing
   * names are matched case-insensitively, as NTFS does.
   */
  localPath(windowsPath: string): string | undefined {
    if (windowsPath.length > MAX_PATH_CHARS) return undefined;
    const m = /^[cC]:[\\/](.*)$/s.exec(windowsPath);
    if (!m) return undefined;
    const parts: string[] = [];
    for (const part of (m[1] ?? '').split(/[\\/]+/)) {
      if (part === '' || part === '.') continue;
      if (part === '..') {
        if (parts.length === 0) return undefined;
        parts.pop();
      } else if (part.includes('\0')) {
        return undefined;
      } else {
        parts.push(part);
      }
    }
    let local = this.root;
    for (const part of parts) local = path.join(local, matchExisting(local, part));
    return local;
  }

  /** Where the effective configuration file of one session is written (src/emulator/jea): private, removed with the shell. */
  sessionFile(shellId: string): string {
    return path.join(this.privateDir, 'sessions', `${shellId.replace(/[^A-Za-z0-9-]/g, '_')}.pssc`);
  }

  /** The local path of `C:\Program Files\WindowsPowerShell\Modules`. */
  get modulesPath(): string {
    return this.localPath(MODULES_FOLDER) ?? this.root;
  }

  /** Environment every pwsh of the host gets: the drive's root for the startup script, the host's modules first on PSModulePath. */
  powershellEnvironment(inherited: NodeJS.ProcessEnv): Record<string, string> {
    const modulePath = [this.modulesPath, inherited.PSModulePath].filter((p) => p !== undefined && p !== '').join(path.delimiter);
    return { [DRIVE_ROOT_VARIABLE]: this.root, PSModulePath: modulePath };
  }
}

/** The existing entry of `dir` named `name` ignoring case (the exact name wins), else `name`. */
function matchExisting(dir: string, name: string): string {
  if (fs.existsSync(path.join(dir, name))) return name;
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return name;
  }
  const lower = name.toLowerCase();
  return entries.find((e) => e.toLowerCase() === lower) ?? name;
}
