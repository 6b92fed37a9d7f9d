import { FAULT_CODE, WsmanFault, WsmanHttpError, WsmanTransportError } from '../wsman';

/**
 * Which failures are worth retrying: the host is restarting WinRM, busy (HTTP 503), or its shell and
 * operation quotas are full for a moment. Authentication, validation and other faults fail at once.
 */
export function isTransient(error: unknown): boolean {
  return isUndelivered(error) || (error instanceof WsmanTransportError && error.kind === 'reset');
}

/**
 * Transient failures that prove the request did not run: no connection, or the host turned it away. A
 * reset is not one of them: the host may have acted on the request before the answer was lost.
 */
export function isUndelivered(error: unknown): boolean {
  if (error instanceof WsmanTransportError) return error.kind === 'connect-refused' || error.kind === 'connect-timeout';
  if (error instanceof WsmanHttpError) return error.status === 503;
  if (error instanceof WsmanFault) return error.code === FAULT_CODE.shellQuota || error.code === FAULT_CODE.operationsQuota;
  return false;
}

/** The host answered that the selected resource does not exist. */
export function isNotFound(error: unknown): boolean {
  return error instanceof WsmanFault && error.code === FAULT_CODE.invalidSelectors;
}

export function isAlreadyExists(error: unknown): boolean {
  return error instanceof WsmanFault && (error.code === FAULT_CODE.alreadyExists || error.subcodeName === 'AlreadyExists');
}
