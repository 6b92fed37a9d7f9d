/**
 * Plugin quotas above the host's global winrs values are silently ignored by Windows: the WSMan provider
 * warns that IdleTimeoutms, MaxProcessesPerShell, MaxMemoryPerShellMB, MaxShellsPerUser and
 * MaxConcurrentUsers are effective only up to `WSMan:\localhost\Shell\<same>` (PowerShell's
 * src/Microsoft.WSMan.Management/ConfigProvider.cs, ppqWarningConfigurations). These are the plan-time warnings for that.
 */
import { type WinrsConfig } from '../../wsman/config';
import { declarationOf, SETTING_NAMES, type SessionConfigurationSettings, type SettingName } from './settings';
import { parseUint } from '../../wsman/xml';

export interface CapWarning {
  attribute: SettingName;
  message: string;
}

/** The capped settings (declared with their winrs value in settings.ts) and the scale of their quota. */
const CAPS: ReadonlyArray<readonly [SettingName, keyof WinrsConfig, string, number]> = SETTING_NAMES.flatMap((setting) => {
  const { winrsCap, plugin } = declarationOf(setting);
  return winrsCap === undefined ? [] : [[setting, winrsCap.key, winrsCap.element, plugin?.kind === 'quota' ? plugin.scale : 1] as const];
});

/** The settings a host-wide winrs value caps: a plan reads winrm/config only when one of them is managed. */
export const WINRS_CAPPED_SETTINGS: readonly SettingName[] = CAPS.map(([setting]) => setting);

/** The managed quotas that exceed the host's global winrs cap. A cap of 0 means unlimited (spec). */
export function winrsCapWarnings(desired: SessionConfigurationSettings, winrs: WinrsConfig, host: string): CapWarning[] {
  const warnings: CapWarning[] = [];
  for (const [setting, key, element, scale] of CAPS) {
    const want = desired[setting] as number | undefined;
    const cap = parseUint(winrs[key] as string | undefined);
    if (want === undefined || cap === undefined || cap === 0 || want * scale <= cap) continue;
    const capText = scale === 1 ? String(cap) : `${cap} ms = ${cap / scale} s`;
    warnings.push({
      attribute: setting,
      message: `${setting} = ${want} exceeds ${host}'s global winrm/config/winrs ${element} (${capText}); Windows silently applies the global value instead`,
    });
  }
  return warnings;
}
