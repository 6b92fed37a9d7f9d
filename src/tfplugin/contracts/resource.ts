/** The contract a managed resource implements. */
import type { Json } from '../cty/json-codec';
import type { AttributePath } from '../diagnostics';
import type { Schema } from '../schema/schema';
import type { Config, Planned, ResolvedConfig, State } from '../schema/value-types';
import type { Context, PrivateData, ProviderContext } from './context';

export interface PlanRequest<S extends Schema> {
  /** null when the resource is to be created. */
  readonly prior: State<S> | null;
  readonly config: Config<S>;
  /**
   * The runtime's plan: configuration merged with prior computed values, defaults applied, computed
   * values unknown where they may change. Return a modified copy to change it.
   */
  readonly planned: Planned<S>;
  readonly private: PrivateData;
}

export interface PlanResult<S extends Schema> {
  readonly planned?: Planned<S>;
  /** Paths whose change replaces the resource, beyond the attributes declared requiresReplace. */
  readonly requiresReplace?: readonly AttributePath[];
  readonly private?: PrivateData;
}

/** A handler's result; `private` omitted means "keep what was there". */
export interface StateResult<S extends Schema> {
  readonly state: State<S>;
  readonly private?: PrivateData;
}

export interface ResourceDefinition<S extends Schema = Schema, P = unknown> {
  /** Full type name, e.g. "psremoting_command". */
  readonly typeName: string;
  readonly schema: S;

  /** Checks across attributes, beyond per-attribute validators. Runs before the provider is configured. */
  validate?(ctx: Context, config: Config<S>): void | Promise<void>;
  /** Adjusts the derived plan: plan-time warnings, dynamic replacement, values known before apply. */
  plan?(ctx: ProviderContext<P>, req: PlanRequest<S>): PlanResult<S> | void | Promise<PlanResult<S> | void>;
  /**
   * Plan-time diagnostics for a destroy (terraform plans destroys with the provider only when it says
   * so; the runtime does whenever a resource has this hook): what the destroy will do, or an error.
   */
  planDestroy?(ctx: ProviderContext<P>, req: { prior: State<S>; private: PrivateData }): void | Promise<void>;

  /**
   * Creates the object. To report a partial failure, add error diagnostics and still return the state of
   * what exists (terraform stores it as tainted); throw when nothing was created.
   */
  create(ctx: ProviderContext<P>, req: { planned: Planned<S>; config: ResolvedConfig<S>; private: PrivateData }): Promise<StateResult<S>>;
  /** The object as it is now; state null when it is gone (terraform then plans to create it again). */
  read(ctx: ProviderContext<P>, req: { state: State<S>; private: PrivateData }): Promise<{ state: State<S> | null; private?: PrivateData }>;
  update(
    ctx: ProviderContext<P>,
    req: { prior: State<S>; planned: Planned<S>; config: ResolvedConfig<S>; private: PrivateData },
  ): Promise<StateResult<S>>;
  delete(ctx: ProviderContext<P>, req: { prior: State<S>; private: PrivateData }): Promise<void>;

  /**
   * Turns an import id (e.g. "host/name") into a state stub; attributes left out are null. Terraform
   * reads the resource right after, so the stub needs only what read needs.
   */
  import?(ctx: ProviderContext<P>, req: { id: string }): Promise<{ state: Partial<State<S>>; private?: PrivateData }>;
  /**
   * Migrates stored state written by an older schema version (JSON as stored; numbers keep their
   * text) to the current shape. Without it, only the current version is accepted.
   */
  upgrade?(ctx: Context, req: { version: number; state: { [key: string]: Json } }): { [key: string]: Json };
}

/** Fixes the provider state type once; then infers each resource's schema: defineResource<MyState>()({…}). */
export function defineResource<P>() {
  return <const S extends Schema>(def: ResourceDefinition<S, P>): ResourceDefinition<S, P> => def;
}
