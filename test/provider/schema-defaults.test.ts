import { attr, defineSchema, integer, t } from '../../src/tfplugin';
import { schemaDefaults } from '../../src/provider/schema-defaults';
import { commandSchema } from '../../src/provider/resources/command/command-schema';

test('the defaults a schema declares fill what terraform left null; set values stay', () => {
  const withDefaults = schemaDefaults(commandSchema);
  const unset = withDefaults({ host: 'web1', shell: null, timeout_sec: null, fail_on_nonzero_exit: null });
  expect(unset).toEqual({ host: 'web1', shell: 'powershell', timeout_sec: 600, fail_on_nonzero_exit: true });
  const set = withDefaults({ host: 'web1', shell: 'cmd', timeout_sec: 5, fail_on_nonzero_exit: false });
  expect(set).toEqual({ host: 'web1', shell: 'cmd', timeout_sec: 5, fail_on_nonzero_exit: false });
});

test('an optional and computed attribute without a default is refused when the schema is taken', () => {
  const schema = defineSchema({
    attributes: { count: attr.optionalComputed(integer, { default: 1 }), label: attr.optionalComputed(t.string) },
  });
  expect(() => schemaDefaults(schema)).toThrow(/label is optional and computed but declares no default/);
});
