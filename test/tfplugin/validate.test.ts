/** Configuration validation: validators on known values, integer checks, deprecations — each at its path. */
import { BigNumber } from '../../src/tfplugin/cty/number';
import { t } from '../../src/tfplugin/cty/types';
import { mapValue, unknown, type Value } from '../../src/tfplugin/cty/values';
import { Diagnostics } from '../../src/tfplugin/diagnostics';
import { validateConfig, validateObject } from '../../src/tfplugin/runtime/validate';
import { attr, block, defineSchema, integer, nested } from '../../src/tfplugin/schema/schema';
import { integerBetween, matches, oneOf } from '../../src/tfplugin/schema/validators';

const schema = defineSchema({
  attributes: {
    name: attr.required(t.string, { validators: [matches(/^[a-z]+$/, 'lower-case letters')] }),
    mode: attr.optional(t.string, { validators: [oneOf('Block', 'Drop')] }),
    timeout: attr.optional(integer, { validators: [integerBetween(60, 2147483)] }),
    legacy: attr.optional(t.string, { deprecated: 'Use mode.' }),
    envs: attr.optional(nested.map({ value: attr.required(t.string, { validators: [matches(/^\S*$/, 'without spaces')] }) })),
  },
  blocks: {
    rule: block.list({ attributes: { port: attr.required(integer, { validators: [integerBetween(1, 65535)] }) } }),
    tag: block.set({ attributes: { key: attr.required(t.string, { validators: [matches(/^k/, 'starting with k')] }) } }),
  },
});

function validate(v: Record<string, Value>) {
  const diags = new Diagnostics();
  validateObject(schema, { name: 'ok', mode: null, timeout: null, legacy: null, envs: null, rule: [], tag: [], ...v }, diags);
  return diags.items.map((d) => ({ severity: d.severity, path: d.path, detail: d.detail }));
}

test('a valid configuration has no diagnostics', () => {
  expect(validate({ mode: 'Drop', timeout: 60, rule: [{ port: 443 }] })).toEqual([]);
});

test('each problem is reported at its own path', () => {
  expect(
    validate({
      name: 'Bad',
      timeout: 30,
      envs: mapValue([['PATH', { value: 'a b' }]]),
      rule: [{ port: 80 }, { port: 70000 }],
      tag: [{ key: 'x' }],
    }),
  ).toEqual([
    { severity: 'error', path: ['name'], detail: 'must be lower-case letters, got "Bad"' },
    { severity: 'error', path: ['timeout'], detail: 'must be a whole number from 60 to 2147483, got 30' },
    { severity: 'error', path: ['envs', { key: 'PATH' }, 'value'], detail: 'must be without spaces, got "a b"' },
    { severity: 'error', path: ['rule', 1, 'port'], detail: 'must be a whole number from 1 to 65535, got 70000' },
    // set elements have no key: the path stops at the set
    { severity: 'error', path: ['tag'], detail: 'must be starting with k, got "x"' },
  ]);
});

test('integer attributes refuse fractions and numbers beyond 2^53 before any validator', () => {
  expect(validate({ timeout: 90.5 })).toEqual([{ severity: 'error', path: ['timeout'], detail: 'must be a whole number, got 90.5' }]);
  expect(validate({ timeout: new BigNumber('90000000000000000000') })).toEqual([
    { severity: 'error', path: ['timeout'], detail: expect.stringMatching(/between -2\^53 and 2\^53/) },
  ]);
});

test("the definition's own checks add no second error where the schema already rejected the attribute", async () => {
  const diags = new Diagnostics();
  const config = { name: 'ok', mode: null, timeout: 90.5, legacy: null, envs: null, rule: [], tag: [] };
  await validateConfig(schema, config, diags, () => {
    diags.error('Invalid timeout', 'timeout must be a whole number', ['timeout']);
    diags.warning('Long timeout', 'timeout is long', ['timeout']);
    diags.error('Invalid name', 'name is taken', ['name']);
  });
  expect(diags.items.map((d) => [d.severity, d.summary])).toEqual([
    ['error', 'Invalid value for "timeout"'],
    ['warning', 'Long timeout'],
    ['error', 'Invalid name'],
  ]);
});

test('unknown values are not validated yet (they are again once known)', () => {
  expect(validate({ name: unknown, timeout: unknown, rule: [{ port: unknown }] })).toEqual([]);
});

test('setting a deprecated attribute warns at its path', () => {
  expect(validate({ legacy: 'x' })).toEqual([{ severity: 'warning', path: ['legacy'], detail: '"legacy" is deprecated: Use mode.' }]);
});

test('an explicit null for a required attribute is refused at its path, nested ones included', () => {
  expect(validate({ name: null, envs: mapValue([['PATH', { value: null }]]), rule: [{ port: null }] })).toEqual([
    { severity: 'error', path: ['name'], detail: '"name" is required; null is not a value for it' },
    { severity: 'error', path: ['envs', { key: 'PATH' }, 'value'], detail: '"value" is required; null is not a value for it' },
    { severity: 'error', path: ['rule', 0, 'port'], detail: '"port" is required; null is not a value for it' },
  ]);
});
