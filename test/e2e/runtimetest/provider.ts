/**
 * runtimetest: a provider for tests only, exercising every contract of the runtime with real terraform
 * (validation with paths, defaults, unknown computed values, requires-replace, private state, import,
 * drift, state upgrade, data sources, Ctrl-C). Items live as JSON files in a directory.
 */
import {
  attr,
  block,
  defineDataSource,
  defineProvider,
  defineResource,
  defineSchema,
  DiagnosticError,
  integer,
  integerBetween,
  isUnknown,
  matches,
  nested,
  t,
  type Context,
  type State,
} from '../../../src/tfplugin';
import { ItemStore } from './item-store';

export interface RuntimetestState {
  store: ItemStore;
}

const providerSchema = defineSchema({
  attributes: {
    store_dir: attr.optional(t.string, { description: 'Directory holding the items; defaults to $RUNTIMETEST_STORE_DIR.' }),
    token: attr.optional(t.string, { sensitive: true, description: 'Must equal $RUNTIMETEST_TOKEN when that is set.' }),
  },
});

const itemSchema = defineSchema({
  version: 1,
  description: 'An item in the store.',
  attributes: {
    id: attr.computed(t.string, { keepOnUpdate: true }),
    name: attr.required(t.string, {
      requiresReplace: true,
      validators: [matches(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and "-"')],
    }),
    port: attr.optionalComputed(integer, { default: 8080, validators: [integerBetween(1, 65535)] }),
    tags: attr.optional(t.map(t.string)),
    labels: attr.optional(nested.map({ value: attr.required(t.string, { description: 'The label text.' }) }), {
      description: 'Labels, by name.',
    }),
    secret: attr.optional(t.string, { sensitive: true }),
    label: attr.optional(t.string, { deprecated: 'Use tags.' }),
    revision: attr.computed(integer),
    delay_ms: attr.optional(integer, { validators: [integerBetween(0, 600_000)] }),
  },
  blocks: {
    rule: block.list(
      {
        description: 'A port rule.',
        attributes: { port: attr.required(integer, { validators: [integerBetween(1, 65535)] }), note: attr.optional(t.string) },
      },
      { maxItems: 3 },
    ),
  },
});
type Item = State<typeof itemSchema>;

/** Sleeps, but returns early (with an error) when terraform stops the provider. */
function sleep(ctx: Context, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    ctx.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('stopped while waiting'));
    });
  });
}

/** The store keeps the state's attributes as JSON; maps come back as plain objects, which encode alike. */
const load = (store: ItemStore, id: string): Item | null => (store.get(id) as Item | undefined) ?? null;
/** Items are stored under "item-<name>"; a state without an id (an upgraded state) derives it from the name. */
const itemId = (name: string): string => `item-${name}`;
const idOf = (item: { id: string | null; name: string }): string => item.id ?? itemId(item.name);

const item = defineResource<RuntimetestState>()({
  typeName: 'runtimetest_item',
  schema: itemSchema,
  validate(ctx, config) {
    if (!isUnknown(config.port) && config.port === 22 && config.name === 'web')
      ctx.diagnostics.error('Port 22 is reserved', 'The item "web" cannot use port 22.', ['port']);
  },
  plan(ctx, { prior, planned }) {
    if (typeof planned.port === 'number' && planned.port < 1024)
      ctx.diagnostics.warning('Privileged port', `Port ${planned.port} needs privileges.`, ['port']);
    // A drifted item (revision changed behind terraform's back) is replaced to restore it.
    if (prior && (prior.revision ?? 0) < 0)
      return { requiresReplace: [['revision']], planned: { ...planned, revision: isUnknown(planned.revision) ? planned.revision : -1 } };
    return undefined;
  },
  async create(ctx, { planned, config }) {
    console.log('create called: this must not reach stdout');
    if (config.delay_ms) await sleep(ctx, config.delay_ms);
    const id = itemId(config.name);
    if (ctx.provider.store.get(id))
      throw new DiagnosticError('Item exists', `"${config.name}" exists already: import it with id "${config.name}".`, ['name']);
    const state: Item = { ...config, id, port: Number(planned.port), revision: 1 };
    ctx.provider.store.put(id, state);
    return { state, private: { origin: 'create' } };
  },
  async read(ctx, { state, private: priv }) {
    if (!priv.origin) ctx.diagnostics.error('Private state lost', 'The private state written at create/import did not come back.');
    return { state: load(ctx.provider.store, idOf(state)) };
  },
  async update(ctx, { prior, config, planned }) {
    if (config.delay_ms) await sleep(ctx, config.delay_ms);
    const id = idOf(prior);
    const state: Item = { ...config, id, port: Number(planned.port), revision: (prior.revision ?? 0) + 1 };
    ctx.provider.store.put(id, state);
    return { state };
  },
  async delete(ctx, { prior }) {
    ctx.provider.store.delete(idOf(prior));
  },
  async import(_ctx, { id }) {
    return { state: { id: itemId(id), name: id }, private: { origin: 'import' } };
  },
  upgrade(_ctx, { version, state }) {
    // Version 0 called the port "listen_port".
    if (version !== 0) throw new DiagnosticError('Unexpected state version', String(version));
    const { listen_port, ...rest } = state;
    return { ...rest, port: listen_port ?? null };
  },
});

const items = defineDataSource<RuntimetestState>()({
  typeName: 'runtimetest_items',
  schema: defineSchema({
    description: 'Names of the items in the store.',
    attributes: { prefix: attr.optional(t.string), names: attr.computed(t.list(t.string), { description: 'Sorted by id.' }) },
  }),
  async read(ctx, { config }) {
    const names = ctx.provider.store
      .ids()
      .map((id) => String(ctx.provider.store.get(id)!.name))
      .filter((n) => n.startsWith(config.prefix ?? ''));
    return { prefix: config.prefix, names };
  },
});

export const runtimetestProvider = defineProvider({
  name: 'runtimetest',
  schema: providerSchema,
  configure(ctx, { config }): RuntimetestState {
    if (isUnknown(config.store_dir) || isUnknown(config.token))
      throw new DiagnosticError('Provider configuration depends on unknown values');
    const dir = config.store_dir ?? process.env.RUNTIMETEST_STORE_DIR;
    if (!dir) throw new DiagnosticError('No store directory', 'Set store_dir or RUNTIMETEST_STORE_DIR.', ['store_dir']);
    const expected = process.env.RUNTIMETEST_TOKEN;
    if (expected && config.token !== expected)
      ctx.diagnostics.error('Wrong token', 'The token does not match RUNTIMETEST_TOKEN.', ['token']);
    return { store: new ItemStore(dir) };
  },
  resources: [item],
  dataSources: [items],
  functions: [],
});
