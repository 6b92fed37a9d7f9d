/** psremoting_command's pure parts: the command line per shell, secret masking, the stderr tail, rerun detection. */
import { commandLine, commandLineProblem } from '../../src/provider/resources/command/command-line';
import { tail } from '../../src/provider/resources/command/command-output-text';
import { maskSecrets } from '../../src/tfplugin/log/safe-text';
import { changedInputs } from '../../src/provider/resources/command/command-plan';
import { commandSchema } from '../../src/provider/resources/command/command-schema';
import { mapValue, unknown } from '../../src/tfplugin';

const decoded = (line: string) => Buffer.from(line.split(' ').pop()!, 'base64').toString('utf16le');

test('powershell: the script goes encoded after -NoProfile -NonInteractive, progress records silenced first', () => {
  const line = commandLine('powershell', 'Write-Output "ünï" | Out-Host');
  expect(line).toMatch(/^powershell\.exe -NoProfile -NonInteractive -EncodedCommand [A-Za-z0-9+/]+=*$/);
  expect(decoded(line)).toBe('$ProgressPreference = \'SilentlyContinue\'\nWrite-Output "ünï" | Out-Host');
});

test('cmd: the command line as written', () => {
  expect(commandLine('cmd', 'echo "a b" && exit 3')).toBe('echo "a b" && exit 3');
});

test('command lines that cannot be carried are refused with the reason', () => {
  expect(commandLineProblem('powershell', 'x'.repeat(16_000))).toMatch(
    /once encoded for powershell\.exe -EncodedCommand, more than the 32000/,
  );
  expect(commandLineProblem('cmd', 'x'.repeat(32_001))).toMatch(/more than a Windows command line/);
  expect(commandLineProblem('cmd', 'a\0b')).toMatch(/NUL/);
  expect(commandLineProblem('powershell', 'Get-Date')).toBeUndefined();
  expect(commandLineProblem('cmd', 'x'.repeat(16_000))).toBeUndefined();
});

test('secrets of 4+ characters are masked wherever they appear, longer values first', () => {
  expect(maskSecrets('token=s3cr3t-long and s3cr3t, flag 1', ['s3cr3t', 's3cr3t-long', '1'])).toBe(
    'token=(sensitive value) and (sensitive value), flag 1',
  );
  expect(maskSecrets('nothing here', [])).toBe('nothing here');
});

test('the tail keeps the last lines and says how many came before', () => {
  const text = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\r\n') + '\r\n\r\n';
  const t = tail(text, 20);
  expect(t.split('\n')).toHaveLength(21);
  expect(t).toMatch(/^\[\.\.\. 10 earlier lines \.\.\.\]\nline 10\n/);
  expect(t).toMatch(/line 29$/);
  expect(tail('one\ntwo\n')).toBe('one\ntwo');
});

test('inputs that run the command again: any change, maps by content, unknowns as changes', () => {
  const base = {
    command: 'a',
    shell: 'cmd',
    environment: null,
    working_directory: null,
    configuration_name: null,
    triggers: mapValue([
      ['v', '1'],
      ['w', '2'],
    ]),
  };
  expect(
    changedInputs(base, {
      ...base,
      triggers: mapValue([
        ['w', '2'],
        ['v', '1'],
      ]),
    }),
  ).toEqual([]);
  expect(
    changedInputs(base, {
      ...base,
      triggers: mapValue([
        ['v', '2'],
        ['w', '2'],
      ]),
    }),
  ).toEqual(['triggers']);
  expect(changedInputs(base, { ...base, command: unknown, environment: mapValue([['K', unknown]]) })).toEqual(['command', 'environment']);
  expect(changedInputs(base, { ...base, shell: 'powershell', working_directory: 'C:\\x' })).toEqual(['shell', 'working_directory']);
});

test('environment variable names must be non-empty and without "=" (validated before any host)', () => {
  const validators = commandSchema.attributes.environment.options.validators as ReadonlyArray<(v: unknown) => string | undefined>;
  const problems = (env: Record<string, string>) => validators.map((v) => v(env)).filter(Boolean);
  expect(problems({ PATH_EXTRA: 'x', A_B: '' })).toEqual([]);
  expect(problems({ '': 'x' })).toEqual(['environment variable names must be non-empty and without "=", got ""']);
  expect(problems({ 'A=B': 'x' })).toEqual(['environment variable names must be non-empty and without "=", got "A=B"']);
});
