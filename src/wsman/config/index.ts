/** WinRM configuration documents (plugin and service configuration) as typed models, with validation. */
export * from './plugin-config';
export { parsePluginConfig, pluginConfigSpec, writePluginConfig } from './plugin-config-codec';
export { getQuota, setQuota, getInitParam, setInitParam, removeInitParam } from './plugin-config-access';
export { validatePluginConfig } from '../server/plugin-config-validate';
export * from './winrm-config';
export * from './winrm-config-codec';
export * from '../server/winrm-config-validate';
export {
  parseBool,
  parseUint,
  INT32_MAX,
  UINT32_MAX,
  CONFIG_FAULTS,
  type ConfigFault,
  type ConfigFinding,
  type RuleBasis,
  type ValueRule,
} from './config-values';
export { emptyExtra, preservedElementSpec, type Extra } from './preserved-xml';
export * from './sddl';
