export { Activity } from './activity';
export { Semaphore } from './semaphore';
export { RestartCoordinator, type RestartFailure, type RestartCoordinatorOptions } from './restart-coordinator';
export { withRetry, type RetryPolicy } from './retry';
export { RecentlyUsed, SharedRead } from './shared-read';
export { sleep } from './abortable-sleep';
