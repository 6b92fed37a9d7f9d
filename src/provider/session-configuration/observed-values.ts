/** A host's plugin document as attribute values. */
import type { PluginConfig } from '../../wsman/config';
import { diff, observe, SETTING_NAMES, type SettingName } from '../../host/session-configuration';
import type { Value } from '../../tfplugin';
import { settingsOf, settingValues } from './setting-attributes';

/**
 * Every setting as the host reports it, except where `previous` (the prior state or the configuration)
 * holds a value that means the same — an SDDL spelled differently, module names in another case, 0.1
 * as written rather than as a double — which is kept, so equal values never show as changes.
 */
export function observedValues(doc: PluginConfig, previous: { readonly [name: string]: Value | undefined }): Record<SettingName, Value> {
  const observed = observe(doc);
  const out = settingValues(observed);
  const prior = settingsOf(previous);
  for (const s of SETTING_NAMES) {
    if (prior[s] !== undefined && diff({ [s]: prior[s] }, observed).changes.length === 0) out[s] = previous[s]!;
  }
  return out;
}
