/**
 * CLIXML string escaping (MS-PSRP 2.2.5.3.2; PowerShell serialization.cs `EncodeString`): UTF-16 units
 * that XML cannot carry or that would be ambiguous are written `_xHHHH_` (upper-case hex): controls
 * 0x00–0x1F and 0x7F–0x9F, every surrogate unit (so a non-BMP character is two escapes), and the `_`
 * that starts a literal `_x`. The rest is left to XML escaping.
 */

export function encodeCliString(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const needsEscape =
      code <= 0x1f ||
      (code >= 0x7f && code <= 0x9f) ||
      (code >= 0xd800 && code <= 0xdfff) ||
      (code === 0x5f && (text[i + 1] === 'x' || text[i + 1] === 'X'));
    out += needsEscape ? `_x${code.toString(16).toUpperCase().padStart(4, '0')}_` : text[i];
  }
  return out;
}

const ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

/** Replaces every `_xHHHH_` by its UTF-16 unit; surrogate pairs written as two escapes join again. */
export function decodeCliString(text: string): string {
  return text.includes('_x') ? text.replace(ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}
