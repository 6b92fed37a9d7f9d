/* eslint-disable @typescript-eslint/no-empty-object-type -- `{}` is meant here: no blocks, and the identity of the value types' intersections */
/**
 * The schema model: a provider, resource or data source declares its attributes and blocks once, with
 * these builders, and everything else derives from the declaration — the protocol schema, the
 * `providers schema -json` document, value types for handlers (./value-types), validation, planning.
 *
 *   const schema = defineSchema({
 *     attributes: {
 *       host: attr.required(t.string, { requiresReplace: true, description: 'Host name' }),
 *       idle_timeout_sec: attr.optionalComputed(t.number, { validators: [integerBetween(60, 2147483)] }),
 *       reported: attr.computed(t.map(t.string)),
 *     },
 *   });
 */
import type { CtyType } from '../cty/types';
import type { Value } from '../cty/values';
import type { KnownValueOf } from './value-types';

export type Nesting = 'single' | 'list' | 'set' | 'map';
export type BlockNesting = Nesting | 'group';
export type Mode = 'required' | 'optional' | 'computed' | 'optional+computed';

/** Attributes nested inside an attribute (protocol `nested_type`), e.g. a list of objects users set. */
export interface NestedAttributes<A extends Attributes = Attributes, N extends Nesting = Nesting> {
  readonly kind: 'nested';
  readonly nesting: N;
  readonly attributes: A;
}

/**
 * A whole-number attribute: a cty number in the schema, a plain JS number for handlers. The runtime
 * rejects fractions and values beyond ±2^53 at the attribute's path before any handler sees them.
 */
export interface IntegerType {
  readonly kind: 'integer';
}
export const integer: IntegerType = { kind: 'integer' };

export type AttributeType = CtyType | NestedAttributes | IntegerType;

export const isCtyType = (type: AttributeType): type is CtyType => typeof type === 'string' || Array.isArray(type);

/** Checks a wholly known, non-null value; returns what is wrong with it, or undefined. */
export type Validator<V> = (value: V) => string | undefined;

export interface CommonOptions {
  readonly description?: string;
  readonly sensitive?: boolean;
  /** Marks the attribute deprecated; setting it then warns with this text at its path. */
  readonly deprecated?: string;
}

export interface ConfigurableOptions<V> extends CommonOptions {
  /** A change of this value replaces the resource instead of updating it. */
  readonly requiresReplace?: boolean;
  readonly validators?: readonly Validator<V>[];
}

export interface ComputedOptions extends CommonOptions {
  /**
   * When other attributes change, plan the prior value instead of "known after apply": for values an
   * update does not touch (an id; a host setting nobody manages). Default: unknown on any update.
   */
  readonly keepOnUpdate?: boolean;
}

export interface OptionalComputedOptions<V> extends ConfigurableOptions<V>, ComputedOptions {
  /** Planned when the configuration leaves the attribute unset, instead of "known after apply". */
  readonly default?: V;
}

export interface AttributeSpec<T extends AttributeType = AttributeType, M extends Mode = Mode> {
  readonly kind: 'attribute';
  readonly type: T;
  readonly mode: M;
  readonly options: OptionalComputedOptions<never>;
}

export type Attributes = { readonly [name: string]: AttributeSpec };
export type Blocks = { readonly [name: string]: NestedBlockSpec };

export interface BlockSpec<A extends Attributes = Attributes, B extends Blocks = Blocks> {
  readonly attributes: A;
  readonly blocks?: B;
  readonly description?: string;
  readonly deprecated?: string;
}

export interface NestedBlockSpec<
  A extends Attributes = Attributes,
  B extends Blocks = Blocks,
  N extends BlockNesting = BlockNesting,
> extends BlockSpec<A, B> {
  readonly kind: 'block';
  readonly nesting: N;
  readonly minItems?: number;
  readonly maxItems?: number;
}

/** A resource or data source schema: a block with a version (bump it when stored state changes shape). */
export interface Schema<A extends Attributes = Attributes, B extends Blocks = Blocks> extends BlockSpec<A, B> {
  readonly version?: number;
}

type Known<T extends AttributeType> = KnownValueOf<T>;

const make = <T extends AttributeType, M extends Mode>(type: T, mode: M, options: object = {}): AttributeSpec<T, M> => ({
  kind: 'attribute',
  type,
  mode,
  options: options,
});

export const attr = {
  required: <const T extends AttributeType>(type: T, options?: ConfigurableOptions<Known<T>>) => make(type, 'required', options),
  optional: <const T extends AttributeType>(type: T, options?: ConfigurableOptions<Known<T>>) => make(type, 'optional', options),
  computed: <const T extends AttributeType>(type: T, options?: ComputedOptions) => make(type, 'computed', options),
  optionalComputed: <const T extends AttributeType>(type: T, options?: OptionalComputedOptions<Known<T>>) =>
    make(type, 'optional+computed', options),
};

export const nested = {
  single: <const A extends Attributes>(attributes: A): NestedAttributes<A, 'single'> => ({ kind: 'nested', nesting: 'single', attributes }),
  list: <const A extends Attributes>(attributes: A): NestedAttributes<A, 'list'> => ({ kind: 'nested', nesting: 'list', attributes }),
  set: <const A extends Attributes>(attributes: A): NestedAttributes<A, 'set'> => ({ kind: 'nested', nesting: 'set', attributes }),
  map: <const A extends Attributes>(attributes: A): NestedAttributes<A, 'map'> => ({ kind: 'nested', nesting: 'map', attributes }),
};

type BlockOptions = { readonly minItems?: number; readonly maxItems?: number };
const nestedBlock =
  <N extends BlockNesting>(nesting: N) =>
  <const A extends Attributes, const B extends Blocks = {}>(
    spec: BlockSpec<A, B>,
    options: BlockOptions = {},
  ): NestedBlockSpec<A, B, N> => ({
    kind: 'block',
    nesting,
    ...spec,
    ...options,
  });

export const block = {
  single: nestedBlock('single'),
  list: nestedBlock('list'),
  set: nestedBlock('set'),
  map: nestedBlock('map'),
  group: nestedBlock('group'),
};

/** Identity with inference: keeps the literal types the value types are computed from. */
export function defineSchema<const A extends Attributes, const B extends Blocks = {}>(schema: Schema<A, B>): Schema<A, B> {
  return schema;
}

export const isComputed = (a: AttributeSpec): boolean => a.mode === 'computed' || a.mode === 'optional+computed';
export const isOptional = (a: AttributeSpec): boolean => a.mode === 'optional' || a.mode === 'optional+computed';

/** The default as an untyped cty value (validated against its type by the declaration's generics). */
export const defaultOf = (a: AttributeSpec): Value | undefined => a.options.default;
