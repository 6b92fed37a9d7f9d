/** Session configurations as the provider sees them: settings <-> WinRM plugin documents, cmdlet semantics, no I/O. */
export * from './settings';
export { registerDocument, applyDesired, observe, effectiveSddl, PWRSHPLUGIN_FILENAME, DEFAULT_PS_VERSION } from './plugin-documents';
export { diff, type SettingChange, type SettingsDiff } from './diff';
export { validateSettings, validateAgainstObserved, type SettingFinding } from './validate-settings';
export { validateEndpointName } from './endpoint-name';
export { winrsCapWarnings, WINRS_CAPPED_SETTINGS, type CapWarning } from './winrs-caps';
export { reportedProperties, permissionText } from './reported-properties';
export { accessModeOf, deniesNetwork, withNetworkAccess, DEFAULT_REMOTE_SDDL } from './access-mode';
export { modulesToImport, withModulesToImport } from './session-configuration-data';
export { PS_RESOURCE_PREFIX } from './plugin-mapping';
