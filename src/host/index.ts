/** What a Windows host is to the provider: pool, plugin reads/writes, coalesced restarts, commands. */
export { HostPool, type HostPoolSettings } from './host-pool';
export { Host, EndpointExistsError } from './host';
export { HostError, type HostErrorKind } from './host-error';
export { resolveHost, hostProblem, type Scheme } from './host-address';
export { silentLog, type HostLog } from './host-log';
export { isTransient } from './transient-errors';
export { CommandTimeoutError, type RemoteCommand, type RemoteCommandResult } from './commands/remote-command';
export * from './powershell';
export * from './sessions';
export { BoundedOutput } from './command-output';
export * from './files';
