/**
 * The emulator's error root for failures of its own machinery (not WS-Man faults, which are EmulatorFault
 * and travel to the client): a refused state transition, PowerShell missing, a `pwsh -s` process that
 * broke the OutOfProc protocol or ended.
 */
export type EmulatorErrorKind = 'illegal-transition' | 'pwsh-missing' | 'pwsh-protocol' | 'pwsh-exited';

export class EmulatorError extends Error {
  override readonly name = 'EmulatorError';
  constructor(
    readonly kind: EmulatorErrorKind,
    message: string,
  ) {
    super(message);
  }
}
