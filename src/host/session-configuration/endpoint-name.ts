/**
 * Which endpoint names we accept. The name is the plugin Name (MS-WSMV: at most 2048 characters), the
 * last segment of the resource URI `http://schemas.microsoft.com/powershell/<name>`, a registry key under
 * `WSMAN\Plugin`, part of the file name of a copied .pssc, and what Get/Unregister match with wildcards.
 * So we refuse: empty or padded names, control characters, path and URI separators (`\ / # :`),
 * characters invalid in Windows file names (`" < > |`) and wildcard characters (`* ? [ ]`), which would
 * make the endpoint impossible to address exactly. (Decided from those uses; Register's own checks are
 * not documented.) The length limit is the registry's: a key name is at most 255 characters (Windows'
 * "Registry Element Size Limits"), below MS-WSMV's 2048 for the plugin Name.
 */
const FORBIDDEN = /[\\/#:"<>|*?[\]]/;
const MAX_LENGTH = 255;

export function validateEndpointName(name: string): string[] {
  if (name.trim() === '') return ['the endpoint name must not be empty'];
  const problems: string[] = [];
  if (name !== name.trim()) problems.push('the endpoint name must not start or end with white space');
  if (name.length > MAX_LENGTH) problems.push(`the endpoint name must be at most ${MAX_LENGTH} characters, got ${name.length}`);
  if ([...name].some((c) => c < ' ' || c === '\u007f')) problems.push('the endpoint name must not contain control characters');
  const bad = FORBIDDEN.exec(name);
  if (bad) problems.push(`the endpoint name must not contain "${bad[0]}" (none of \\ / # : " < > | * ? [ ] are allowed)`);
  return problems;
}
