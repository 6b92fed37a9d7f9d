/** Desired against observed: which managed settings differ, and whether WinRM must restart for them. */
import { canonicalSddl } from '../../wsman/config';
import { effectiveSddl } from './plugin-documents';
import { SETTING_NAMES, type ObservedSettings, type SessionConfigurationSettings, type SettingName } from './settings';

export interface SettingChange {
  setting: SettingName;
  desired: unknown;
  observed: unknown;
}

export interface SettingsDiff {
  changes: SettingChange[];
  /**
   * Every plugin change takes effect only after WinRM restarts, except the SDDL, which WinRM picks up
   * dynamically (PowerShell's src/Microsoft.WSMan.Management/ConfigProvider.cs). Local ↔ Remote is an SDDL-only change; Disabled ↔ enabled is not.
   */
  restartRequired: boolean;
}

function sameModules(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((m, i) => m.toLowerCase() === b[i]?.toLowerCase());
}

function differs(setting: SettingName, desired: SessionConfigurationSettings, observed: ObservedSettings): boolean {
  switch (setting) {
    case 'security_descriptor_sddl': {
      const want = effectiveSddl(desired, observed.security_descriptor_sddl) ?? '';
      return observed.security_descriptor_sddl === ''
        ? want !== ''
        : canonicalSddl(want) !== canonicalSddl(observed.security_descriptor_sddl);
    }
    case 'modules_to_import':
      return !sameModules(desired.modules_to_import ?? [], observed.modules_to_import);
    default:
      return desired[setting] !== observed[setting];
  }
}

export function diff(desired: SessionConfigurationSettings, observed: ObservedSettings): SettingsDiff {
  const changes: SettingChange[] = [];
  for (const setting of SETTING_NAMES) {
    if (desired[setting] === undefined || !differs(setting, desired, observed)) continue;
    changes.push({ setting, desired: desired[setting], observed: observed[setting] });
  }
  const restartRequired = changes.some(({ setting, desired: d, observed: o }) => {
    if (setting === 'security_descriptor_sddl') return false;
    if (setting === 'access_mode') return d === 'Disabled' || o === 'Disabled';
    return true;
  });
  return { changes, restartRequired };
}
