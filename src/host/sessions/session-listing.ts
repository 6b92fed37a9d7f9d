/**
 * The caller's live shells on a host with their commands, PSRP and WinRS alike (Get-PSSession
 * -ComputerName lists the PowerShell ones the same way: Enumerate of `windows/shell`, then of each shell's
 * commands; PowerShell's src/System.Management.Automation/engine/remoting/client/RemoteRunspacePoolInternal.cs,
 * RemoteRunspacePoolEnumeration).
 */
import { enumerateShellCommands, enumerateShells, type ShellCommandInfo, type ShellInfo, type WsmanClient } from '../../wsman';
import type { OperationGate } from '../powershell';

export interface ListedSession {
  readonly shell: ShellInfo;
  readonly commands: readonly ShellCommandInfo[];
}

export async function listSessions(
  client: WsmanClient,
  gate: OperationGate,
  keep: (s: ShellInfo) => boolean,
  signal: AbortSignal,
): Promise<ListedSession[]> {
  const shells = (await gate(() => enumerateShells(client, { signal }), signal)).filter(keep);
  const out: ListedSession[] = [];
  for (const shell of shells)
    out.push({ shell, commands: await gate(() => enumerateShellCommands(client, shell.shellId, { signal }), signal) });
  return out;
}
