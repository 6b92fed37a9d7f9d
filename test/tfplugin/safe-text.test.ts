/**
 * Host text in what the provider prints: every diagnostic and log string is capped, cleaned of
 * terminal control sequences, and masked for secrets and Authorization values.
 */
import { Diagnostics } from '../../src/tfplugin/diagnostics';
import { diagnosticsProto } from '../../src/tfplugin/runtime/diagnostics-proto';
import { MASK, rememberSecret, safeText } from '../../src/tfplugin/log/safe-text';
import { createLogger } from '../../src/tfplugin/log/logger';

const ESC = '\x1b';

test('terminal escape sequences and other controls are removed; newlines and tabs stay', () => {
  const hostile = `${ESC}[2J${ESC}]0;owned title\x07Service ${ESC}[31mUnavailable${ESC}[0m\r\n\tline two\x00\x08\u202e`;
  expect(safeText(hostile, 1000)).toBe('Service Unavailable\n\tline two');
});

test('a 15 MB text is cut to the limit, saying how much was left out', () => {
  const huge = 'The WS-Management service cannot process the request. '.repeat(300_000);
  const out = safeText(huge, 8000);
  expect(out.length).toBeLessThan(8100);
  expect(out).toMatch(/… \(about \d+ more characters not shown\)$/);
});

test('remembered secrets and any Authorization header value are masked', () => {
  rememberSecret('correct-horse-battery');
  expect(safeText('bad password correct-horse-battery', 1000)).toBe(`bad password ${MASK}`);
  expect(safeText('proxy echo: Authorization: Basic dmFncmFudDp2YWdyYW50\nnext', 1000)).toBe(
    `proxy echo: Authorization: Basic ${MASK}\nnext`,
  );
  expect(safeText('<p>authorization="Negotiate TlRMTVNTUAAB"</p>', 1000)).toBe(`<p>authorization="Negotiate ${MASK}"</p>`);
  // a secret across the cut is masked, not half shown
  expect(safeText(`${'x'.repeat(10)}correct-horse-battery`, 15)).not.toMatch(/corr/);
});

test('every diagnostic leaving the provider is cleaned and capped', () => {
  const diags = new Diagnostics();
  diags.error(`HTTP 500 ${ESC}[2J`, `${ESC}]0;title\x07${'fault text '.repeat(1_500_000)}`);
  const [d] = diagnosticsProto(diags);
  expect(d!.summary).toBe('HTTP 500 ');
  expect(d!.detail!.length).toBeLessThan(8100);
  expect(d!.detail).not.toContain(ESC);
});

test('every log string is cleaned and capped', () => {
  const lines: string[] = [];
  const log = createLogger({ module: 'provider.test', threshold: 'debug', write: (l) => lines.push(l) });
  log.debug(`fault ${ESC}[2J`, { body: 'x'.repeat(1_000_000), error: new Error(`${ESC}]0;t\x07boom`) });
  const entry = JSON.parse(lines[0]!);
  expect(entry['@message']).toBe('fault ');
  expect(entry.body.length).toBeLessThan(17_000);
  expect(entry.error).toMatch(/^Error: boom/);
});
