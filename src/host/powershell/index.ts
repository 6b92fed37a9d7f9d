export {
  PowerShellSession,
  PowerShellSessionError,
  RunningPipeline,
  type OperationGate,
  type PipelineResult,
  type PowerShellSessionOptions,
  type RunOptions,
} from './powershell-session';
