/**
 * tfplugin6 RPCs over provider definitions, in process: requests are built and responses read through
 * the generated codecs, values through the cty codec — what terraform sends and gets.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMsgpack, encodeMsgpack } from '../../src/tfplugin/cty/msgpack-codec';
import { t, type CtyType } from '../../src/tfplugin/cty/types';
import { mapValue, unknown, type Value } from '../../src/tfplugin/cty/values';
import { defineFunction } from '../../src/tfplugin/contracts/function';
import { defineProvider } from '../../src/tfplugin/contracts/provider';
import { defineResource } from '../../src/tfplugin/contracts/resource';
import { FunctionError } from '../../src/tfplugin/diagnostics';
import { ProviderService } from '../../src/tfplugin/generated/tfplugin6';
import type { Method } from '../../src/tfplugin/grpc/grpc-server';
import { createLogger } from '../../src/tfplugin/log/logger';
import { decodeMessage, encodeMessage, type DeepPartial, type MessageCodec } from '../../src/tfplugin/protobuf/wire';
import { providerMethods } from '../../src/tfplugin/runtime/provider-server';
import { blockTypeOf } from '../../src/tfplugin/schema/implied-type';
import { attr, defineSchema } from '../../src/tfplugin/schema/schema';
import { runtimetestProvider } from '../e2e/runtimetest/provider';

type Descriptor<Req, Res> = { path: string; request: MessageCodec<Req>; response: MessageCodec<Res> };

const logs: string[] = [];
const log = createLogger({ module: 'test', threshold: 'trace', write: (l) => logs.push(l) });

function client(def: Parameters<typeof providerMethods>[0]) {
  const methods = providerMethods(def, log);
  /** Calls an RPC with the request as terraform would encode it; returns the response as decoded. */
  return async <Req, Res>(d: Descriptor<Req, Res>, req: DeepPartial<Req>, signal = new AbortController().signal): Promise<Res> => {
    const m = methods.get(d.path) as Extract<Method, { kind: 'unary' }>;
    const decodedReq = decodeMessage(d.request, encodeMessage(d.request, req));
    const res = await m.handle(decodedReq, { signal });
    return decodeMessage(d.response, encodeMessage(d.response as MessageCodec<unknown>, res as never));
  };
}

const P = ProviderService;
const itemType = blockTypeOf(runtimetestProvider.resources[0]!.schema);
const providerType = blockTypeOf(runtimetestProvider.schema);
const dv = (v: Value, type: CtyType = itemType) => ({ msgpack: encodeMsgpack(v, type) });
const value = (d: { msgpack: Uint8Array } | undefined, type: CtyType = itemType) =>
  decodeMsgpack(d!.msgpack, type) as Record<string, Value>;
const item = (v: Record<string, Value>): Record<string, Value> => ({
  id: null,
  name: 'web',
  port: null,
  tags: null,
  labels: null,
  secret: null,
  label: null,
  revision: null,
  delay_ms: null,
  rule: [],
  ...v,
});
const steps = (d: { attribute?: { steps: object[] } }) => d.attribute?.steps;

let store: string;
let call: ReturnType<typeof client>;
// runtimetest's create logs to prove stdout hygiene in a real process; in process it is only noise.
beforeAll(() => jest.spyOn(console, 'log').mockImplementation(() => undefined));
afterAll(() => jest.restoreAllMocks());
beforeEach(async () => {
  store = mkdtempSync(join(tmpdir(), 'runtimetest-store-'));
  call = client(runtimetestProvider);
  await call(P.ConfigureProvider, { config: dv({ store_dir: store, token: null }, providerType) });
});
afterEach(() => rmSync(store, { recursive: true, force: true }));

test('GetProviderSchema: provider, resource and data source schemas, with the capabilities terraform 1.11 uses', async () => {
  const res = await call(P.GetProviderSchema, {});
  expect(Object.keys(res.resourceSchemas)).toEqual(['runtimetest_item']);
  expect(Object.keys(res.dataSourceSchemas)).toEqual(['runtimetest_items']);
  expect(res.resourceSchemas.runtimetest_item!.version).toBe(1);
  expect(res.provider!.block!.attributes.find((a) => a.name === 'token')!.sensitive).toBe(true);
  expect(res.serverCapabilities).toEqual({ getProviderSchemaOptional: true, planDestroy: true, moveResourceState: false });
});

test('ValidateResourceConfig: diagnostics at attribute paths (attributes, list blocks), deprecations, the resource hook', async () => {
  const res = await call(P.ValidateResourceConfig, {
    typeName: 'runtimetest_item',
    config: dv(
      item({
        name: 'Web',
        port: 70000,
        label: 'x',
        rule: [
          { port: 1, note: null },
          { port: 0, note: null },
        ],
      }),
    ),
  });
  expect(res.diagnostics.map((d) => [d.severity, steps(d)])).toEqual([
    [1, [{ attributeName: 'name' }]],
    [1, [{ attributeName: 'port' }]],
    [2, [{ attributeName: 'label' }]],
    [1, [{ attributeName: 'rule' }, { elementKeyInt: 1 }, { attributeName: 'port' }]],
  ]);
  const hook = await call(P.ValidateResourceConfig, { typeName: 'runtimetest_item', config: dv(item({ name: 'web', port: 22 })) });
  expect(hook.diagnostics).toMatchObject([
    { severity: 1, summary: 'Port 22 is reserved', attribute: { steps: [{ attributeName: 'port' }] } },
  ]);
  const withUnknowns = await call(P.ValidateResourceConfig, {
    typeName: 'runtimetest_item',
    config: dv(item({ name: unknown, port: unknown })),
  });
  expect(withUnknowns.diagnostics).toEqual([]);
});

test('ConfigureProvider: errors at paths, unknown values refused, and secrets never logged', async () => {
  const fresh = client(runtimetestProvider);
  process.env.RUNTIMETEST_TOKEN = 'expected-secret';
  try {
    const wrong = await fresh(P.ConfigureProvider, { config: dv({ store_dir: store, token: 'guessed-secret' }, providerType) });
    expect(wrong.diagnostics).toMatchObject([{ severity: 1, summary: 'Wrong token', attribute: { steps: [{ attributeName: 'token' }] } }]);
  } finally {
    delete process.env.RUNTIMETEST_TOKEN;
  }
  const unknownDir = await fresh(P.ConfigureProvider, { config: dv({ store_dir: unknown, token: null }, providerType) });
  expect(unknownDir.diagnostics[0]!.summary).toMatch(/unknown values/);
  // without configuration, handlers that need the provider fail clearly
  const read = await fresh(P.ReadResource, {
    typeName: 'runtimetest_item',
    currentState: dv(item({ id: 'item-web', port: 1, revision: 1 })),
    private: Buffer.from('{"origin":"create"}'),
  });
  expect(read.diagnostics[0]).toMatchObject({ summary: 'Provider not configured' });
  expect(logs.join('')).not.toMatch(/guessed-secret|expected-secret/);
});

test('create → read → update → import → delete, with private state passed through', async () => {
  const cfg = item({ name: 'web', tags: mapValue([['env', 'test']]), secret: 's3cret' });
  const proposed = { ...cfg };
  const plan = await call(P.PlanResourceChange, {
    typeName: 'runtimetest_item',
    priorState: dv(null),
    config: dv(cfg),
    proposedNewState: dv(proposed),
  });
  expect(value(plan.plannedState)).toEqual({ ...cfg, id: unknown, port: 8080, revision: unknown });
  expect(plan.requiresReplace).toEqual([]);

  const created = await call(P.ApplyResourceChange, {
    typeName: 'runtimetest_item',
    priorState: dv(null),
    plannedState: plan.plannedState,
    config: dv(cfg),
    plannedPrivate: plan.plannedPrivate,
  });
  expect(created.diagnostics).toEqual([]);
  const state = value(created.newState);
  expect(state).toMatchObject({ id: 'item-web', port: 8080, revision: 1, secret: 's3cret' });
  expect(JSON.parse(Buffer.from(created.private).toString())).toEqual({ origin: 'create' });
  // the plan log names what is unknown and shows no value (terraform does not tell which are sensitive variables)
  expect(logs.join('')).toContain('"unknown":["id","revision"]');
  expect(logs.join('')).not.toContain('s3cret');

  const read = await call(P.ReadResource, { typeName: 'runtimetest_item', currentState: created.newState, private: created.private });
  expect(read.diagnostics).toEqual([]);
  expect(value(read.newState)).toEqual(state);
  expect(Buffer.from(read.private).equals(Buffer.from(created.private))).toBe(true);

  // drift: someone changed the port behind terraform's back
  const file = join(store, 'item-web.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), port: 9090 }));
  const drifted = await call(P.ReadResource, { typeName: 'runtimetest_item', currentState: created.newState, private: created.private });
  expect(value(drifted.newState).port).toBe(9090);

  const cfg2 = { ...cfg, port: 443 };
  const plan2 = await call(P.PlanResourceChange, {
    typeName: 'runtimetest_item',
    priorState: drifted.newState,
    config: dv(cfg2),
    proposedNewState: dv({ ...cfg2, id: 'item-web', revision: 1 }),
    priorPrivate: drifted.private,
  });
  expect(value(plan2.plannedState)).toMatchObject({ id: 'item-web', port: 443, revision: unknown });
  expect(plan2.diagnostics).toMatchObject([{ severity: 2, summary: 'Privileged port' }]);
  const updated = await call(P.ApplyResourceChange, {
    typeName: 'runtimetest_item',
    priorState: drifted.newState,
    plannedState: plan2.plannedState,
    config: dv(cfg2),
    plannedPrivate: plan2.plannedPrivate,
  });
  expect(value(updated.newState)).toMatchObject({ port: 443, revision: 2 });
  expect(JSON.parse(Buffer.from(updated.private).toString())).toEqual({ origin: 'create' });

  const imported = await call(P.ImportResourceState, { typeName: 'runtimetest_item', id: 'web' });
  expect(imported.importedResources).toHaveLength(1);
  expect(value(imported.importedResources[0]!.state)).toEqual(item({ id: 'item-web', name: 'web' }));
  const afterImport = await call(P.ReadResource, {
    typeName: 'runtimetest_item',
    currentState: imported.importedResources[0]!.state,
    private: imported.importedResources[0]!.private,
  });
  expect(value(afterImport.newState)).toMatchObject({ port: 443, revision: 2, tags: { env: 'test' } });

  const deleted = await call(P.ApplyResourceChange, {
    typeName: 'runtimetest_item',
    priorState: updated.newState,
    plannedState: dv(null),
    config: dv(null),
  });
  expect(deleted.diagnostics).toEqual([]);
  expect(decodeMsgpack(deleted.newState!.msgpack, itemType)).toBeNull();
  const gone = await call(P.ReadResource, { typeName: 'runtimetest_item', currentState: updated.newState, private: updated.private });
  expect(decodeMsgpack(gone.newState!.msgpack, itemType)).toBeNull();
});

test('requires-replace: declared attributes and the plan hook', async () => {
  const prior = item({ id: 'item-web', name: 'web', port: 8080, revision: -1 });
  const cfg = item({ name: 'api' });
  const plan = await call(P.PlanResourceChange, {
    typeName: 'runtimetest_item',
    priorState: dv(prior),
    config: dv(cfg),
    proposedNewState: dv({ ...cfg, id: 'item-web', port: 8080, revision: -1 }),
  });
  expect(plan.requiresReplace.map((p) => p.steps)).toEqual([[{ attributeName: 'name' }], [{ attributeName: 'revision' }]]);
});

test('a failing create returns no state and an error at the path the handler named', async () => {
  const cfg = item({ name: 'web' });
  const planned = { ...cfg, id: unknown, port: 8080, revision: unknown };
  await call(P.ApplyResourceChange, { typeName: 'runtimetest_item', priorState: dv(null), plannedState: dv(planned), config: dv(cfg) });
  const again = await call(P.ApplyResourceChange, {
    typeName: 'runtimetest_item',
    priorState: dv(null),
    plannedState: dv(planned),
    config: dv(cfg),
  });
  expect(again.newState).toBeUndefined();
  expect(again.diagnostics).toMatchObject([{ severity: 1, summary: 'Item exists', attribute: { steps: [{ attributeName: 'name' }] } }]);
});

test('UpgradeResourceState: an older version through the upgrade hook; the current one leniently; a newer one refused', async () => {
  const v0 = await call(P.UpgradeResourceState, {
    typeName: 'runtimetest_item',
    version: 0,
    rawState: { json: Buffer.from('{"id":"item-web","name":"web","listen_port":123456789012345678901,"revision":3,"rule":[]}') },
  });
  expect(v0.diagnostics).toEqual([]);
  expect(value(v0.upgradedState)).toMatchObject({
    id: 'item-web',
    port: expect.objectContaining({ text: '123456789012345678901' }),
    tags: null,
  });
  const v1 = await call(P.UpgradeResourceState, {
    typeName: 'runtimetest_item',
    version: 1,
    rawState: { json: Buffer.from('{"name":"web","removed":true}') },
  });
  expect(value(v1.upgradedState)).toEqual(item({ name: 'web' }));
  const v9 = await call(P.UpgradeResourceState, { typeName: 'runtimetest_item', version: 9, rawState: { json: Buffer.from('{}') } });
  expect(v9.upgradedState).toBeUndefined();
  expect(v9.diagnostics[0]!.summary).toBe('Stored state is newer than the provider');
});

test('ReadDataSource answers with a wholly known state', async () => {
  await call(P.ApplyResourceChange, {
    typeName: 'runtimetest_item',
    priorState: dv(null),
    plannedState: dv(item({ name: 'a1', id: unknown, port: 1, revision: unknown })),
    config: dv(item({ name: 'a1' })),
  });
  const type = blockTypeOf(runtimetestProvider.dataSources[0]!.schema);
  const res = await call(P.ReadDataSource, { typeName: 'runtimetest_items', config: dv({ prefix: 'a', names: null }, type) });
  expect(value(res.state, type)).toEqual({ prefix: 'a', names: ['a1'] });
});

test('unknown types and unsupported moves are diagnostics, not crashes', async () => {
  const res = await call(P.ValidateResourceConfig, { typeName: 'nope_thing', config: dv(null) });
  expect(res.diagnostics[0]).toMatchObject({ severity: 1, summary: 'Unknown resource type' });
  const move = await call(P.MoveResourceState, { sourceTypeName: 'a', targetTypeName: 'runtimetest_item' });
  expect(move.diagnostics[0]!.summary).toMatch(/not supported/);
});

describe('handler contract violations surface as provider-bug diagnostics', () => {
  const bad = defineResource<unknown>()({
    typeName: 'bad_thing',
    schema: defineSchema({ attributes: { id: attr.computed(t.string) } }),
    create: async () => ({ state: { id: unknown as never } }),
    read: async (_ctx, { state }) => ({ state }),
    update: async (_ctx, { prior }) => ({ state: prior }),
    delete: async () => undefined,
  });
  const def = defineProvider({
    name: 'bad',
    schema: defineSchema({ attributes: {} }),
    configure: () => ({}),
    resources: [bad],
    dataSources: [],
    functions: [],
  });
  test('an apply that returns unknown values', async () => {
    const c = client(def);
    await c(P.ConfigureProvider, { config: dv({}, blockTypeOf(def.schema)) });
    const type = blockTypeOf(bad.schema);
    const res = await c(P.ApplyResourceChange, {
      typeName: 'bad_thing',
      priorState: dv(null, type),
      plannedState: dv({ id: unknown }, type),
      config: dv({ id: null }, type),
    });
    expect(res.diagnostics[0]!.summary).toMatch(/Provider bug: create returned unknown values/);
  });
});

describe('functions', () => {
  const join2 = defineFunction({
    name: 'join2',
    parameters: [
      { name: 'separator', type: t.string },
      { name: 'first', type: t.string, allowNull: true },
    ],
    variadic: { name: 'rest', type: t.string },
    returns: t.string,
    call(_ctx, [sep, first], rest) {
      if (sep === '') throw new FunctionError('the separator is empty', 0);
      return [first ?? '', ...(rest as string[])].join(sep);
    },
  });
  const def = defineProvider({
    name: 'fn',
    schema: defineSchema({ attributes: {} }),
    configure: () => ({}),
    resources: [],
    dataSources: [],
    functions: [join2],
  });
  const arg = (v: Value) => ({ msgpack: encodeMsgpack(v, t.string) });

  test('are declared in the schema and called with their arguments (variadic too)', async () => {
    const c = client(def);
    const schema = await c(P.GetProviderSchema, {});
    expect(schema.functions.join2).toMatchObject({
      parameters: [{ name: 'separator' }, { name: 'first', allowNullValue: true }],
      variadicParameter: { name: 'rest' },
    });
    const res = await c(P.CallFunction, { name: 'join2', arguments: [arg('-'), arg(null), arg('b'), arg('c')] });
    expect(decodeMsgpack(res.result!.msgpack, t.string)).toBe('-b-c');
  });

  test('report errors with the argument they concern', async () => {
    const c = client(def);
    await expect(c(P.CallFunction, { name: 'join2', arguments: [arg(''), arg('a')] })).resolves.toMatchObject({
      error: { text: 'the separator is empty', functionArgument: 0 },
    });
    await expect(c(P.CallFunction, { name: 'join2', arguments: [arg(null), arg('a')] })).resolves.toMatchObject({
      error: { functionArgument: 0 },
    });
    await expect(c(P.CallFunction, { name: 'join2', arguments: [arg('-')] })).resolves.toMatchObject({
      error: { text: expect.stringMatching(/takes 2 argument/) },
    });
    const unknownFn = await c(P.CallFunction, { name: 'nope', arguments: [] });
    expect(unknownFn.error!.functionArgument).toBeUndefined();
  });
});
