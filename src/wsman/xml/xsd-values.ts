/**
 * XML Schema value types as WS-Man peers write them (XML Schema Part 2: xs:boolean, xs:unsignedInt, xs:int).
 * Both ends read numbers and flags in answers, requests and configuration documents through these.
 */

/**
 * xs:boolean as WinRM reads it. Register-PSSessionConfiguration writes .NET's `True`/`False`, which WinRM
 * accepts, so the words are matched case-insensitively (inferred from the cmdlet source; the schema's
 * `1`/`0` spellings are not accepted here because no Windows producer writes them).
 */
export function parseBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : undefined;
}

/**
 * An unsigned decimal integer, or undefined when the text is not one (no sign, no exponent, no hex). Also
 * the reader of every unsigned number in a protocol answer (fault codes, MaxEnvelopeSize, ProcessId).
 */
export function parseUint(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (!/^\d{1,15}$/.test(v)) return undefined;
  return Number(v);
}

export const INT32_MAX = 2147483647;
export const UINT32_MAX = 4294967295;
