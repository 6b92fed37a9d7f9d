/**
 * tfplugin6.Provider over a ProviderDefinition: decodes requests by schema, runs validation, planning
 * and the handlers, and answers with values and diagnostics. Loaded lazily on the first provider call.
 */
import { timed } from '../../common/profile';
import type { Context, PrivateData, ProviderContext } from '../contracts/context';
import { decodeJson, parseJson, type Json } from '../cty/json-codec';
import { decodeMsgpack, encodeMsgpack } from '../cty/msgpack-codec';
import type { CtyType } from '../cty/types';
import { isWhollyKnown, Unknown, type Value } from '../cty/values';
import type { ProviderDefinition } from '../contracts/provider';
import { DiagnosticError, Diagnostics, FunctionError, pathText } from '../diagnostics';
import { ProviderService, type DynamicValue } from '../generated/tfplugin6';
import { unary, type CallContext, type Method } from '../grpc/grpc-server';
import type { Logger } from '../log/logger';
import { rememberSensitive, unknownAttributes } from '../log/redact';
import { EMPTY_BYTES, type DeepPartial } from '../protobuf/wire';
import { emptyObject, withAbsentBlocks } from '../schema/empty-object';
import { blockTypeOf } from '../schema/implied-type';
import { functionProto, schemaProto } from '../schema/proto-schema';
import type { Schema } from '../schema/schema';
import { diagnosticsProto, errorDiagnostic, pathProto } from './diagnostics-proto';
import { derivePlan } from './plan';
import { erase, type ErasedDataSource, type ErasedFunction, type ErasedProvider, type ErasedResource } from './erased';
import { decodePrivate, encodePrivate } from './private-data';
import { validateConfig } from './validate';

const decodeValue = (dv: DynamicValue | undefined, type: CtyType): Value =>
  timed('cty', () => {
    if (dv?.msgpack.length) return decodeMsgpack(dv.msgpack, type);
    if (dv?.json.length) return decodeJson(parseJson(Buffer.from(dv.json).toString('utf8')), type);
    return null;
  });
/** A value decoded by its schema; the strings of its sensitive attributes are masked in every later log line and diagnostic. */
const decodeBy = (dv: DynamicValue | undefined, schema: Schema): Value => {
  const v = decodeValue(dv, blockTypeOf(schema));
  rememberSensitive(schema, v);
  return v;
};
const encodeValue = (v: Value, type: CtyType): DeepPartial<DynamicValue> => ({ msgpack: timed('cty', () => encodeMsgpack(v, type)) });

/** Terraform stores only wholly known states: an unknown left in a handler's result is a provider bug. */
function assertStorable(v: Value, what: string): void {
  if (!isWhollyKnown(v))
    throw new DiagnosticError(`Provider bug: ${what} returned unknown values`, 'States must be wholly known after apply, read or import.');
}

class ProviderRuntime {
  private stop = new AbortController();
  private configured: { value: unknown } | undefined;
  private schemaResponse: object | undefined;
  private readonly resources: Map<string, ErasedResource>;
  private readonly dataSources: Map<string, ErasedDataSource>;
  private readonly functions: Map<string, ErasedFunction>;

  constructor(
    private readonly def: ErasedProvider,
    private readonly log: Logger,
  ) {
    this.resources = new Map(def.resources.map((r) => [r.typeName, r]));
    this.dataSources = new Map(def.dataSources.map((d) => [d.typeName, d]));
    this.functions = new Map(def.functions.map((f) => [f.name, f]));
  }

  /** StopProvider: abort what is running; later calls get a fresh signal. */
  private stopAll(): void {
    this.stop.abort(new Error('terraform stopped the provider'));
    this.stop = new AbortController();
  }

  private context(call: CallContext, rpc: string, typeName?: string): Context {
    return {
      signal: AbortSignal.any([this.stop.signal, call.signal]),
      log: this.log.with(typeName ? { rpc, type: typeName } : { rpc }),
      diagnostics: new Diagnostics(),
    };
  }

  private withProvider(ctx: Context): ProviderContext<unknown> {
    const configured = this.configured;
    return {
      ...ctx,
      get provider() {
        if (!configured) throw new DiagnosticError('Provider not configured', 'Terraform called the provider before ConfigureProvider.');
        return configured.value;
      },
    };
  }

  /** Runs a handler; a throw becomes an error diagnostic and the fallback result. */
  private async guard<T>(ctx: Context, what: string, fallback: T, run: () => Promise<T> | T): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof DiagnosticError)) ctx.log.error(`${what} failed`, { error: err });
      errorDiagnostic(ctx.diagnostics, err, what, ctx.signal);
      return fallback;
    }
  }

  private lookup<T>(map: Map<string, T>, kind: string, typeName: string): T {
    const found = map.get(typeName);
    if (!found) throw new DiagnosticError(`Unknown ${kind} type`, `The provider ${this.def.name} has no ${kind} "${typeName}".`);
    return found;
  }

  methods(): Map<string, Method> {
    const P = ProviderService;
    return new Map([
      unary(P.GetMetadata, () => ({
        serverCapabilities: { getProviderSchemaOptional: true, planDestroy: true },
        resources: this.def.resources.map((r) => ({ typeName: r.typeName })),
        dataSources: this.def.dataSources.map((d) => ({ typeName: d.typeName })),
        functions: this.def.functions.map((f) => ({ name: f.name })),
      })),
      unary(P.GetProviderSchema, () => (this.schemaResponse ??= this.buildSchemaResponse())),
      unary(P.GetFunctions, () => ({ functions: this.functionProtos() })),

      unary(P.ValidateProviderConfig, (req, call) =>
        this.validate(this.context(call, 'ValidateProviderConfig'), 'the provider configuration', () => this.def, req.config),
      ),
      unary(P.ConfigureProvider, async (req, call) => {
        const ctx = this.context(call, 'ConfigureProvider');
        await this.guard(ctx, 'Configuring the provider', undefined, async () => {
          const config = decodeBy(req.config, this.def.schema);
          const value = await this.def.configure(ctx, { config, terraformVersion: req.terraformVersion });
          if (!ctx.diagnostics.hasErrors) this.configured = { value };
        });
        return { diagnostics: diagnosticsProto(ctx.diagnostics) };
      }),

      unary(P.ValidateResourceConfig, (req, call) =>
        this.validate(
          this.context(call, 'ValidateResourceConfig', req.typeName),
          req.typeName,
          () => this.lookup(this.resources, 'resource', req.typeName),
          req.config,
        ),
      ),
      unary(P.ValidateDataResourceConfig, (req, call) =>
        this.validate(
          this.context(call, 'ValidateDataResourceConfig', req.typeName),
          req.typeName,
          () => this.lookup(this.dataSources, 'data source', req.typeName),
          req.config,
        ),
      ),

      unary(P.UpgradeResourceState, async (req, call) => {
        const { out: upgraded, diagnostics } = await this.resourceRpc(
          call,
          'UpgradeResourceState',
          req.typeName,
          'Upgrading the stored state of',
          (ctx, r, type) => encodeValue(this.upgradeState(ctx, r, req.version, req.rawState?.json ?? EMPTY_BYTES), type),
        );
        return { ...(upgraded ? { upgradedState: upgraded } : {}), diagnostics };
      }),

      unary(P.ReadResource, async (req, call) => {
        const { out, diagnostics } = await this.resourceRpc(call, 'ReadResource', req.typeName, 'Reading', async (ctx, r, type) => {
          const state = decodeBy(req.currentState, r.schema);
          if (state === null) return { newState: encodeValue(null, type), private: req.private };
          const result = await r.read(this.withProvider(ctx), { state, private: decodePrivate(req.private) });
          assertStorable(result.state, 'read');
          return {
            newState: encodeValue(result.state, type),
            private: result.private ? encodePrivate(result.private) : req.private,
          };
        });
        // On failure terraform keeps the prior state; echo it so nothing is lost.
        return { ...(out ?? { newState: req.currentState, private: req.private }), diagnostics };
      }),

      unary(P.PlanResourceChange, async (req, call) => {
        const { out, diagnostics } = await this.resourceRpc(call, 'PlanResourceChange', req.typeName, 'Planning', async (ctx, r, type) => {
          const prior = decodeBy(req.priorState, r.schema);
          const config = decodeBy(req.config, r.schema);
          const derived = derivePlan(r.schema, prior, config, decodeValue(req.proposedNewState, type));
          let planned = derived.planned;
          let requiresReplace = derived.requiresReplace;
          let priv: PrivateData = decodePrivate(req.priorPrivate);
          if (planned === null && prior !== null && r.planDestroy) await r.planDestroy(this.withProvider(ctx), { prior, private: priv });
          if (planned !== null && r.plan) {
            const hook = await r.plan(this.withProvider(ctx), { prior, config, planned, private: priv });
            if (hook?.planned) planned = hook.planned;
            if (hook?.requiresReplace) requiresReplace = [...requiresReplace, ...hook.requiresReplace];
            if (hook?.private) priv = hook.private;
          }
          // Names only: a value may hold a sensitive variable terraform does not mark for providers.
          if (ctx.log.enabled('trace'))
            ctx.log.trace('planned', { unknown: unknownAttributes(r.schema, planned), replace: requiresReplace.map(pathText) });
          return {
            plannedState: encodeValue(planned, type),
            requiresReplace: prior === null ? [] : requiresReplace.map(pathProto),
            plannedPrivate: encodePrivate(priv),
          };
        });
        return { ...out, diagnostics };
      }),

      unary(P.ApplyResourceChange, async (req, call) => {
        const { out, diagnostics } = await this.resourceRpc(call, 'ApplyResourceChange', req.typeName, 'Applying', async (ctx, r, type) => {
          const prior = decodeBy(req.priorState, r.schema);
          const planned = decodeValue(req.plannedState, type);
          const config = decodeBy(req.config, r.schema);
          const priv = decodePrivate(req.plannedPrivate);
          const pctx = this.withProvider(ctx);
          if (planned === null) {
            await r.delete(pctx, { prior, private: priv });
            return { newState: encodeValue(null, type) };
          }
          const result =
            prior === null
              ? await r.create(pctx, { planned, config, private: priv })
              : await r.update(pctx, { prior, planned, config, private: priv });
          assertStorable(result.state, prior === null ? 'create' : 'update');
          return { newState: encodeValue(result.state, type), private: encodePrivate(result.private ?? priv) };
        });
        // Thrown errors return no new state: terraform then keeps the prior state (nothing created).
        return { ...out, diagnostics };
      }),

      unary(P.ImportResourceState, async (req, call) => {
        const { out: imported, diagnostics } = await this.resourceRpc(
          call,
          'ImportResourceState',
          req.typeName,
          'Importing',
          async (ctx, r, type) => {
            if (!r.import) throw new DiagnosticError('Import not supported', `${req.typeName} cannot be imported.`);
            const result = await r.import(this.withProvider(ctx), { id: req.id });
            // Attributes the stub leaves out (or undefined) are null.
            const state = emptyObject(r.schema);
            for (const [name, v] of Object.entries(result.state)) if (v !== undefined) state[name] = v;
            assertStorable(state, 'import');
            return [{ typeName: req.typeName, state: encodeValue(state, type), private: encodePrivate(result.private ?? {}) }];
          },
        );
        return { importedResources: imported ?? [], diagnostics };
      }),

      unary(P.MoveResourceState, (req) => {
        const diags = new Diagnostics();
        diags.error(
          'Moving state is not supported',
          `The provider ${this.def.name} cannot move ${req.sourceTypeName} into ${req.targetTypeName}.`,
        );
        return { diagnostics: diagnosticsProto(diags) };
      }),

      unary(P.ReadDataSource, async (req, call) => {
        const ctx = this.context(call, 'ReadDataSource', req.typeName);
        const state = await this.guard(ctx, `Reading ${req.typeName}`, undefined, async () => {
          const d = this.lookup(this.dataSources, 'data source', req.typeName);
          const type = blockTypeOf(d.schema);
          const result = await d.read(this.withProvider(ctx), { config: decodeBy(req.config, d.schema) });
          assertStorable(result, 'read');
          return encodeValue(result, type);
        });
        return { ...(state ? { state } : {}), diagnostics: diagnosticsProto(ctx.diagnostics) };
      }),

      unary(P.CallFunction, async (req, call) => this.callFunction(this.context(call, 'CallFunction', req.name), req.name, req.arguments)),

      unary(P.StopProvider, () => {
        this.log.info('stop requested: aborting in-flight operations');
        this.stopAll();
        return {};
      }),
    ]);
  }

  /** A resource RPC: its context, the resource by type name, and any throw as an error diagnostic. */
  private async resourceRpc<T>(
    call: CallContext,
    rpc: string,
    typeName: string,
    what: string,
    run: (ctx: Context, r: ErasedResource, type: CtyType) => Promise<T> | T,
  ) {
    const ctx = this.context(call, rpc, typeName);
    const out = await this.guard(ctx, `${what} ${typeName}`, undefined, () => {
      const r = this.lookup(this.resources, 'resource', typeName);
      return run(ctx, r, blockTypeOf(r.schema));
    });
    return { out, diagnostics: diagnosticsProto(ctx.diagnostics) };
  }

  /** Per-attribute validation, then the definition's own checks; configuration may hold unknowns. */
  private async validate(
    ctx: Context,
    what: string,
    find: () => Pick<ErasedProvider, 'schema' | 'validate'>,
    config: DynamicValue | undefined,
  ) {
    await this.guard(ctx, `Validating ${what}`, undefined, async () => {
      const def = find();
      const value = decodeBy(config, def.schema);
      await validateConfig(def.schema, value, ctx.diagnostics, () => def.validate?.(ctx, value));
    });
    return { diagnostics: diagnosticsProto(ctx.diagnostics) };
  }

  private buildSchemaResponse() {
    const bySchema = <T extends { typeName: string; schema: Schema }>(defs: readonly T[]) =>
      Object.fromEntries(defs.map((d) => [d.typeName, schemaProto(d.schema)]));
    return {
      provider: schemaProto(this.def.schema),
      resourceSchemas: bySchema(this.def.resources),
      dataSourceSchemas: bySchema(this.def.dataSources),
      functions: this.functionProtos(),
      // planDestroy: terraform then plans destroys with the provider too, so a resource can warn at plan.
      serverCapabilities: { getProviderSchemaOptional: true, planDestroy: true, moveResourceState: false },
    };
  }

  private functionProtos() {
    return Object.fromEntries(this.def.functions.map((f) => [f.name, functionProto(f)]));
  }

  private upgradeState(ctx: Context, r: ErasedResource, version: number, raw: Uint8Array): Value {
    if (!raw.length)
      throw new DiagnosticError('Unsupported stored state', 'State from Terraform before 0.12 (flatmap) cannot be upgraded.');
    const current = r.schema.version ?? 0;
    if (version > current) {
      throw new DiagnosticError(
        'Stored state is newer than the provider',
        `${r.typeName} state has schema version ${version}; this provider knows up to ${current}.`,
      );
    }
    let json = parseJson(Buffer.from(raw).toString('utf8'));
    if (version < current) {
      if (!r.upgrade)
        throw new DiagnosticError(
          'Cannot upgrade stored state',
          `${r.typeName} has no upgrade from schema version ${version} to ${current}.`,
        );
      json = r.upgrade(ctx, { version, state: json as { [key: string]: Json } });
    }
    // Attributes added since the state was written become null (blocks empty); removed ones are dropped.
    return withAbsentBlocks(r.schema, decodeJson(json, blockTypeOf(r.schema), true));
  }

  private async callFunction(ctx: Context, name: string, args: DynamicValue[]) {
    try {
      const f = this.functions.get(name);
      // Texts without a final period: terraform quotes them inside its own sentence.
      if (!f) throw new FunctionError(`the provider ${this.def.name} has no function "${name}"`);
      const params = f.parameters;
      if (args.length < params.length || (!f.variadic && args.length > params.length)) {
        throw new FunctionError(`${name} takes ${params.length} argument(s), got ${args.length}`);
      }
      const values = args.map((a, i) => {
        const p = params[i] ?? f.variadic!;
        const v = decodeValue(a, p.type);
        if (v === null && !p.allowNull) throw new FunctionError(`argument "${p.name}" must not be null`, i);
        if (!p.allowUnknown && !isWhollyKnown(v)) throw new FunctionError(`argument "${p.name}" must be known`, i);
        return v;
      });
      const result = await f.call(ctx, values.slice(0, params.length), values.slice(params.length));
      if (result instanceof Unknown && ![...params, f.variadic].some((p) => p?.allowUnknown))
        throw new FunctionError(`${name} returned an unknown value`);
      return { result: encodeValue(result, f.returns) };
    } catch (err) {
      if (err instanceof FunctionError)
        return { error: { text: err.message, ...(err.argument !== undefined ? { functionArgument: err.argument } : {}) } };
      ctx.log.error('function failed', { function: name, error: err });
      return { error: { text: `${name} failed: ${err instanceof Error ? err.message : String(err)}` } };
    }
  }
}

export function providerMethods<S extends Schema, P>(def: ProviderDefinition<S, P>, log: Logger): Map<string, Method> {
  return new ProviderRuntime(erase(def), log).methods();
}
