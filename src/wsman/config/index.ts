/** WinRM configuration documents (plugin and service configuration) as typed models; both ends read and write them. */
export * from './plugin-config';
export { parsePluginConfig, pluginConfigSpec, writePluginConfig } from './plugin-config-codec';
export { getQuota, setQuota, getInitParam, setInitParam, removeInitParam } from './plugin-config-access';
export * from './winrm-config';
export * from './winrm-config-codec';
export { type ConfigFault, type ConfigFinding, type RuleBasis, type ValueRule } from './config-values';
export { emptyExtra, preservedElementSpec, type Extra } from './preserved-xml';
export * from './sddl';
