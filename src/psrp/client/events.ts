import type { PsValue } from '../clixml/values';
import type { Versions } from '../messages/client-bodies';
import type { ErrorRecordView, InformationRecordView, InformationalRecordView, ProgressRecordView } from '../messages/records';
import type { HostCall, RemotePipelineState, RemotePoolState } from '../messages/server-bodies';

/** What a client learns from the server's messages, one event per message (MS-PSRP 2.2.2.x). */
export type PoolEvent =
  | { readonly kind: 'sessionCapability'; readonly versions: Versions }
  | { readonly kind: 'applicationPrivateData'; readonly data: PsValue }
  | { readonly kind: 'poolState'; readonly state: RemotePoolState; readonly error?: ErrorRecordView }
  | { readonly kind: 'initData'; readonly minRunspaces: number; readonly maxRunspaces: number }
  | { readonly kind: 'runspaceAvailability'; readonly callId: bigint; readonly response: boolean | bigint }
  | { readonly kind: 'userEvent'; readonly data: PsValue }
  | { readonly kind: 'publicKeyRequest' }
  | { readonly kind: 'sessionKey' }
  | { readonly kind: 'hostCall'; readonly pipelineId?: string; readonly call: HostCall; readonly answered: boolean };

export type PipelineEvent =
  | { readonly kind: 'output'; readonly pipelineId: string; readonly value: PsValue }
  | { readonly kind: 'error'; readonly pipelineId: string; readonly record: ErrorRecordView }
  | { readonly kind: 'debug' | 'verbose' | 'warning'; readonly pipelineId: string; readonly record: InformationalRecordView }
  | { readonly kind: 'progress'; readonly pipelineId: string; readonly record: ProgressRecordView }
  | { readonly kind: 'information'; readonly pipelineId: string; readonly record: InformationRecordView }
  | { readonly kind: 'pipelineState'; readonly pipelineId: string; readonly state: RemotePipelineState; readonly error?: ErrorRecordView };

export type PsrpEvent = PoolEvent | PipelineEvent;
