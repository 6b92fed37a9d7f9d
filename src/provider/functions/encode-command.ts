/**
 * provider::psremoting::encode_command(script): the script as `powershell.exe -EncodedCommand` takes
 * it — base64 of its UTF-16LE bytes — so any script survives cmd.exe and WinRS quoting intact.
 * Terraform words argument errors as `Invalid value for "script" parameter: <text>.`, hence lower-case
 * texts without a final period.
 */
import { defineFunction, FunctionError, t } from '../../tfplugin';

// CreateProcess caps a command line at 32767 characters; keep room for the executable and switches.
export const MAX_ENCODED_LENGTH = 32_000;

export function encodeCommand(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

export const encodeCommandFunction = defineFunction({
  name: 'encode_command',
  summary: 'Encode a PowerShell script for powershell.exe -EncodedCommand',
  description:
    'Returns the base64 encoding of the script as UTF-16LE, the form `powershell.exe -EncodedCommand` expects. ' +
    `The result must fit a Windows command line: at most ${MAX_ENCODED_LENGTH} characters.`,
  parameters: [{ name: 'script', type: t.string, description: 'The PowerShell script text.' }],
  returns: t.string,
  call(_ctx, [script]) {
    if (script.trim() === '') throw new FunctionError('the script is empty: there is nothing to encode', 0);
    if (script.includes('\0')) throw new FunctionError('the script contains a NUL character, which no command line can carry', 0);
    const encoded = encodeCommand(script);
    if (encoded.length > MAX_ENCODED_LENGTH) {
      throw new FunctionError(
        `the encoded script is ${encoded.length} characters, more than the ${MAX_ENCODED_LENGTH} a Windows command line leaves for it; ` +
          'copy the script to the host and run it as a file instead',
        0,
      );
    }
    return encoded;
  },
});
