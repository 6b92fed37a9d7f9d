/** The WS-Management client: what the host layer imports. The codec pieces are also usable on their own. */
export { WsmanClient, type InvokeOptions, type EnumerateOptions } from './client/wsman-client';
export type { WsmanClientOptions, CallOptions, MessageTransport } from './client/client-options';
export { WinrsShell, runCommand, SIGNAL_URI, type CommandResult, type CollectOptions, type SignalName } from './shell/winrs-shell';
export type { ShellOptions, ShellInfo, CommandOptions, ReceiveResult } from './shell/shell-messages';
export { readShell } from './shell/shell-messages';
export type { WsmanAuth } from './auth/auth-options';
export type { WsmanTlsOptions } from './transport/tls-options';
export { WsmanTransport, type WsmanTransportOptions, type TransportResponse } from './transport/wsman-transport';
export type { TransportStatsSnapshot } from './transport/transport-stats';
export type { IdentifyResult } from './operations/identify-messages';
export type { ResourceCreated } from './operations/transfer-messages';
export type { WmiOutput } from './operations/wmi-messages';
export * from './faults';
export * from './soap';
export {
  PowerShellShell,
  POWERSHELL_STOP_SIGNAL,
  enumerateShellCommands,
  enumerateShells,
  getShell,
  type ShellCommandInfo,
} from './shell/powershell-shell';
export { payloadBudget, type BufferMode, type PowerShellShellOptions, type PsrpReceived } from './shell/powershell-shell-messages';
