import { WsmanHttpError } from '../../faults/errors';

/**
 * The error for an HTTP status the exchange did not expect, on any leg (an authentication handshake
 * included): one class, so a 503 (host busy, WinRM restarting) is retried wherever it answers.
 */
export function httpStatusError(url: URL, status: number, contentType: string | undefined, body: string): WsmanHttpError {
  return new WsmanHttpError(`HTTP ${status} from ${url.host}${describeBody(contentType, body)}`, status);
}

/** A short, single-line hint from a non-SOAP error body (IIS/HTTP.sys send small text or HTML pages). */
function describeBody(contentType: string | undefined, body: string): string {
  // Only the start is read: stripping tags from a large hostile body (`<<<<…`) takes quadratic time.
  const text = body
    .slice(0, 4096)
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return '';
  return `: ${text.slice(0, 200)}${text.length > 200 ? '…' : ''}${contentType ? ` (${contentType.split(';')[0]})` : ''}`;
}
