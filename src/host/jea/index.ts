/**
 * JEA files: PowerShell data files, the .pssc and .psrc fields, their comparison and validation, where
 * they live (all without I/O), and the steps that need the host (on-host.ts).
 */
export { parsePsd1, parsePsd1Value, PSD1_LIMITS } from './psd1-parse';
export { renderPsd1, renderValue } from './psd1-render';
export { Psd1Error, Psd1ShapeError, hashtable as hashtableOf, type Psd1Value, type Psd1Hashtable, type Psd1Position } from './psd1-value';
export {
  canonical,
  fromPsd1,
  toPsd1,
  type FieldKind,
  type FieldKinds,
  type RequiredGroups,
  type RoleDefinition,
  type VisibleCommand,
  type VisibleParameter,
} from './field-values';
export {
  CONFIGURATION_FILE_FIELDS,
  ROLE_CAPABILITY_FIELDS,
  type ConfigurationFileFieldName,
  type FieldDeclaration,
  type FieldSet,
  type RoleCapabilityFieldName,
} from './fields';
export {
  changedFields,
  parseDataFile,
  renderDataFile,
  sameFieldValue,
  writtenValues,
  SCHEMA_VERSION,
  type FieldValue,
  type FieldValues,
  type ParsedDataFile,
} from './data-file';
export { validateFields, type FieldFinding, type FieldPathStep } from './validate-fields';
export { roleDefinitionsSddl, requiredGroupsCondition, type RequiredGroupSids } from './role-sddl';
export { configurationFilePathOf, gmsaRunAsUser, withConfigurationFile, withoutConfigurationFile } from './endpoint-file';
export * from './locations';
export { decodeDataFile, encodeDataFile } from './file-encoding';
export { missingRoleCapabilities, principalSids, readDataFileOnHost, removeFileOnHost, writeDataFileOnHost } from './on-host';
