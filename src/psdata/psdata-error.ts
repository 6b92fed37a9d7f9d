/**
 * The root of the PowerShell data file codec's errors, with a typed kind. The layers above wrap it in their
 * own root (HostError `invalid-data-file`, EmulatorError `session-configuration-file`) with this error as the
 * cause, so a caller of either layer sees one error type per layer and can still reach the position.
 */
import { KindedError } from '../common';

export type PsDataErrorKind =
  /** Text that is not the data language: an unclosed string, a missing "=", text after the hashtable. */
  | 'malformed'
  /** Something PowerShell would run rather than read: a variable, a cast, a command, an expanding string. */
  | 'code'
  /** Longer, deeper nested or with a larger number than the codec holds (PSD1_LIMITS). */
  | 'beyond-bounds';

export class PsDataError extends KindedError<PsDataErrorKind> {
  override readonly name: string = 'PsDataError';
}
