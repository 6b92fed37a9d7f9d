/**
 * The bytes of a data file. New-PSSessionConfigurationFile and New-PSRoleCapabilityFile write UTF-16LE
 * with a byte order mark; Windows PowerShell 5.1 reads a file without a mark as the ANSI code page, so
 * we write UTF-8 with its mark, and read any of the three marks (or none: UTF-8) back.
 */
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function encodeDataFile(text: string): Buffer {
  return Buffer.concat([UTF8_BOM, Buffer.from(text, 'utf8')]);
}

export function decodeDataFile(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return (bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes).toString('utf8');
}
