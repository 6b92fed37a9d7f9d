/** A malformed NTLM token or a failed integrity check. Never carries key material or passwords. */
export class NtlmError extends Error {
  override readonly name = 'NtlmError';
}
