/** The contract a provider implements, and where its resources, data sources and functions register. */
import type { Schema } from '../schema/schema';
import type { Config } from '../schema/value-types';
import type { Context } from './context';
import type { DataSourceDefinition } from './data-source';
import type { FunctionDefinition } from './function';
import type { ResourceDefinition } from './resource';

export interface ProviderDefinition<S extends Schema = Schema, P = unknown> {
  /** The provider's type name, e.g. "psremoting": resource types start with "psremoting_". */
  readonly name: string;
  /** The provider block's schema. */
  readonly schema: S;
  validate?(ctx: Context, config: Config<S>): void | Promise<void>;
  /**
   * Builds what handlers get as ctx.provider. The configuration may still hold unknowns (values that
   * depend on resources not yet created); environment-variable fallbacks belong here.
   */
  configure(ctx: Context, req: { config: Config<S>; terraformVersion: string }): P | Promise<P>;
  // `any` erases each definition's own schema type; each was checked when it was defined.
  /* eslint-disable @typescript-eslint/no-explicit-any */
  readonly resources: readonly ResourceDefinition<any, P>[];
  readonly dataSources: readonly DataSourceDefinition<any, P>[];
  readonly functions: readonly FunctionDefinition<any, any>[];
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

export function defineProvider<const S extends Schema, P>(def: ProviderDefinition<S, P>): ProviderDefinition<S, P> {
  return def;
}
