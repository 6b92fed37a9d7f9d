/**
 * The WinRM service of an emulated host as Windows' service control manager shows it (`sc query winrm`):
 * running, restarting (stopped and starting again), stuck in StopPending (the restart-hang switch), or the
 * whole host down (taken off the network, or the emulator shutting down).
 */
import { StateMachine, describeIllegalTransition, type TransitionTable } from '../../common';
import { EmulatorError } from '../emulator-error';

export type ServiceState = 'Running' | 'Restarting' | 'StopPending' | 'Down';

const SERVICE_TRANSITIONS: TransitionTable<ServiceState> = {
  Running: ['Restarting', 'StopPending', 'Down'],
  // A restart ends Running again, unless the host is taken down (or brought up by hand) meanwhile.
  Restarting: ['Running', 'Down'],
  StopPending: ['Running', 'Down'],
  Down: ['Running'],
};

export function serviceStateMachine(host: string, log: (msg: string) => void): StateMachine<ServiceState> {
  return new StateMachine<ServiceState>({
    name: `WinRM service of ${host}`,
    initial: 'Running',
    transitions: SERVICE_TRANSITIONS,
    refuse: (refusal) => new EmulatorError('illegal-transition', describeIllegalTransition(refusal)),
    observe: (change) =>
      log(`host ${host}: WinRM ${change.from} -> ${change.to}${change.reason === undefined ? '' : ` (${change.reason})`}`),
  });
}
