/** hclog-shaped JSON logs, levels from TF_LOG / TF_LOG_PROVIDER, and redaction of sensitive values. */
import { createLogger, thresholdFromEnv } from '../../src/tfplugin/log/logger';
import { REDACTED, redactSensitive } from '../../src/tfplugin/log/redact';
import { mapValue } from '../../src/tfplugin/cty/values';
import { attr, block, defineSchema, nested } from '../../src/tfplugin/schema/schema';
import { t } from '../../src/tfplugin/cty/types';

test.each<[NodeJS.ProcessEnv, string]>([
  [{}, 'off'],
  [{ TF_LOG: 'off' }, 'off'],
  [{ TF_LOG: 'DEBUG' }, 'debug'],
  [{ TF_LOG: 'json' }, 'trace'],
  [{ TF_LOG: 'bogus' }, 'trace'],
  [{ TF_LOG: 'error', TF_LOG_PROVIDER: 'INFO' }, 'info'],
  [{ TF_LOG: 'trace', TF_LOG_PROVIDER: 'off' }, 'off'],
])('threshold from %j is %s', (env, level) => {
  expect(thresholdFromEnv(env)).toBe(level);
});

test('JSON lines with @level, @message, @module, a microsecond @timestamp and fields; below threshold dropped', () => {
  const lines: string[] = [];
  const log = createLogger({ module: 'provider.test', threshold: 'info', write: (l) => lines.push(l) }).with({ rpc: 'PlanResourceChange' });
  log.debug('hidden');
  log.info('planned', { big: 12n, bytes: Buffer.from('abc'), err: new Error('bad') });
  expect(lines).toHaveLength(1);
  expect(lines[0]!.endsWith('\n')).toBe(true);
  const entry = JSON.parse(lines[0]!);
  expect(entry).toMatchObject({ '@level': 'info', '@message': 'planned', '@module': 'provider.test', rpc: 'PlanResourceChange', big: '12', bytes: '<3 bytes>' });
  expect(entry.err).toMatch(/^Error: bad/);
  expect(entry['@timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  expect(log.enabled('warn')).toBe(true);
  expect(log.enabled('debug')).toBe(false);
});

test('redactSensitive hides sensitive attributes, also nested ones, and leaves the rest', () => {
  const schema = defineSchema({
    attributes: {
      user: attr.required(t.string),
      password: attr.optional(t.string, { sensitive: true }),
      creds: attr.optional(nested.map({ key: attr.required(t.string, { sensitive: true }), note: attr.optional(t.string) })),
    },
    blocks: { auth: block.list({ attributes: { token: attr.optional(t.string, { sensitive: true }) } }) },
  });
  const value = {
    user: 'u',
    password: 'hunter2',
    creds: mapValue([['a', { key: 'k1', note: 'n' }]]),
    auth: [{ token: 't1' }, { token: null }],
  };
  const redacted = redactSensitive(schema, value);
  expect(redacted).toEqual({ user: 'u', password: REDACTED, creds: { a: { key: REDACTED, note: 'n' } }, auth: [{ token: REDACTED }, { token: null }] });
  expect(JSON.stringify(redacted)).not.toMatch(/hunter2|k1|t1/);
  expect(value.password).toBe('hunter2'); // the original is untouched
});
