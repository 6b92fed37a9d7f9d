/**
 * The defaults a schema declares (`attr.optionalComputed(type, { default })`), applied where terraform
 * leaves them null. The plan fills them in, but an apply's configuration still has them unset, so a
 * handler working from the configuration applies the same declaration instead of copying each default
 * by hand.
 */
import type { Value } from '../tfplugin';
import { defaultOf, type Attributes, type Schema } from '../tfplugin/schema/schema';

/** Attributes that are optional and computed: in a schema given to `schemaDefaults`, each declares a default. */
type DefaultedKey<A extends Attributes> = { [K in keyof A]: A[K]['mode'] extends 'optional+computed' ? K : never }[keyof A];

/** The values with every defaulted attribute non-null. */
export type WithDefaults<V, K extends PropertyKey> = { [P in keyof V]: P extends K ? NonNullable<V[P]> : V[P] };

/**
 * A function that fills a schema's declared defaults into values where they are null. Every optional
 * and computed attribute of the schema must declare a default (anything else would be typed non-null
 * wrongly): a schema that breaks this fails at declaration, when its module loads.
 */
export function schemaDefaults<A extends Attributes>(
  schema: Schema<A>,
): <V extends { readonly [K in DefaultedKey<A>]: unknown }>(values: V) => WithDefaults<V, DefaultedKey<A>> {
  const defaults: Array<[string, Value]> = [];
  for (const [name, spec] of Object.entries(schema.attributes)) {
    if (spec.mode !== 'optional+computed') continue;
    const fallback = defaultOf(spec);
    if (fallback === undefined) throw new Error(`schemaDefaults: ${name} is optional and computed but declares no default`);
    defaults.push([name, fallback]);
  }
  return <V extends { readonly [K in DefaultedKey<A>]: unknown }>(values: V) => {
    const out: Record<string, unknown> = { ...values };
    for (const [name, fallback] of defaults) if (out[name] === null || out[name] === undefined) out[name] = fallback;
    return out as WithDefaults<V, DefaultedKey<A>>;
  };
}
