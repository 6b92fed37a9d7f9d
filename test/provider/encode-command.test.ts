/** provider::psremoting::encode_command: what powershell.exe -EncodedCommand decodes, and its refusals. */
import fc from 'fast-check';
import { Diagnostics, FunctionError } from '../../src/tfplugin';
import { createLogger } from '../../src/tfplugin/log/logger';
import { encodeCommand, encodeCommandFunction, MAX_ENCODED_LENGTH } from '../../src/provider/functions/encode-command';

const ctx = {
  signal: new AbortController().signal,
  log: createLogger({ module: 'test', threshold: 'off' }),
  diagnostics: new Diagnostics(),
};
const call = (script: string) => encodeCommandFunction.call(ctx, [script], []) as string;

test('base64 of the UTF-16LE bytes (the documented example: "dir" -> ZABpAHIA)', () => {
  expect(call('dir')).toBe('ZABpAHIA');
  expect(call('Get-Process')).toBe('RwBlAHQALQBQAHIAbwBjAGUAcwBzAA==');
});

test('any script decodes back exactly, including characters outside the BMP', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'grapheme', minLength: 1 }).filter((s) => s.trim() !== '' && !s.includes('\0')),
      (s) => {
        expect(Buffer.from(encodeCommand(s), 'base64').toString('utf16le')).toBe(s);
      },
    ),
  );
  expect(Buffer.from(call('Write-Output "😀"'), 'base64').readUInt16LE(28)).toBe(0xd83d); // a surrogate pair, as Windows expects
});

test.each<[string, string, RegExp]>([
  ['empty', '', /empty/],
  ['blank', '  \n\t', /empty/],
  ['NUL', 'a\0b', /NUL/],
  ['too long for a command line', 'x'.repeat(MAX_ENCODED_LENGTH), /more than the 32000/],
])('refuses a script that is %s, with an error about argument 0', (_what, script, message) => {
  let error: unknown;
  try {
    call(script);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(FunctionError);
  expect((error as FunctionError).argument).toBe(0);
  expect((error as FunctionError).message).toMatch(message);
  expect((error as FunctionError).message).not.toMatch(/\.$/); // terraform adds the final period
});
