/** What a Windows host is to the provider: pool, plugin reads/writes, coalesced restarts, commands. */
export { HostPool, type HostPoolSettings } from './host-pool';
export { Host, EndpointExistsError } from './host';
export { resolveHost, hostProblem, type HostAddress, type Scheme } from './host-address';
export { silentLog, type HostLog } from './host-log';
export { isTransient, isNotFound } from './transient-errors';
export { CommandTimeoutError, type RemoteCommand, type RemoteCommandResult } from './commands/remote-command';
export type { RestartFailure } from './coordination';
