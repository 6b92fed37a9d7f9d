import { WsmanError } from '../../faults/errors';

/** A malformed NTLM token or a failed integrity check. Never carries key material or passwords. */
export class NtlmError extends WsmanError {
  override readonly name = 'NtlmError';
}
