/**
 * Text safe to show: everything the provider prints (diagnostics and log lines) passes through here,
 * because much of it quotes what a host sent (SOAP fault texts, HTTP error bodies), and a host can send
 * megabytes, terminal escape sequences, or echo our own credentials back.
 *
 * - secrets the runtime has seen (values of sensitive attributes, by schema, and credentials a provider
 *   registers) and any `Authorization` header value are masked;
 * - terminal control sequences (ECMA-48 CSI and OSC), other C0/C1 controls and bidirectional overrides
 *   are removed (newline and tab stay);
 * - the text is capped, saying how much was left out.
 */

export const MASK = '(sensitive value)';

/**
 * Shorter values are not masked: replacing every occurrence of a 1-3 character string (a flag such as
 * "1") would garble the text while protecting nothing (a secret that short is guessed faster than read).
 */
export const MIN_MASKED_LENGTH = 4;

/** Secrets seen in this process, longest first so a value containing another is masked whole. */
let secrets: string[] = [];

/** Remembers a value to mask wherever it appears later in this process. */
export function rememberSecret(value: string): void {
  if (value.length < MIN_MASKED_LENGTH || secrets.includes(value)) return;
  secrets = [...secrets, value].sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of each secret (of at least MIN_MASKED_LENGTH characters) with MASK. */
export function maskSecrets(text: string, values: readonly string[]): string {
  const masked = [...new Set(values.filter((s) => s.length >= MIN_MASKED_LENGTH))].sort((a, b) => b.length - a.length);
  return masked.reduce((out, secret) => (out.includes(secret) ? out.split(secret).join(MASK) : out), text);
}

// Matching control characters is these patterns' purpose.
/* eslint-disable no-control-regex */
// ESC [ params intermediates final | ESC ] text (BEL | ESC \) | ESC + one character.
const ESCAPE_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[\s\S]?|\x9b[0-?]*[ -/]*[@-~]/g;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/* eslint-enable no-control-regex */
const AUTHORIZATION = /(authorization\s*[:=]\s*"?)([A-Za-z][\w.-]*\s+)?[^\s",;]+/gi;

export function safeText(text: string, maxChars: number): string {
  // Cut first (keeping room for a secret crossing the cut), so a huge text costs no more than its prefix.
  const room = maxChars + (secrets[0]?.length ?? 0);
  const cut = text.length > room;
  let out = maskSecrets(cut ? text.slice(0, room) : text, secrets);
  out = out.replace(AUTHORIZATION, (_m, head: string, scheme: string | undefined) => `${head}${scheme ?? ''}${MASK}`);
  out = out.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
  if (!cut && out.length <= maxChars) return out;
  out = out.slice(0, maxChars);
  return `${out}… (about ${text.length - out.length} more characters not shown)`;
}
