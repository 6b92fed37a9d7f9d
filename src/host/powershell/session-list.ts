import { RESOURCE_URI, enumerateShellCommands, enumerateShells, type ShellCommandInfo, type WsmanClient } from '../../wsman';
import { isNotFound } from '../transient-errors';

/**
 * A PowerShell session on a host as Get-PSSession -ComputerName shows it (PowerShell's
 * RemoteRunspacePoolInternal.GetRemoteRunspacePools keeps the enumerated shells of PowerShell resource URIs).
 */
export interface PowerShellSessionInfo {
  readonly shellId: string;
  readonly name?: string;
  /** The session configuration (endpoint) name. */
  readonly configurationName: string;
  /** Connected or Disconnected. */
  readonly state?: string;
  readonly idleTimeoutMs?: number;
  readonly bufferMode?: string;
  readonly owner?: string;
  readonly clientIp?: string;
  /** The session's commands (pipelines), when asked for. */
  readonly commands?: readonly ShellCommandInfo[];
}

/**
 * The caller's PowerShell sessions on a host: Enumerate of `windows/shell`, keeping shells of a PowerShell
 * resource URI, and with `withCommands` an Enumerate of each one's commands. A shell closed between the two
 * Enumerates (its owner deleted it, or its IdleTimeout passed) is no longer a session and is left out.
 */
export async function listPowerShellSessions(
  client: WsmanClient,
  o: { withCommands?: boolean; signal?: AbortSignal } = {},
): Promise<PowerShellSessionInfo[]> {
  const shells = (await enumerateShells(client, { signal: o.signal })).filter((s) =>
    s.resourceUri?.startsWith(RESOURCE_URI.powershellPrefix),
  );
  const out: PowerShellSessionInfo[] = [];
  for (const s of shells) {
    let commands: ShellCommandInfo[] | undefined;
    if (o.withCommands) {
      try {
        commands = await enumerateShellCommands(client, s.shellId, { signal: o.signal });
      } catch (e) {
        if (isNotFound(e)) continue;
        throw e;
      }
    }
    out.push({
      shellId: s.shellId,
      name: s.fields.Name,
      configurationName: s.resourceUri!.slice(RESOURCE_URI.powershellPrefix.length),
      state: s.state,
      idleTimeoutMs: s.idleTimeoutMs,
      bufferMode: s.bufferMode,
      owner: s.owner,
      clientIp: s.clientIp,
      commands,
    });
  }
  return out;
}
