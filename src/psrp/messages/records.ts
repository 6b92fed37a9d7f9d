import { PsObject, numberProperty, stringProperty, type PsValue } from '../clixml/values';

/**
 * Typed views of the records PowerShell streams (MS-PSRP 2.2.3.15 ErrorRecord, 2.2.2.21–2.2.2.26
 * informational, progress and information records). Each keeps the deserialized object as `raw`.
 */

/** System.Management.Automation.ErrorCategory, by value (MS-PSRP 2.2.3.9 references the .NET enum). */
export const ERROR_CATEGORIES = [
  'NotSpecified',
  'OpenError',
  'CloseError',
  'DeviceError',
  'DeadlockDetected',
  'InvalidArgument',
  'InvalidData',
  'InvalidOperation',
  'InvalidResult',
  'InvalidType',
  'MetadataError',
  'NotImplemented',
  'NotInstalled',
  'ObjectNotFound',
  'OperationStopped',
  'OperationTimeout',
  'SyntaxError',
  'ParserError',
  'PermissionDenied',
  'ResourceBusy',
  'ResourceExists',
  'ResourceUnavailable',
  'ReadError',
  'WriteError',
  'FromStdErr',
  'SecurityError',
  'ProtocolError',
  'ConnectionError',
  'AuthenticationError',
  'LimitsExceeded',
  'QuotaExceeded',
  'NotEnabled',
] as const;

export interface ErrorRecordView {
  /** ErrorDetails.Message when set, else the exception's message, else ToString (as PowerShell shows it). */
  readonly message: string;
  readonly fullyQualifiedErrorId: string;
  readonly category: {
    readonly code: number;
    /** ErrorCategory name, e.g. ObjectNotFound. */
    readonly name: string;
    readonly activity: string;
    readonly reason: string;
    readonly targetName: string;
    readonly targetType: string;
    /** The category line: `ObjectNotFound: (FileSystem:String) [Get-Item], ProviderNotFoundException`. */
    readonly line: string;
  };
  /** The .NET type of the exception (e.g. System.Management.Automation.RuntimeException). */
  readonly exceptionType?: string;
  readonly scriptStackTrace?: string;
  readonly positionMessage?: string;
  readonly targetObject: PsValue | undefined;
  readonly raw: PsObject;
}

export function readErrorRecord(value: PsValue): ErrorRecordView {
  const obj = value instanceof PsObject ? value : new PsObject({ toStringText: String(value ?? '') });
  const exception = obj.get('Exception');
  const exceptionMessage = stringProperty(exception, 'Message');
  const code = numberProperty(obj, 'ErrorCategory_Category') ?? 0;
  const name = ERROR_CATEGORIES[code] ?? String(code);
  const activity = stringProperty(obj, 'ErrorCategory_Activity') ?? '';
  const reason = stringProperty(obj, 'ErrorCategory_Reason') ?? '';
  const targetName = stringProperty(obj, 'ErrorCategory_TargetName') ?? '';
  const targetType = stringProperty(obj, 'ErrorCategory_TargetType') ?? '';
  const invocation = obj.get('InvocationInfo');
  return {
    message: nonEmpty(stringProperty(obj, 'ErrorDetails_Message')) ?? exceptionMessage ?? obj.toString(),
    fullyQualifiedErrorId: stringProperty(obj, 'FullyQualifiedErrorId') ?? '',
    category: {
      code,
      name,
      activity,
      reason,
      targetName,
      targetType,
      line: stringProperty(obj, 'ErrorCategory_Message') ?? `${name}: (${targetName}:${targetType}) [${activity}], ${reason}`,
    },
    exceptionType: exception instanceof PsObject ? exception.typeNames[0]?.replace(/^Deserialized\./, '') : undefined,
    scriptStackTrace: stringProperty(obj, 'ErrorDetails_ScriptStackTrace'),
    positionMessage: nonEmpty(stringProperty(invocation, 'PositionMessage') ?? stringProperty(obj, 'InvocationInfo_PositionMessage')),
    targetObject: obj.get('TargetObject'),
    raw: obj,
  };
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}

/** Debug, verbose and warning records (MS-PSRP 2.2.2.22–2.2.2.24). */
export interface InformationalRecordView {
  readonly message: string;
  readonly raw: PsValue;
}

export function readInformationalRecord(value: PsValue): InformationalRecordView {
  return { message: stringProperty(value, 'InformationalRecord_Message') ?? String(value ?? ''), raw: value };
}

/** MS-PSRP 2.2.2.26 INFORMATION_RECORD (protocol 2.3): Write-Information and Write-Host. */
export interface InformationRecordView {
  readonly messageData: PsValue | undefined;
  /** The text: Write-Host's HostInformationMessage.Message, else the data as text. */
  readonly text: string;
  readonly source: string;
  readonly tags: string[];
  readonly timeGenerated?: string;
  readonly raw: PsValue;
}

export function readInformationRecord(value: PsValue): InformationRecordView {
  const obj = value instanceof PsObject ? value : undefined;
  const data = obj?.get('MessageData');
  const tags = obj?.get('Tags');
  return {
    messageData: data,
    text: stringProperty(data, 'Message') ?? (data instanceof PsObject ? data.toString() : String(data ?? '')),
    source: stringProperty(obj, 'Source') ?? '',
    tags: tags instanceof PsObject ? tags.items.map((t) => String(t)) : [],
    timeGenerated: stringProperty(obj, 'TimeGenerated'),
    raw: value,
  };
}

/** MS-PSRP 2.2.2.25 PROGRESS_RECORD. */
export interface ProgressRecordView {
  readonly activity: string;
  readonly activityId: number;
  readonly statusDescription: string;
  readonly currentOperation?: string;
  readonly parentActivityId: number;
  readonly percentComplete: number;
  readonly completed: boolean;
  readonly secondsRemaining: number;
}

export function readProgressRecord(value: PsValue): ProgressRecordView {
  return {
    activity: stringProperty(value, 'Activity') ?? '',
    activityId: numberProperty(value, 'ActivityId') ?? 0,
    statusDescription: stringProperty(value, 'StatusDescription') ?? '',
    currentOperation: stringProperty(value, 'CurrentOperation'),
    parentActivityId: numberProperty(value, 'ParentActivityId') ?? -1,
    percentComplete: numberProperty(value, 'PercentComplete') ?? -1,
    completed: numberProperty(value, 'Type') === 1,
    secondsRemaining: numberProperty(value, 'SecondsRemaining') ?? -1,
  };
}
