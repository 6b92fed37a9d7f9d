/**
 * The root of the emulator's errors, with a typed kind. A WS-Man fault answered to a client is one kind
 * (EmulatorFault); the others are refusals of the emulator's own inputs and states and failures of its
 * machinery (PowerShell missing, a `pwsh -s` process that broke the OutOfProc protocol or ended).
 */
import { KindedError } from '../common';

export type EmulatorErrorKind =
  /** A WS-Man request the emulated host refuses: rendered as an HTTP 500 SOAP fault. */
  | 'wsman-fault'
  /** A bad command-line option or start option. */
  | 'invalid-option'
  /** A control API request that is not well formed. */
  | 'control-request'
  /** A persisted state file that cannot be read back. */
  | 'state-file'
  /** A state machine of the emulator was asked for a transition it does not declare. */
  | 'illegal-transition'
  /** PowerShell 7.6.9 was not found where the emulator looks for it. */
  | 'pwsh-missing'
  /** A `pwsh -s` process broke the OutOfProc protocol. */
  | 'pwsh-protocol'
  /** A `pwsh -s` process ended. */
  | 'pwsh-exited'
  /** An endpoint's session configuration file or role capability that cannot be read or resolved. */
  | 'session-configuration-file';

export class EmulatorError extends KindedError<EmulatorErrorKind> {
  override readonly name: string = 'EmulatorError';
}
