/** The WS-Management client: what the host layer imports. The codec pieces are also usable on their own. */
export { WsmanClient, type InvokeOptions, type EnumerateOptions } from './client/wsman-client';
export type { WsmanClientOptions, CallOptions, MessageTransport } from './client/client-options';
export { WinrsShell, runCommand, SIGNAL_URI, type CommandResult, type CollectOptions, type SignalName } from './client/shell/winrs-shell';
export type { ShellOptions, ShellInfo, CommandOptions, ReceiveResult } from './client/shell/shell-messages';
export { readShell } from './client/shell/shell-messages';
export type { WsmanAuth } from './client/auth/auth-options';
export { basicAuthorization } from './client/auth/basic-auth';
export type { WsmanTlsOptions } from './client/transport/tls-options';
export type { ConnectionAuthState } from './client/transport/connection-auth-state';
export { WsmanTransport, type WsmanTransportOptions, type TransportResponse } from './client/transport/wsman-transport';
export type { TransportStatsSnapshot } from './client/transport/transport-stats';
export type { ResourceCreated } from './client/operations/transfer-messages';
export type { WmiOutput } from './client/operations/wmi-messages';
export * from './faults';
export * from './soap';
export {
  PowerShellShell,
  POWERSHELL_STOP_SIGNAL,
  enumerateShellCommands,
  enumerateShells,
  getShell,
  type ShellCommandInfo,
} from './client/shell/powershell-shell';
export { payloadBudget, type BufferMode, type PowerShellShellOptions, type PsrpReceived } from './client/shell/powershell-shell-messages';
