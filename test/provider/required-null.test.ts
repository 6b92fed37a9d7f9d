/**
 * Every resource and data source of the provider refuses an explicit null for each required attribute
 * at validation, before any handler (which would otherwise read a property of null) or host sees it.
 */
import { Diagnostics } from '../../src/tfplugin/diagnostics';
import { validateConfig } from '../../src/tfplugin/runtime/validate';
import { emptyObject } from '../../src/tfplugin/schema/empty-object';
import { erase } from '../../src/tfplugin/runtime/erased';
import { psremotingProvider } from '../../src/provider/provider';

const provider = erase(psremotingProvider);
const definitions = [...provider.resources, ...provider.dataSources].map((d) => [d.typeName, d] as const);

test.each(definitions)('%s: every required attribute set to null is an error at its path', async (_name, def) => {
  const required = Object.entries(def.schema.attributes)
    .filter(([, a]) => a.mode === 'required')
    .map(([n]) => n);
  expect(required.length).toBeGreaterThan(0);
  for (const name of required) {
    const config = { ...emptyObject(def.schema), ...Object.fromEntries(required.map((r) => [r, r === name ? null : 'x'])) };
    const diags = new Diagnostics();
    const ctx = { diagnostics: diags } as Parameters<NonNullable<typeof def.validate>>[0];
    await validateConfig(def.schema, config, diags, () => def.validate?.(ctx, config));
    expect(diags.items.filter((d) => d.severity === 'error').map((d) => d.path)).toContainEqual([name]);
  }
});
