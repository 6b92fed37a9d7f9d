import { StateMachine, type StateChange, type TransitionTable } from '../../common';
import { refuseTransition } from '../errors';
import type { PipelineSpec } from '../messages/client-bodies';

/**
 * A pipeline as its client sees it (PSInvocationState, MS-PSRP 2.2.3.5). The client moves it to
 * Running when it sends CREATE_PIPELINE (or connects to one left running), to Stopping when it asks
 * for a stop, to Disconnected with its pool; the server's PIPELINE_STATE ends it.
 */
export type PipelineState = 'NotStarted' | 'Running' | 'Stopping' | 'Stopped' | 'Completed' | 'Failed' | 'Disconnected';

export const PIPELINE_TRANSITIONS: TransitionTable<PipelineState> = {
  NotStarted: ['Running', 'Disconnected', 'Failed'],
  Running: ['Stopping', 'Stopped', 'Completed', 'Failed', 'Disconnected'],
  Stopping: ['Stopped', 'Completed', 'Failed', 'Disconnected'],
  Disconnected: ['Running', 'Stopping', 'Failed', 'Stopped', 'Completed'],
  Stopped: [],
  Completed: [],
  Failed: [],
};

export const TERMINAL_PIPELINE_STATES: readonly PipelineState[] = ['Stopped', 'Completed', 'Failed'];

export class ClientPipeline {
  readonly machine: StateMachine<PipelineState>;
  /** Input still allowed (NoInput was false and END_OF_PIPELINE_INPUT not yet sent). */
  inputOpen: boolean;

  constructor(
    readonly id: string,
    readonly spec: PipelineSpec | undefined,
    initial: PipelineState,
    observe?: (change: StateChange<PipelineState>) => void,
  ) {
    this.machine = new StateMachine<PipelineState>({
      name: `pipeline ${id}`,
      initial,
      transitions: PIPELINE_TRANSITIONS,
      refuse: refuseTransition,
      observe,
    });
    this.inputOpen = spec !== undefined && spec.noInput === false;
  }

  get state(): PipelineState {
    return this.machine.state;
  }

  get done(): boolean {
    return this.machine.is(...TERMINAL_PIPELINE_STATES);
  }
}
