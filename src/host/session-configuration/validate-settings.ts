/**
 * Plan-time validation of a desired session configuration with the cmdlets' rules (New-PSTransportOption
 * ValidateRange attributes in NewPSSessionConfigurationOptionCommand.cs, Register/Set parameter checks in
 * CustomShellCommands.cs, both in PowerShell's source). Each finding names the
 * attribute so the provider can attach it to the diagnostic path.
 *
 * Enumerations are case-sensitive, in the spelling PowerShell writes to the host. PowerShell binds
 * `-OutputBufferingMode block` case-insensitively, but a value that differs from what the host reports
 * only in case would show as a change on every plan; the message names the accepted spelling instead.
 */
import { choiceProblem } from '../../common';
import { sddlProblem } from '../../wsman/config';
import { deniesNetwork } from './access-mode';
import { validateEndpointName } from './endpoint-name';
import { declarationOf, SETTING_NAMES, type ObservedSettings, type SessionConfigurationSettings, type SettingName } from './settings';

export interface SettingFinding {
  /** The attribute (`name` for the endpoint name). */
  attribute: SettingName | 'name';
  message: string;
}

/** A value outside the setting's declared range (settings.ts), as a message. */
function rangeProblem(setting: SettingName, value: unknown): string | undefined {
  const { kind, range } = declarationOf(setting);
  if (range === undefined || typeof value !== 'number') return undefined;
  if (kind === 'integer' && !Number.isInteger(value)) return `${setting} must be a whole number, got ${value}`;
  if (range.max === undefined)
    return Number.isFinite(value) && value >= range.min ? undefined : `${setting} must be ${range.min} or more, got ${value}`;
  return value < range.min || value > range.max ? `${setting} must be from ${range.min} to ${range.max}, got ${value}` : undefined;
}

/** A value the setting's declared enumeration (settings.ts) does not hold, as a message (choiceProblem's wording). */
function enumProblem(setting: SettingName, value: unknown): string | undefined {
  const { values } = declarationOf(setting);
  if (values === undefined || typeof value !== 'string') return undefined;
  const problem = choiceProblem(Object.keys(values), value);
  return problem === undefined ? undefined : `${setting} ${problem}`;
}

// Windows PowerShell endpoints run PSVersion 2.0 to 5.1; PowerShell 7 endpoints carry their own version.
const PS_VERSION = /^([2-9]|[1-9]\d)\.\d+$/;

export function validateSettings(name: string, desired: SessionConfigurationSettings): SettingFinding[] {
  const findings: SettingFinding[] = validateEndpointName(name).map((message) => ({ attribute: 'name', message }));
  const add = (attribute: SettingName, message: string): void => {
    findings.push({ attribute, message });
  };

  for (const check of [rangeProblem, enumProblem]) {
    for (const setting of SETTING_NAMES) {
      const problem = check(setting, desired[setting]);
      if (problem !== undefined) add(setting, problem);
    }
  }

  const { idle_timeout_sec: idle, max_idle_timeout_sec: maxIdle } = desired;
  if (idle !== undefined && maxIdle !== undefined && idle > maxIdle) {
    add('idle_timeout_sec', `idle_timeout_sec (${idle}) must not exceed max_idle_timeout_sec (${maxIdle})`);
  }
  if ((desired.process_idle_timeout_sec ?? 0) > 0 && desired.use_shared_process !== true) {
    add('process_idle_timeout_sec', 'process_idle_timeout_sec can be non-zero only when use_shared_process is true');
  }
  if (desired.access_mode !== undefined && desired.enabled !== undefined && (desired.access_mode === 'Disabled') === desired.enabled) {
    add('enabled', `enabled = ${desired.enabled} contradicts access_mode = "${desired.access_mode}" (Disabled means not enabled)`);
  }

  if (desired.security_descriptor_sddl !== undefined) {
    const problem = sddlProblem(desired.security_descriptor_sddl);
    if (problem) add('security_descriptor_sddl', `security_descriptor_sddl is not valid SDDL: ${problem}`);
    // Both managed: the host reports the mode the SDDL implies (access-mode.ts), so a contradiction never converges.
    else if (desired.access_mode === 'Local' || desired.access_mode === 'Remote') {
      const local = deniesNetwork(desired.security_descriptor_sddl);
      if (local !== (desired.access_mode === 'Local')) {
        add(
          'access_mode',
          `access_mode = "${desired.access_mode}" contradicts security_descriptor_sddl, which ${local ? 'denies' : 'does not deny'} NETWORK logons ` +
            `(a deny ACE for NU is what makes an endpoint Local); set one of them, or make them agree`,
        );
      }
    }
  }
  const script = desired.startup_script;
  if (script !== undefined && script !== '') {
    const problem = startupScriptProblem(script);
    if (problem) add('startup_script', `startup_script ${problem}, got ${JSON.stringify(script)}`);
  }
  if (desired.powershell_version !== undefined && !PS_VERSION.test(desired.powershell_version)) {
    add('powershell_version', `powershell_version must be a version such as "5.1" (major 2 or later), got "${desired.powershell_version}"`);
  }
  desired.modules_to_import?.forEach((m, i) => {
    // The cmdlets store the list comma-separated, so a comma would split a name in two.
    if (m.trim() === '' || m.includes(','))
      add('modules_to_import', `modules_to_import[${i}] must be a non-empty module name or path without commas, got "${m}"`);
  });
  return findings;
}

/**
 * A startup script is a file the session runs from wherever it starts: Register takes a .ps1 file, and
 * the path is resolved on the host, so only a full path (drive or UNC) means the same file every time.
 */
function startupScriptProblem(script: string): string | undefined {
  if (['\r', '\n', '\0'].some((c) => script.includes(c))) return 'must be a single line (a path, not script text)';
  if (!/^(?:[A-Za-z]:\\|\\\\[^\\]+\\[^\\]+\\)/.test(script))
    return 'must be a full path on the host, such as C:\\Scripts\\start.ps1 or \\\\server\\share\\start.ps1';
  if (!/\.ps1$/i.test(script)) return 'must name a .ps1 file';
  return undefined;
}

/**
 * The idle pair when only one side is managed, checked against what the host reports for the other once
 * it is known (plan time, after refresh): WinRM would refuse IdleTimeoutms above MaxIdleTimeoutms.
 * (The other pair needs no such check: turning the shared process off forces the process idle timeout
 * to 0, as the cmdlets do.)
 */
export function validateAgainstObserved(desired: SessionConfigurationSettings, observed: ObservedSettings): SettingFinding[] {
  const findings: SettingFinding[] = [];
  const idle = desired.idle_timeout_sec ?? observed.idle_timeout_sec;
  const maxIdle = desired.max_idle_timeout_sec ?? observed.max_idle_timeout_sec;
  if ((desired.idle_timeout_sec !== undefined) !== (desired.max_idle_timeout_sec !== undefined) && idle > maxIdle) {
    const managed = desired.idle_timeout_sec !== undefined ? 'idle_timeout_sec' : 'max_idle_timeout_sec';
    findings.push({
      attribute: managed,
      message: `idle_timeout_sec (${idle}) must not exceed max_idle_timeout_sec (${maxIdle}); the host reports the one not set here`,
    });
  }
  return findings;
}
