/**
 * The contract a provider function implements (`provider::<provider>::<name>(…)`). Functions run
 * without provider configuration. Report bad input by throwing FunctionError(message, argumentIndex).
 */
import type { CtyType } from '../cty/types';
import type { Unknown } from '../cty/values';
import type { CtyValueOf } from '../schema/value-types';
import type { Context } from './context';

export interface Parameter<T extends CtyType = CtyType> {
  readonly name: string;
  readonly type: T;
  readonly description?: string;
  /** Accept null (else terraform rejects a null argument before calling). */
  readonly allowNull?: boolean;
  /** Accept values that are not wholly known (else terraform returns unknown without calling). */
  readonly allowUnknown?: boolean;
}

export type ArgumentValue<P extends Parameter> =
  CtyValueOf<P['type'], P['allowUnknown'] extends true ? Unknown : never> | (P['allowNull'] extends true ? null : never);

type Arguments<Ps extends readonly Parameter[]> = { -readonly [K in keyof Ps]: ArgumentValue<Ps[K]> };

export interface FunctionDefinition<Ps extends readonly Parameter[] = readonly Parameter[], R extends CtyType = CtyType> {
  readonly name: string;
  readonly summary?: string;
  readonly description?: string;
  readonly deprecation?: string;
  readonly parameters: Ps;
  /** Extra trailing arguments, all of this parameter's kind; they arrive as the call's `rest`. */
  readonly variadic?: Parameter;
  readonly returns: R;
  call(ctx: Context, args: Arguments<Ps>, rest: unknown[]): CtyValueOf<R> | Promise<CtyValueOf<R>>;
}

export function defineFunction<const Ps extends readonly Parameter[], const R extends CtyType>(
  def: FunctionDefinition<Ps, R>,
): FunctionDefinition<Ps, R> {
  return def;
}
