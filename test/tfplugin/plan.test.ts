/** The runtime's derived plan: terraform's lifecycle rules for computed values, defaults and replacement. */
import { t } from '../../src/tfplugin/cty/types';
import { mapValue, unknown, type Value } from '../../src/tfplugin/cty/values';
import { derivePlan } from '../../src/tfplugin/runtime/plan';
import { attr, block, defineSchema, integer, nested } from '../../src/tfplugin/schema/schema';

const schema = defineSchema({
  attributes: {
    id: attr.computed(t.string, { keepOnUpdate: true }),
    host: attr.required(t.string, { requiresReplace: true }),
    timeout: attr.optionalComputed(integer), // "unset means filled from the host"
    mode: attr.optionalComputed(t.string, { default: 'Block' }),
    shared: attr.optionalComputed(t.bool, { keepOnUpdate: true }),
    reported: attr.computed(t.map(t.string)),
    note: attr.optional(t.string),
    envs: attr.optional(nested.map({ value: attr.required(t.string), resolved: attr.computed(t.string) })),
  },
  blocks: { rule: block.list({ attributes: { port: attr.required(integer, { requiresReplace: true }), id: attr.computed(t.string) } }) },
});

const nulls = { id: null, host: null, timeout: null, mode: null, shared: null, reported: null, note: null, envs: null, rule: [] };
const config = (v: Record<string, Value>): Record<string, Value> => ({ ...nulls, ...v });
const prior = {
  id: 'h/x',
  host: 'h',
  timeout: 7200,
  mode: 'Block',
  shared: false,
  reported: mapValue([['a', 'b']]),
  note: 'n',
  envs: mapValue([['A', { value: '1', resolved: 'r1' }]]),
  rule: [{ port: 80, id: 'r80' }],
};
/** terraform's proposed new state: configured values, else prior values of computed attributes. */
function proposed(cfg: Record<string, Value>, p: Record<string, Value> | null): Record<string, Value> {
  const out: Record<string, Value> = { ...cfg };
  for (const k of ['id', 'timeout', 'mode', 'shared', 'reported']) if (cfg[k] === null) out[k] = p ? p[k]! : null;
  return out;
}

test('create: computed values unknown, defaults planned, configured values kept, nothing to replace', () => {
  const cfg = config({ host: 'h', note: 'n', rule: [{ port: 80, id: null }] });
  const { planned, requiresReplace } = derivePlan(schema, null, cfg, proposed(cfg, null));
  expect(planned).toEqual({
    ...cfg,
    id: unknown,
    timeout: unknown,
    mode: 'Block',
    shared: unknown,
    reported: unknown,
    rule: [{ port: 80, id: unknown }],
  });
  expect(requiresReplace).toEqual([]);
});

test('no change: the prior state is the plan', () => {
  const cfg = config({ host: 'h', note: 'n', envs: mapValue([['A', { value: '1', resolved: null }]]), rule: [{ port: 80, id: null }] });
  const prop = { ...proposed(cfg, prior), envs: prior.envs, rule: prior.rule };
  expect(derivePlan(schema, prior, cfg, prop).planned).toEqual(prior);
});

test('update: unset computed values become unknown unless keepOnUpdate; defaults stay known', () => {
  const cfg = config({ host: 'h', note: 'changed', rule: [{ port: 80, id: null }] });
  const prop = { ...proposed(cfg, prior), rule: prior.rule };
  const { planned, requiresReplace } = derivePlan(schema, prior, cfg, prop);
  expect(planned).toMatchObject({ id: 'h/x', shared: false, mode: 'Block', timeout: unknown, reported: unknown, note: 'changed' });
  expect((planned as Record<string, Value>).rule).toEqual([{ port: 80, id: unknown }]);
  expect(requiresReplace).toEqual([]);
});

test('a default that differs from the prior value (drift) makes an update on its own', () => {
  const cfg = config({ host: 'h', note: 'n', envs: prior.envs, rule: [{ port: 80, id: null }] });
  const drifted = { ...prior, mode: 'Drop' };
  const prop = { ...proposed(cfg, drifted), envs: prior.envs, rule: prior.rule };
  expect(derivePlan(schema, drifted, cfg, prop).planned).toMatchObject({ mode: 'Block', id: 'h/x', timeout: unknown, reported: unknown });
});

test('nested values are planned element by element (map by key)', () => {
  const cfg = config({
    host: 'h',
    envs: mapValue([
      ['A', { value: '2', resolved: null }],
      ['B', { value: '3', resolved: null }],
    ]),
  });
  const { planned } = derivePlan(schema, prior, cfg, proposed(cfg, prior));
  expect((planned as Record<string, Value>).envs).toEqual({ A: { value: '2', resolved: unknown }, B: { value: '3', resolved: unknown } });
});

test('requires-replace paths: changed attributes, also inside blocks', () => {
  const cfg = config({ host: 'other', note: 'n', rule: [{ port: 81, id: null }] });
  const { requiresReplace } = derivePlan(schema, prior, cfg, proposed(cfg, prior));
  expect(requiresReplace).toEqual([['host'], ['rule', 0, 'port']]);
});

test('a configured value is never replaced, even for optional+computed attributes', () => {
  const cfg = config({ host: 'h', timeout: 60, mode: 'Drop' });
  const { planned } = derivePlan(schema, prior, cfg, proposed(cfg, prior));
  expect(planned).toMatchObject({ timeout: 60, mode: 'Drop' });
});

test('destroy (proposed null) plans null', () => {
  expect(derivePlan(schema, prior, null, null)).toEqual({ planned: null, requiresReplace: [] });
});
