/**
 * The one wording of "not one of the allowed values" every layer uses (attribute validators, the
 * session-configuration checks), with the accepted spelling when only the letter case differs.
 */
export function choiceProblem(allowed: readonly string[], value: string): string | undefined {
  if (allowed.includes(value)) return undefined;
  const near = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  return `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(value)}${near ? ` (write it as ${JSON.stringify(near)})` : ''}`;
}
