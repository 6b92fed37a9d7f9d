// The bottom of the house: small helpers every layer may import. Nothing here imports the project.

export { choiceProblem } from './choice';
export { errorCode, errorMessage } from './error-message';
export { KindedError } from './kinded-error';
export { decodeOidBody, encodeOidBody } from './oid';
export {
  StateMachine,
  describeIllegalTransition,
  type IllegalTransition,
  type StateChange,
  type StateMachineOptions,
  type TransitionTable,
} from './state-machine';
