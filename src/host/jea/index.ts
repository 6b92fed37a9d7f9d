/**
 * JEA files: the .pssc and .psrc fields (read and written with the data file codec of src/psdata), their comparison and validation, where
 * they live (all without I/O), and the steps that need the host (on-host.ts).
 */
export { renderPsd1, hashtable as hashtableOf } from '../../psdata';
export { Psd1ShapeError } from './shape-error';
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
export { missingRoleCapabilities, principalSids, readDataFileOnHost, removeFileOnHost, writeDataFileOnHost } from './on-host';
