/** Session configurations as the provider sees them: settings <-> WinRM plugin documents, cmdlet semantics, no I/O. */
export {
  SETTINGS,
  SETTING_NAMES,
  declarationOf,
  type SettingDeclaration,
  type SettingKind,
  type SettingKinds,
  type SettingName,
  type SessionConfigurationSettings,
  type ObservedSettings,
  type PluginLocation,
} from './settings';
export { registerDocument, applyDesired, observe } from './plugin-documents';
export { diff, type SettingChange } from './diff';
export { validateSettings, validateAgainstObserved } from './validate-settings';
export { validateEndpointName } from './endpoint-name';
export { winrsCapWarnings, WINRS_CAPPED_SETTINGS } from './winrs-caps';
export { reportedProperties, permissionText } from './reported-properties';
export { modulesToImport, withModulesToImport } from './session-configuration-data';
export { DEFAULT_REMOTE_SDDL } from './access-mode';
export { sddlExposure } from './sddl-exposure';
