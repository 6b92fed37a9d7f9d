/**
 * Where JEA files live on a host. Register-PSSessionConfiguration -Path copies the .pssc to
 * `$PSHOME\SessionConfig\<name>_<GUID>.pssc` ($PSHOME of Windows PowerShell, whose pwrshplugin.dll
 * serves the endpoint; the GUID is the file's own, PowerShell's CustomShellCommands.cs) and points the
 * plugin's ConfigFilePath at it. A role capability is `<module>\RoleCapabilities\<name>.psrc` in a module
 * on PSModulePath (about_Session_Configuration_Files; Microsoft Learn "JEA Role Capabilities").
 */
import { createHash } from 'node:crypto';

export const SESSION_CONFIG_FOLDER = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\SessionConfig';
/** The all-users module folder of Windows PowerShell, on its PSModulePath. */
export const MODULES_FOLDER = 'C:\\Program Files\\WindowsPowerShell\\Modules';

/**
 * The GUID of an endpoint's configuration file, derived from its name (an RFC 4122 name-based layout over
 * SHA-256): the same endpoint always gets the same file name, so a plan can show the path and a second
 * apply finds the file the first wrote.
 */
export function configurationFileGuid(endpointName: string): string {
  return nameBasedGuid(`psremoting/session-configuration/${endpointName.toLowerCase()}`);
}

/** A role capability file's GUID, derived from the module and capability names in the same way. */
export function roleCapabilityGuid(module: string, name: string): string {
  return nameBasedGuid(`psremoting/role-capability/${module.toLowerCase()}/${name.toLowerCase()}`);
}

function nameBasedGuid(text: string): string {
  const b = createHash('sha256').update(text, 'utf8').digest().subarray(0, 16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x50; // version 5 layout (name-based)
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function configurationFilePath(endpointName: string, guid = configurationFileGuid(endpointName)): string {
  return `${SESSION_CONFIG_FOLDER}\\${endpointName}_${guid}.pssc`;
}

export function defaultModulePath(module: string): string {
  return `${MODULES_FOLDER}\\${module}`;
}

export function roleCapabilityPath(modulePath: string, name: string): string {
  return `${modulePath.replace(/\\+$/, '')}\\RoleCapabilities\\${name}.psrc`;
}

export function moduleManifestPath(modulePath: string, module: string): string {
  return `${modulePath.replace(/\\+$/, '')}\\${module}.psd1`;
}
