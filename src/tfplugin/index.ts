/**
 * The Terraform plugin runtime's public API for provider code: contracts, schema builders, value types,
 * diagnostics. (The process entry point is ./plugin/serve, imported on its own to keep start-up small.)
 */
export type { Context, PrivateData, PrivateJson, ProviderContext } from './contracts/context';
export { defineDataSource, type DataSourceDefinition } from './contracts/data-source';
export { defineFunction, type ArgumentValue, type FunctionDefinition, type Parameter } from './contracts/function';
export { defineProvider, type ProviderDefinition } from './contracts/provider';
export { defineResource, type PlanRequest, type PlanResult, type ResourceDefinition, type StateResult } from './contracts/resource';
export { JsonNumber, type Json } from './cty/json-codec';
export { BigNumber, type CtyNumber } from './cty/number';
export { t, type CtyType } from './cty/types';
export { Dynamic, isUnknown, isWhollyKnown, mapValue, unknown, Unknown, type Refinements, type Value } from './cty/values';
export { DiagnosticError, Diagnostics, FunctionError, pathText, type AttributePath, type Diagnostic, type PathStep } from './diagnostics';
export { createLogger, type Logger, type LogLevel } from './log/logger';
export { maskSecrets, MIN_MASKED_LENGTH, rememberSecret, safeText } from './log/safe-text';
export { attr, block, defineSchema, integer, nested, type Schema } from './schema/schema';
export { providerSchemaJson } from './schema/schema-json';
export { integerBetween, matches, oneOf } from './schema/validators';
export type { Config, CtyValueOf, Planned, ResolvedConfig, State } from './schema/value-types';
