/** Import ids, the import command users are pointed to, and which endpoints are built in. */
import { DiagnosticError } from '../../../tfplugin';
import { TYPE_NAME } from './schema';

/** `host/name`, split on the last '/': the host part may be a URL (`http://h:5985/wsman/name`). */
export function parseImportId(id: string): { host: string; name: string } {
  const slash = id.lastIndexOf('/');
  const host = slash < 0 ? '' : id.slice(0, slash);
  const name = slash < 0 ? '' : id.slice(slash + 1);
  if (host === '' || name === '') {
    throw new DiagnosticError(
      'Invalid import id',
      `import id "${id}" must be <host>/<name>, e.g. "web1/microsoft.powershell" or "https://web1:5986/wsman/microsoft.powershell"`,
    );
  }
  return { host, name };
}

/** The command that adopts an existing endpoint; terraform does not tell a provider the resource's address. */
export function importCommand(host: string, name: string): string {
  return `terraform import '${TYPE_NAME}.<resource name>' '${host}/${name}'`;
}

/**
 * WinRM finds plugins by name case-insensitively (Get-PSSessionConfiguration -Name and the plugin URI
 * both do): "Ops.Admin" and "ops.admin" are one endpoint, so a change of letter case is no rename.
 */
export function sameEndpointName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

const BUILT_IN = new Set(['microsoft.windows.servermanagerworkflows', 'event forwarding plugin', 'sel plugin', 'wmi provider']);

/** Endpoints Windows (or a PowerShell install) creates itself: removing one can cut off remote management. */
export function isBuiltinEndpoint(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('microsoft.powershell') || BUILT_IN.has(lower);
}
