/* eslint-disable @typescript-eslint/no-empty-object-type -- `{}` is meant here: no blocks, and the identity of the value types' intersections */
/**
 * Handler-facing value types, computed from a schema declaration. Terraform's phases differ in what a
 * value may be, so each has its own type:
 *   State<S>   stored/returned state: wholly known; required attributes non-null.
 *   Config<S>  configuration as written: may hold Unknown anywhere; computed-only attributes are null.
 *   Planned<S> a plan: may hold Unknown anywhere (computed values "known after apply").
 *   ResolvedConfig<S> configuration once every value is known (at apply, and when data sources read).
 * Elements of collections may be null in cty, so element types include null.
 */
import type { CtyNumber } from '../cty/number';
import type { CtyType } from '../cty/types';
import type { Dynamic, Unknown, Value } from '../cty/values';
import type { AttributeSpec, AttributeType, Attributes, Blocks, BlockSpec, IntegerType, NestedAttributes, NestedBlockSpec } from './schema';

/**
 * The value of a cty type; U is Unknown where unknowns may appear, never otherwise. The wide type
 * CtyType itself (an erased or not-yet-inferred type) maps to Value, which also ends the recursion.
 */
export type CtyValueOf<T, U = never> = [CtyType] extends [T] ? Value : U | PrimitiveOrCollection<T, U>;

type PrimitiveOrCollection<T, U> = T extends 'string'
  ? string
  : T extends 'number'
    ? CtyNumber
    : T extends 'bool'
      ? boolean
      : T extends 'dynamic'
        ? Dynamic
        : T extends readonly ['list' | 'set', infer E]
          ? Array<CtyValueOf<E, U> | null>
          : T extends readonly ['map', infer E]
            ? Record<string, CtyValueOf<E, U> | null>
            : T extends readonly ['object', infer A]
              ? { -readonly [K in keyof A]: CtyValueOf<A[K], U> | null }
              : T extends readonly ['tuple', infer E]
                ? { -readonly [K in keyof E]: CtyValueOf<E[K], U> | null }
                : never;

export type Phase = 'state' | 'config' | 'resolved-config' | 'plan';
type UnknownIn<P extends Phase> = P extends 'config' | 'plan' ? Unknown : never;

type NestedValueOf<A extends Attributes, N, P extends Phase> =
  | UnknownIn<P>
  | (N extends 'single' ? ObjectValue<A, {}, P> : N extends 'map' ? Record<string, ObjectValue<A, {}, P>> : ObjectValue<A, {}, P>[]);

/** The value of an attribute type, before null-ness (which depends on mode and phase). */
export type AttributeValue<T extends AttributeType, P extends Phase> =
  T extends NestedAttributes<infer A, infer N>
    ? NestedValueOf<A, N, P>
    : T extends IntegerType
      ? number | UnknownIn<P>
      : CtyValueOf<T, UnknownIn<P>>;

/** What a validator or a default sees: the attribute's value, wholly known and non-null. */
export type KnownValueOf<T extends AttributeType> = Exclude<AttributeValue<T, 'state'>, null>;

type Nullability<S extends AttributeSpec, P extends Phase, V> = S['mode'] extends 'required'
  ? V
  : P extends 'config' | 'resolved-config'
    ? S['mode'] extends 'computed'
      ? null
      : V | null
    : V | null;

type BlockValue<B extends NestedBlockSpec, P extends Phase> =
  B extends NestedBlockSpec<infer A, infer BB, infer N>
    ? | UnknownIn<P>
      | (N extends 'single'
          ? ObjectValue<A, BB, P> | null
          : N extends 'group'
            ? ObjectValue<A, BB, P>
            : N extends 'map'
              ? Record<string, ObjectValue<A, BB, P>>
              : ObjectValue<A, BB, P>[])
    : never;

/** An object of attributes and blocks; wide (erased) attribute maps give an untyped record. */
export type ObjectValue<A extends Attributes, B extends Blocks, P extends Phase> = string extends keyof A
  ? { [name: string]: Value }
  : { -readonly [K in keyof A]: Nullability<A[K], P, AttributeValue<A[K]['type'], P>> } & BlocksValue<B, P>;

type BlocksValue<B extends Blocks, P extends Phase> = string extends keyof B ? {} : { -readonly [K in keyof B]: BlockValue<B[K], P> };

type Of<S, P extends Phase> = S extends BlockSpec<infer A, infer B> ? ObjectValue<A, B, P> : never;

export type State<S extends BlockSpec> = Of<S, 'state'>;
export type Config<S extends BlockSpec> = Of<S, 'config'>;
export type Planned<S extends BlockSpec> = Of<S, 'plan'>;
export type ResolvedConfig<S extends BlockSpec> = Of<S, 'resolved-config'>;
