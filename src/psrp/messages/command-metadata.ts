import { PsrpError } from '../errors';
import { PsObject, psEnum, psList, psPropertyBag, stringProperty, numberProperty, type PsValue } from '../clixml/values';

/**
 * Command discovery over PSRP (MS-PSRP 2.2.2.14 GET_COMMAND_METADATA, 2.2.3.22 CommandMetadataCount,
 * 2.2.3.21 CommandMetadata): what `Get-Command` in an implicit-remoting session asks, and what a JEA
 * endpoint lets a user see. The body's property names are PowerShell's RemoteDataNameStrings.Discovery*
 * (RemotingEncoder.GenerateGetCommandMetadata in PowerShell's remoting/common/WireDataFormat/EncodeAndDecode.cs).
 */

/** System.Management.Automation.CommandTypes, a flags enum (MS-PSRP 2.2.3.19). */
export const COMMAND_TYPES = {
  Alias: 0x1,
  Function: 0x2,
  Filter: 0x4,
  Cmdlet: 0x8,
  ExternalScript: 0x10,
  Application: 0x20,
  Script: 0x40,
  Configuration: 0x100,
} as const;

export type CommandTypeName = keyof typeof COMMAND_TYPES;

const COMMAND_TYPES_TYPE = 'System.Management.Automation.CommandTypes';

/** What PowerShell's client asks for when Get-Command names no -CommandType. */
export const DEFAULT_COMMAND_TYPES: readonly CommandTypeName[] = ['Alias', 'Function', 'Filter', 'Cmdlet', 'Configuration'];

/** The flags as .NET writes them: the set names in ascending value order, joined by ", ". */
export function commandTypesValue(types: readonly CommandTypeName[]): PsObject {
  const names = (Object.keys(COMMAND_TYPES) as CommandTypeName[]).filter((n) => types.includes(n));
  const value = names.reduce((v, n) => v | COMMAND_TYPES[n], 0);
  return psEnum(COMMAND_TYPES_TYPE, names.join(', '), value);
}

/** The flag names of a CommandTypes value (a single type for a command's own CommandType). */
export function commandTypeNames(value: number): CommandTypeName[] {
  return (Object.keys(COMMAND_TYPES) as CommandTypeName[]).filter((n) => (value & COMMAND_TYPES[n]) !== 0);
}

export interface CommandMetadataQuery {
  /** Names, wildcards allowed. Default `*`. */
  readonly names?: readonly string[];
  readonly commandTypes?: readonly CommandTypeName[];
  /** Module names (Get-Command -Module). */
  readonly modules?: readonly string[];
  /** Arguments for resolving dynamic parameters (Get-Command -ArgumentList). */
  readonly argumentList?: readonly string[];
}

const STRING_ARRAY = ['System.String[]', 'System.Array', 'System.Object'];

function strings(items: readonly string[] | undefined): PsValue {
  return items === undefined ? null : psList([...items], STRING_ARRAY);
}

/** MS-PSRP 2.2.2.14 GET_COMMAND_METADATA. */
export function getCommandMetadata(q: CommandMetadataQuery = {}): PsObject {
  return psPropertyBag({
    Name: strings(q.names ?? ['*']),
    CommandType: commandTypesValue(q.commandTypes ?? DEFAULT_COMMAND_TYPES),
    Namespace: strings(q.modules),
    FullyQualifiedModule: null,
    ArgumentList: q.argumentList === undefined ? null : psList([...q.argumentList]),
  });
}

/** One command the server reported (MS-PSRP 2.2.3.21). */
export interface CommandMetadata {
  readonly name: string;
  readonly commandType: CommandTypeName | undefined;
  /** The module the command comes from ('' for none). */
  readonly namespace: string;
  /** An alias's target. */
  readonly resolvedCommandName?: string;
  readonly helpUri?: string;
  /** Parameter names (the Parameters dictionary's keys). */
  readonly parameters: readonly string[];
}

/** MS-PSRP 2.2.3.22: the first output of a GET_COMMAND_METADATA pipeline, the number of CommandMetadata that follow. */
export function readCommandMetadataCount(value: PsValue): number {
  const n = numberProperty(value, 'Count');
  if (n === undefined || !Number.isSafeInteger(n) || n < 0) throw new PsrpError('clixml', 'CommandMetadataCount lacks a Count');
  return n;
}

/** MS-PSRP 2.2.3.21 CommandMetadata. */
export function readCommandMetadata(value: PsValue): CommandMetadata {
  if (!(value instanceof PsObject)) throw new PsrpError('clixml', 'CommandMetadata is not an object');
  const name = stringProperty(value, 'Name');
  if (name === undefined) throw new PsrpError('clixml', 'CommandMetadata lacks Name');
  const type = numberProperty(value, 'CommandType');
  const parameters = value.get('Parameters');
  return {
    name,
    commandType: type === undefined ? undefined : commandTypeNames(type)[0],
    namespace: stringProperty(value, 'Namespace') ?? '',
    resolvedCommandName: stringProperty(value, 'ResolvedCommandName') || undefined,
    helpUri: stringProperty(value, 'HelpUri') || undefined,
    parameters: parameters instanceof PsObject && parameters.container === 'DCT' ? parameters.entries.map(([k]) => String(k)) : [],
  };
}
