export { Activity } from './activity';
export { Semaphore } from './semaphore';
export {
  RestartCoordinator,
  restartStateMachine,
  type RestartFailure,
  type RestartCoordinatorOptions,
  type RestartState,
  type AnchorState,
} from './restart-coordinator';
export { withRetry, type RetryPolicy } from './retry';
export { RecentlyUsed, SharedRead } from './shared-read';
export { sleep } from './abortable-sleep';
