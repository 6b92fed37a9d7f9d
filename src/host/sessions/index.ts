export { runPsrpCommand, PsrpCommandError, type PsrpCommand, type PsrpCommandResult } from './psrp-command';
export {
  closeSession,
  collect,
  commandOf,
  findSession,
  MAX_REATTACH_ATTEMPTS,
  probeCommand,
  startDisconnected,
  SessionGoneError,
  type DisconnectedCommand,
  type DisconnectSettings,
  type SessionRef,
} from './disconnected-command';
export { listSessions, type ListedSession } from './session-listing';
export { probeEndpoint, type EndpointView } from './endpoint-probe';
