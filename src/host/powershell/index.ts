export {
  PowerShellSession,
  PowerShellSessionError,
  RunningPipeline,
  type OperationGate,
  type PipelineResult,
  type PowerShellSessionOptions,
  type RunOptions,
} from './powershell-session';
export { listPowerShellSessions, type PowerShellSessionInfo } from './session-list';
