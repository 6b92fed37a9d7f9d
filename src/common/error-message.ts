/**
 * The text of anything thrown. Every layer reads caught values through this one helper instead of
 * casting (`(e as Error).message` is wrong for a thrown string, an AggregateError's children or a
 * rejected non-Error value). Errors are recognised by shape as well as by class: an Error made in another
 * realm (Node's own errors inside a jest vm context) is not `instanceof` this realm's Error.
 */
export function errorMessage(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  if (isErrorLike(thrown)) return thrown.message;
  try {
    return String(thrown);
  } catch {
    return Object.prototype.toString.call(thrown);
  }
}

/** The `code` of a thrown Node.js system error (`ENOENT`, `ECONNRESET`…), or undefined for anything else. */
export function errorCode(thrown: unknown): string | undefined {
  return isErrorLike(thrown) && 'code' in thrown && typeof thrown.code === 'string' ? thrown.code : undefined;
}

function isErrorLike(thrown: unknown): thrown is { readonly message: string } {
  return typeof thrown === 'object' && thrown !== null && 'message' in thrown && typeof thrown.message === 'string';
}
