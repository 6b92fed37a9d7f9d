import { describeIllegalTransition, type IllegalTransition } from '../common';

/**
 * The one error root of the PSRP layer. `kind` says which part refused the input, so callers decide
 * without parsing messages: a hostile or broken peer gives `fragment`, `message`, `clixml` or `limit`;
 * a conversation out of order gives `state` or `protocol`; a failure the remote PowerShell reported
 * (a broken pool, a failed pipeline) gives `remote`, with the error record when one came.
 */
export type PsrpErrorKind =
  /** A fragment header or the order of fragments is wrong (MS-PSRP 2.2.4). */
  | 'fragment'
  /** A message header is wrong: destination, type, GUIDs, encoding (MS-PSRP 2.2.1). */
  | 'message'
  /** The CLIXML of a message body is malformed or of an unexpected shape (MS-PSRP 2.2.5). */
  | 'clixml'
  /** The peer exceeded a bound we set (size, depth, count). */
  | 'limit'
  /** An illegal state transition of a runspace pool or pipeline. */
  | 'state'
  /** A legal message at the wrong time, or a negotiation the peer refused. */
  | 'protocol'
  /** A host call we could not answer. */
  | 'host'
  /** The remote side reported a failure. */
  | 'remote';

export class PsrpError extends Error {
  override readonly name = 'PsrpError';
  constructor(
    readonly kind: PsrpErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The `refuse` factory every PSRP state machine hands to the common StateMachine. */
export function refuseTransition<S extends string>(refusal: IllegalTransition<S>): PsrpError {
  return new PsrpError('state', describeIllegalTransition(refusal));
}
