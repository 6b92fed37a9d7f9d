// The bottom of the house: small helpers every layer may import. Nothing here imports the project.
export { errorCode, errorMessage } from './error-message';
export { KindedError } from './kinded-error';
export {
  StateMachine,
  describeIllegalTransition,
  type IllegalTransition,
  type StateChange,
  type StateMachineOptions,
  type TransitionTable,
} from './state-machine';
