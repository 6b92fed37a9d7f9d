/**
 * The definitions as the runtime sees them: schemas erased, values untyped. Each definition was
 * type-checked against its own schema where it was declared; the runtime only moves values between
 * the codec and the handlers, so one cast at registration replaces casts at every call.
 */
import type { Context, PrivateData, ProviderContext } from '../contracts/context';
import type { Json } from '../cty/json-codec';
import type { CtyType } from '../cty/types';
import type { Value } from '../cty/values';
import type { AttributePath } from '../diagnostics';
import type { Schema } from '../schema/schema';
import type { Parameter } from '../contracts/function';
import type { ProviderDefinition } from '../contracts/provider';

type Awaitable<T> = T | Promise<T>;
type StateResult = { state: Value; private?: PrivateData };

export interface ErasedResource {
  readonly typeName: string;
  readonly schema: Schema;
  validate?(ctx: Context, config: Value): Awaitable<void>;
  plan?(
    ctx: ProviderContext<unknown>,
    req: { prior: Value; config: Value; planned: Value; private: PrivateData },
  ): Awaitable<{ planned?: Value; requiresReplace?: readonly AttributePath[]; private?: PrivateData } | void>;
  planDestroy?(ctx: ProviderContext<unknown>, req: { prior: Value; private: PrivateData }): Awaitable<void>;
  create(ctx: ProviderContext<unknown>, req: { planned: Value; config: Value; private: PrivateData }): Promise<StateResult>;
  read(ctx: ProviderContext<unknown>, req: { state: Value; private: PrivateData }): Promise<StateResult>;
  update(ctx: ProviderContext<unknown>, req: { prior: Value; planned: Value; config: Value; private: PrivateData }): Promise<StateResult>;
  delete(ctx: ProviderContext<unknown>, req: { prior: Value; private: PrivateData }): Promise<void>;
  import?(ctx: ProviderContext<unknown>, req: { id: string }): Promise<{ state: { [name: string]: Value }; private?: PrivateData }>;
  upgrade?(ctx: Context, req: { version: number; state: { [key: string]: Json } }): { [key: string]: Json };
}

export interface ErasedDataSource {
  readonly typeName: string;
  readonly schema: Schema;
  validate?(ctx: Context, config: Value): Awaitable<void>;
  read(ctx: ProviderContext<unknown>, req: { config: Value }): Promise<Value>;
}

export interface ErasedFunction {
  readonly name: string;
  readonly parameters: readonly Parameter[];
  readonly variadic?: Parameter;
  readonly returns: CtyType;
  call(ctx: Context, args: Value[], rest: Value[]): Awaitable<Value>;
}

export interface ErasedProvider {
  readonly name: string;
  readonly schema: Schema;
  validate?(ctx: Context, config: Value): Awaitable<void>;
  configure(ctx: Context, req: { config: Value; terraformVersion: string }): Awaitable<unknown>;
  readonly resources: readonly ErasedResource[];
  readonly dataSources: readonly ErasedDataSource[];
  readonly functions: readonly ErasedFunction[];
}

export function erase<S extends Schema, P>(def: ProviderDefinition<S, P>): ErasedProvider {
  return def as unknown as ErasedProvider;
}
