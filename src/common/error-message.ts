/**
 * The text of anything thrown. Every layer reads caught values through this one helper instead of
 * casting (`(e as Error).message` is wrong for a thrown string, an AggregateError's children or a
 * rejected non-Error value).
 */
export function errorMessage(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  try {
    return String(thrown);
  } catch {
    return Object.prototype.toString.call(thrown);
  }
}
