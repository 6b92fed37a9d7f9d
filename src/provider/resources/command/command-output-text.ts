/** What of a command's output the provider shows: secrets masked, and the tail that explains a failure. */
import { REDACTED } from '../../../tfplugin/log/redact';

/** Shorter values (a flag such as "1") would mangle ordinary output when masked. */
export const MIN_MASKED_LENGTH = 4;
const TAIL_LINES = 20;

/** Replaces every occurrence of a secret value, longest first so a value containing another is masked whole. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  const masked = [...new Set(secrets.filter((s) => s.length >= MIN_MASKED_LENGTH))].sort((a, b) => b.length - a.length);
  return masked.reduce((out, secret) => out.split(secret).join(REDACTED), text);
}

/** The last lines of a stream, without the trailing blank lines a command usually ends with. */
export function tail(text: string, lines = TAIL_LINES): string {
  const all = text.replace(/\s+$/, '').split(/\r?\n/);
  const kept = all.slice(-lines);
  return (all.length > lines ? [`[... ${all.length - lines} earlier lines ...]`, ...kept] : kept).join('\n');
}
