/**
 * Where a connection stands with a connection-bound authentication (NTLM: MS-NLMP 3.1.5, one security
 * context per TCP connection). Basic and certificate authentication carry their credentials on every
 * request and leave a connection unauthenticated.
 */
import { StateMachine, describeIllegalTransition, type StateChange, type TransitionTable } from '../../../common';
import { WsmanError } from '../../faults/errors';

export type ConnectionAuthState =
  /** No security context: the next request starts a handshake. */
  | 'unauthenticated'
  /** NEGOTIATE sent, CHALLENGE answered, AUTHENTICATE on its way. */
  | 'negotiating'
  /** The context is bound to one socket; requests on it are sealed (or signed) with its session keys. */
  | 'authenticated';

const AUTH_TRANSITIONS: TransitionTable<ConnectionAuthState> = {
  unauthenticated: ['negotiating'],
  negotiating: ['authenticated', 'unauthenticated'],
  authenticated: ['unauthenticated'],
};

export function connectionAuthStateMachine(
  host: string,
  observe?: (change: StateChange<ConnectionAuthState>) => void,
): StateMachine<ConnectionAuthState> {
  return new StateMachine<ConnectionAuthState>({
    name: `connection to ${host}`,
    initial: 'unauthenticated',
    transitions: AUTH_TRANSITIONS,
    refuse: (refusal) => new WsmanError(describeIllegalTransition(refusal)),
    observe,
  });
}
