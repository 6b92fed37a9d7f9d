/** The contract a data source implements. */
import type { Schema } from '../schema/schema';
import type { Config, ResolvedConfig, State } from '../schema/value-types';
import type { Context, ProviderContext } from './context';

export interface DataSourceDefinition<S extends Schema = Schema, P = unknown> {
  /** Full type name, e.g. "psremoting_session_configurations". */
  readonly typeName: string;
  readonly schema: S;
  validate?(ctx: Context, config: Config<S>): void | Promise<void>;
  /** Called once the configuration is wholly known (terraform defers the read to apply otherwise). */
  read(ctx: ProviderContext<P>, req: { config: ResolvedConfig<S> }): Promise<State<S>>;
}

export function defineDataSource<P>() {
  return <const S extends Schema>(def: DataSourceDefinition<S, P>): DataSourceDefinition<S, P> => def;
}
