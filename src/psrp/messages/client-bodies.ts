import { toPsValue, type PsInput } from '../clixml/serialize';
import { PsObject, PsScalar, TYPE_NAMES, psList, psPropertyBag, type PsValue } from '../clixml/values';
import { enumValue, type EnumMember } from './enums';

/**
 * The bodies a client sends (MS-PSRP 2.2.2.x), as CLIXML values; the property order is the one Windows
 * accepted from pypsrp in the recordings (../shared/fixtures/pypsrp).
 */

export interface Versions {
  /** e.g. '2.3' */
  readonly protocolVersion: string;
  readonly psVersion: string;
  readonly serializationVersion: string;
}

/** What a client announces: protocol 2.3 (PowerShell 5.1) so Windows PowerShell and PowerShell 7 both accept it. */
export const CLIENT_VERSIONS: Versions = { protocolVersion: '2.3', psVersion: '2.0', serializationVersion: '1.1.0.1' };

/** MS-PSRP 2.2.2.1 SESSION_CAPABILITY. */
export function sessionCapability(v: Versions = CLIENT_VERSIONS): PsObject {
  return psPropertyBag({
    protocolversion: new PsScalar('Version', v.protocolVersion),
    PSVersion: new PsScalar('Version', v.psVersion),
    SerializationVersion: new PsScalar('Version', v.serializationVersion),
  });
}

/**
 * MS-PSRP 2.2.3.14 HostInfo. Without a host everything is "null" and the server refuses prompts itself;
 * with one (a host responder) the server sends host calls for the UI (no RawUI: no buffer or cursor).
 */
export function hostInfo(withHost = false): PsObject {
  return psPropertyBag({ _isHostNull: !withHost, _isHostUINull: !withHost, _isHostRawUINull: true, _useRunspaceHost: !withHost });
}

export interface PoolOptions {
  readonly minRunspaces?: number;
  readonly maxRunspaces?: number;
  readonly threadOptions?: EnumMember<'PSThreadOptions'>;
  readonly apartmentState?: EnumMember<'ApartmentState'>;
  /** `$PSSenderInfo.ApplicationArguments` on the server (a PSPrimitiveDictionary). */
  readonly applicationArguments?: Record<string, PsInput>;
  /** Announce a host that answers host calls (HostInfo not null). */
  readonly withHost?: boolean;
}

/** MS-PSRP 2.2.2.2 INIT_RUNSPACEPOOL. */
export function initRunspacePool(o: PoolOptions = {}): PsObject {
  const args = o.applicationArguments;
  let applicationArguments: PsValue = null;
  if (args) {
    const dict = toPsValue(args);
    if (dict instanceof PsObject) dict.typeNames = [...TYPE_NAMES.primitiveDictionary];
    applicationArguments = dict;
  }
  return psPropertyBag({
    MinRunspaces: o.minRunspaces ?? 1,
    MaxRunspaces: o.maxRunspaces ?? 1,
    PSThreadOptions: enumValue('PSThreadOptions', o.threadOptions ?? 'Default'),
    ApartmentState: enumValue('ApartmentState', o.apartmentState ?? 'UNKNOWN'),
    HostInfo: hostInfo(o.withHost),
    ApplicationArguments: applicationArguments,
  });
}

/** MS-PSRP 2.2.2.27 CONNECT_RUNSPACEPOOL: an empty string leaves the counts as they are (what pypsrp sends and Windows accepts). */
export function connectRunspacePool(counts?: { minRunspaces: number; maxRunspaces: number }): PsValue {
  if (!counts) return '';
  return psPropertyBag({ MinRunspaces: counts.minRunspaces, MaxRunspaces: counts.maxRunspaces });
}

/** MS-PSRP 2.2.2.3/2.2.2.4 SET_MAX_RUNSPACES / SET_MIN_RUNSPACES. */
export function setRunspaceCount(which: 'MaxRunspaces' | 'MinRunspaces', count: number, callId: bigint): PsObject {
  return psPropertyBag({ [which]: count, ci: callId });
}

/** MS-PSRP 2.2.2.10 GET_AVAILABLE_RUNSPACES and 2.2.2.29 RESET_RUNSPACE_STATE: only a call id. */
export function callIdOnly(callId: bigint): PsObject {
  return psPropertyBag({ ci: callId });
}

/** A parameter or argument of a command: a name (omitted for a positional argument) and a value. */
export interface CommandParameter {
  readonly name?: string;
  readonly value: PsInput;
}

/** Streams a command may merge into its output (MS-PSRP 2.2.3.31, protocol >= 2.2). */
export type MergeableStream = 'error' | 'warning' | 'verbose' | 'debug' | 'information';

export interface CommandSpec {
  /** A command name, or script text when isScript. */
  readonly command: string;
  readonly isScript?: boolean;
  readonly useLocalScope?: boolean;
  readonly parameters?: readonly CommandParameter[];
  /** Streams whose records go to the output stream (`2>&1`, `3>&1`…). */
  readonly mergeToOutput?: readonly MergeableStream[];
}

export interface PipelineSpec {
  /** Statements run one after another, each a pipeline of commands (`a | b; c`). */
  readonly statements: ReadonlyArray<readonly CommandSpec[]>;
  /** False when the client will send PIPELINE_INPUT (then END_OF_PIPELINE_INPUT). */
  readonly noInput?: boolean;
  readonly addToHistory?: boolean;
  readonly isNested?: boolean;
  /** Announce a host that answers this pipeline's host calls. */
  readonly withHost?: boolean;
}

const MERGE_FIELDS: ReadonlyArray<[MergeableStream, string]> = [
  ['error', 'MergeError'],
  ['warning', 'MergeWarning'],
  ['verbose', 'MergeVerbose'],
  ['debug', 'MergeDebug'],
  ['information', 'MergeInformation'],
];

/** MS-PSRP 2.2.3.12 Command. */
function command(c: CommandSpec): PsObject {
  const merged = new Set(c.mergeToOutput ?? []);
  const args = psList(
    (c.parameters ?? []).map((p) => psPropertyBag({ N: p.name ?? null, V: toPsValue(p.value) })),
    TYPE_NAMES.psObjectList,
  );
  const bag: Record<string, PsValue> = {
    Cmd: c.command,
    IsScript: c.isScript ?? false,
    UseLocalScope: c.useLocalScope ?? null,
    // Protocol 2.1 fields: only the error stream could be merged, into output.
    MergeMyResult: enumValue('PipelineResultTypes', merged.has('error') ? 'Error' : 'None'),
    MergeToResult: enumValue('PipelineResultTypes', merged.has('error') ? 'Output' : 'None'),
    MergePreviousResults: enumValue('PipelineResultTypes', 'None'),
    Args: args,
  };
  for (const [stream, field] of MERGE_FIELDS) bag[field] = enumValue('PipelineResultTypes', merged.has(stream) ? 'Output' : 'None');
  return psPropertyBag(bag);
}

function commandList(commands: readonly CommandSpec[]): PsObject {
  return psList(commands.map(command), TYPE_NAMES.psObjectList);
}

/** MS-PSRP 2.2.2.6 CREATE_PIPELINE. */
export function createPipeline(p: PipelineSpec): PsObject {
  const [first, ...rest] = p.statements;
  if (!first || first.length === 0) throw new RangeError('a pipeline needs at least one command');
  const powerShell = psPropertyBag({
    // PowerShell writes the flag twice, here and on the message (test_psrp_nested_command).
    IsNested: p.isNested ?? false,
    // Windows clients list every statement here, the first included (observed in the recordings).
    ExtraCmds:
      rest.length === 0
        ? null
        : psList(
            p.statements.map((s) => psPropertyBag({ Cmds: commandList(s) })),
            TYPE_NAMES.psObjectList,
          ),
    Cmds: commandList(first),
    History: null,
    RedirectShellErrorOutputPipe: false,
  });
  return psPropertyBag({
    NoInput: p.noInput ?? true,
    ApartmentState: enumValue('ApartmentState', 'UNKNOWN'),
    RemoteStreamOptions: enumValue('RemoteStreamOptions', 'AddInvocationInfo'),
    AddToHistory: p.addToHistory ?? false,
    HostInfo: hostInfo(p.withHost),
    PowerShell: powerShell,
    IsNested: p.isNested ?? false,
  });
}

/** MS-PSRP 2.2.2.16/2.2.2.28 host responses: the method's return value, or an error record. */
export function hostResponse(
  callId: bigint,
  methodId: number,
  methodName: string,
  outcome: { result: PsValue } | { error: PsObject },
): PsObject {
  const bag: Record<string, PsValue> = {
    ci: callId,
    mi: new PsObject({
      typeNames: ['System.Management.Automation.Remoting.RemoteHostMethodId', 'System.Enum', 'System.ValueType', 'System.Object'],
      toStringText: methodName,
      value: methodId,
    }),
  };
  if ('result' in outcome) bag['mr'] = outcome.result;
  else bag['me'] = outcome.error;
  return psPropertyBag(bag);
}

/** MS-PSRP 2.2.2.5 PUBLIC_KEY: the base64 CAPI blob of the client's RSA key. */
export function publicKey(blobBase64: string): PsObject {
  return psPropertyBag({ PublicKey: blobBase64 });
}

/**
 * An ErrorRecord as PowerShell serializes one (MS-PSRP 2.2.3.15), for host responses that refuse a call:
 * the exception's message, the FullyQualifiedErrorId and the category.
 */
export function errorRecord(message: string, fullyQualifiedErrorId: string, categoryCode = 0, categoryName = 'NotSpecified'): PsObject {
  const exception = new PsObject({
    typeNames: ['System.Management.Automation.RuntimeException', 'System.SystemException', 'System.Exception', 'System.Object'],
    toStringText: message,
  });
  exception.adapted.set('Message', message);
  exception.adapted.set('HResult', -2146233087);
  const record = new PsObject({ typeNames: ['System.Management.Automation.ErrorRecord', 'System.Object'], toStringText: message });
  const ms: Record<string, PsValue> = {
    Exception: exception,
    TargetObject: null,
    FullyQualifiedErrorId: fullyQualifiedErrorId,
    InvocationInfo: null,
    ErrorCategory_Category: categoryCode,
    ErrorCategory_Activity: '',
    ErrorCategory_Reason: 'RuntimeException',
    ErrorCategory_TargetName: '',
    ErrorCategory_TargetType: '',
    ErrorCategory_Message: `${categoryName}: (:) [], RuntimeException`,
    SerializeExtendedInfo: false,
  };
  for (const [k, v] of Object.entries(ms)) record.extended.set(k, v);
  return record;
}
