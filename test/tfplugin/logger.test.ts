/** hclog-shaped JSON logs, levels from TF_LOG / TF_LOG_PROVIDER, and redaction of sensitive values. */
import { createLogger, thresholdFromEnv } from '../../src/tfplugin/log/logger';
import { rememberSensitive, unknownAttributes } from '../../src/tfplugin/log/redact';
import { MASK as REDACTED } from '../../src/tfplugin/log/safe-text';
import { mapValue, unknown } from '../../src/tfplugin/cty/values';
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
  expect(entry).toMatchObject({
    '@level': 'info',
    '@message': 'planned',
    '@module': 'provider.test',
    rpc: 'PlanResourceChange',
    big: '12',
    bytes: '<3 bytes>',
  });
  expect(entry.err).toMatch(/^Error: bad/);
  expect(entry['@timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  expect(log.enabled('warn')).toBe(true);
  expect(log.enabled('debug')).toBe(false);
});

test('sensitive attributes (by schema, nested ones too) are masked wherever their values show up later', () => {
  const schema = defineSchema({
    attributes: {
      user: attr.required(t.string),
      password: attr.optional(t.string, { sensitive: true }),
      creds: attr.optional(nested.map({ key: attr.required(t.string, { sensitive: true }), note: attr.optional(t.string) })),
    },
    blocks: { auth: block.list({ attributes: { token: attr.optional(t.string, { sensitive: true }) } }) },
  });
  rememberSensitive(schema, {
    user: 'plain-user',
    password: 'hunter2-pass',
    creds: mapValue([['a', { key: 'key-k1-secret', note: 'a note' }]]),
    auth: [{ token: 'token-t1-secret' }, { token: null }],
  });
  const lines: string[] = [];
  const log = createLogger({ module: 'provider.test', threshold: 'trace', write: (l) => lines.push(l) });
  log.error('host said: bad password hunter2-pass for plain-user', { error: new Error('echo key-k1-secret and token-t1-secret, a note') });
  const entry = JSON.parse(lines[0]!);
  expect(entry['@message']).toBe(`host said: bad password ${REDACTED} for plain-user`);
  expect(entry.error).toMatch(new RegExp(`^Error: echo ${REDACTED.replace(/[()]/g, '\\$&')} and .+, a note`));
  expect(lines[0]).not.toMatch(/hunter2|k1-secret|t1-secret/);
});

test('a plan log names the attributes planned unknown, never values', () => {
  const schema = defineSchema({
    attributes: {
      command: attr.required(t.string),
      stdout: attr.computed(t.string),
      items: attr.optional(nested.list({ id: attr.computed(t.string) })),
    },
  });
  expect(unknownAttributes(schema, { command: 'echo s3cret', stdout: unknown, items: [{ id: 'x' }, { id: unknown }] })).toEqual([
    'stdout',
    'items[1].id',
  ]);
});
