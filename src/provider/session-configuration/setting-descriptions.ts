/**
 * What each session configuration setting means, generated from its declaration (host
 * session-configuration/settings.ts): the meaning, the cmdlet parameter and the plugin quota, the range or
 * the accepted values, the rule with another setting and the winrs cap. The resource's attributes and the
 * data source's listed endpoints share these (they become the docs and the cdktf doc comments).
 */
import { declarationOf, SETTING_NAMES, type SettingDeclaration, type SettingName } from '../../host/session-configuration';

function source(d: SettingDeclaration): string {
  const quota = d.plugin?.kind === 'quota' ? d.plugin.quota : undefined;
  const parts = [d.parameter, quota === undefined ? undefined : `quota ${quota}`].filter((p) => p !== undefined);
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
}

function domain(d: SettingDeclaration): string | undefined {
  if (d.range !== undefined) return d.range.max === undefined ? `${d.range.min} or more` : `${d.range.min} to ${d.range.max}`;
  if (d.values === undefined) return undefined;
  const values = Object.entries(d.values).map(([value, meaning]) => (meaning === '' ? `"${value}"` : `"${value}" (${meaning})`));
  const listed = values.length === 1 ? values[0]! : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]!}`;
  return `${listed}, case-sensitive`;
}

function settingDescription(d: SettingDeclaration): string {
  const allowed = domain(d);
  const limits = [allowed, d.rule].filter((p) => p !== undefined).join('; ');
  const cap = d.winrsCap === undefined ? undefined : `Effective only up to the host's winrm/config/winrs ${d.winrsCap.element}.`;
  return [`${d.meaning}${source(d)}.`, limits === '' ? undefined : `${limits.charAt(0).toUpperCase()}${limits.slice(1)}.`, cap, d.note]
    .filter((p) => p !== undefined)
    .join(' ');
}

export const SETTING_DESCRIPTIONS = Object.fromEntries(
  SETTING_NAMES.map((name) => [name, settingDescription(declarationOf(name))]),
) as Record<SettingName, string>;
