export type { PipelineEvent, PoolEvent, PsrpEvent } from './events';
export { VOID_CALL_ID, refuseHostCalls, type HostAnswer, type HostResponder } from './host-responder';
export { OutboundQueue, type OutboundData, type OutboundStream } from './outbound-queue';
export { ClientPipeline, PIPELINE_TRANSITIONS, TERMINAL_PIPELINE_STATES, type PipelineState } from './pipeline';
export { ClientRunspacePool, POOL_TRANSITIONS, type ClientPoolOptions, type PoolState } from './runspace-pool';
export { SessionKeyExchange } from './session-key';
