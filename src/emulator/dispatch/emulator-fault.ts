/**
 * Faults the emulator answers with, written in Windows' shape (MS-WSMV 2.2.4.43 WSManFault; the captured
 * faults in pypsrp's recorded Windows traffic): HTTP 500, s:Code with a
 * w:/a:/n: subcode, s:Reason, optional w:FaultDetail, and an f:WSManFault carrying the numeric code, the
 * machine name and the message (optionally wrapped in the f:ProviderFault of the plugin that raised it).
 */
import { NS, el, type XmlNodeSpec } from '../../wsman/xml';
import { ACTION, FAULT_DETAIL } from '../../wsman/soap';
import { FAULT_CODE } from '../../wsman/faults';
import { writeEnvelope } from './response-envelope';
import { EmulatorError } from '../emulator-error';

export interface ProviderInfo {
  readonly provider: string;
  readonly path: string;
}

export interface FaultSpec {
  readonly code: 'Sender' | 'Receiver';
  /** Qualified subcode as Windows writes it, e.g. `w:InvalidSelectors`. */
  readonly subcode: string;
  readonly reason: string;
  readonly wsmanCode: number;
  /** Defaults to the reason. */
  readonly message?: string;
  readonly faultDetail?: string;
  /** The plugin that raised the fault; `nested` repeats the WSManFault inside (as the Shell provider does). */
  readonly provider?: ProviderInfo & { readonly nested?: boolean };
  /** Defaults to the WS-Management fault Action. */
  readonly action?: string;
}

/** Thrown by operation handlers; the listener renders it as an HTTP 500 SOAP fault. */
export class EmulatorFault extends EmulatorError {
  override readonly name = 'EmulatorFault';
  constructor(readonly spec: FaultSpec) {
    super('wsman-fault', spec.message ?? spec.reason);
  }
}

export function renderFault(spec: FaultSpec, machine: string, relatesTo: string | undefined): string {
  const message = spec.message ?? spec.reason;
  const wsmanFault = (inner: ReadonlyArray<XmlNodeSpec | string>): XmlNodeSpec =>
    el(
      'f:WSManFault',
      [
        ['xmlns:f', NS.f],
        ['Code', String(spec.wsmanCode)],
        ['Machine', machine],
      ],
      el('f:Message', null, ...inner),
    );
  let inner: ReadonlyArray<XmlNodeSpec | string> = [message];
  if (spec.provider) {
    const attrs: Array<readonly [string, string]> = [
      ['provider', spec.provider.provider],
      ['path', spec.provider.path],
    ];
    inner = [el('f:ProviderFault', attrs, spec.provider.nested ? wsmanFault([message]) : message)];
  }
  const fault = el(
    's:Fault',
    null,
    el('s:Code', null, el('s:Value', null, `s:${spec.code}`), el('s:Subcode', null, el('s:Value', null, spec.subcode))),
    el('s:Reason', null, el('s:Text', [['xml:lang', 'en-US']], spec.reason)),
    el('s:Detail', null, spec.faultDetail ? el('w:FaultDetail', null, spec.faultDetail) : undefined, wsmanFault(inner)),
  );
  return writeEnvelope(spec.action ?? ACTION.WsmanFault, relatesTo, [fault]);
}

const SHELL_PROVIDER = { provider: 'Shell provider', path: '%systemroot%\\system32\\WsmSvc.dll' } as const;
const CMD_PLUGIN = { provider: 'Shell cmd plugin', path: '%systemroot%\\system32\\winrscmd.dll' } as const;

/** What Windows answers for an unknown selector value; the cases below differ only in message and provider. */
const INVALID_SELECTORS: FaultSpec = {
  code: 'Sender',
  subcode: 'w:InvalidSelectors',
  reason: 'The WS-Management service cannot process the request because the request contained invalid selectors for the resource. ',
  wsmanCode: FAULT_CODE.invalidSelectors,
  faultDetail: FAULT_DETAIL.unexpectedSelectors,
};

const SHELLS_PER_USER_REASON =
  'The WS-Management service cannot process the request. The maximum number of concurrent shells for this user has been exceeded. Close existing shells or raise the quota for this user. ';

function quotaLimit(reason: string, message: string, wsmanCode: number): EmulatorFault {
  return new EmulatorFault({ code: 'Sender', subcode: 'w:QuotaLimit', reason, message, wsmanCode });
}

/** Constructors for every fault the emulator raises. Texts end with the trailing space(s) Windows writes. */
export const faults = {
  /** Unknown ShellId (captured: test_psrp_is_alive_invalid_selectors). */
  shellNotFound: (): EmulatorFault => new EmulatorFault({ ...INVALID_SELECTORS, provider: { ...SHELL_PROVIDER, nested: true } }),
  /** Unknown CommandId (captured: test_winrs_bad_cmd_id). */
  commandNotFound: (): EmulatorFault =>
    new EmulatorFault({
      ...INVALID_SELECTORS,
      message:
        'The Windows Remote Shell received a request to perform an operation on a command identifier that does not exist. Either the command has completed execution or the client specified an invalid command identifier. ',
    }),
  /**
   * Unknown plugin Name or other selector on a configuration resource. Spec-derived (MS-WSMV 3.1.4.1.34.2):
   * no capture of a config/plugin fault exists, so the InvalidSelectors shape of the shell fault is reused.
   */
  invalidSelectors: (): EmulatorFault => new EmulatorFault(INVALID_SELECTORS),
  /** Receive long-poll expiry (captured: test_winrs_operation_timeout; two trailing spaces). */
  timedOut: (): EmulatorFault =>
    new EmulatorFault({
      code: 'Receiver',
      subcode: 'w:TimedOut',
      reason: 'The WS-Management service cannot complete the operation within the time specified in OperationTimeout.  ',
      wsmanCode: FAULT_CODE.operationTimedOut,
    }),
  /** Bad OperationTimeout header (captured: test_psrp_is_alive_other_wsman_error). */
  invalidTimeoutHeader: (raw: string): EmulatorFault =>
    new EmulatorFault({
      code: 'Sender',
      subcode: 'a:InvalidMessageInformationHeader',
      reason: 'The WS-Management service cannot process the request. The request contains one or more invalid SOAP headers. ',
      message: `The WS-Management service cannot process the request. The XML contains an invalid timeout field in the SOAP header: ${raw}. `,
      wsmanCode: FAULT_CODE.invalidMessageInformationHeader,
      action: ACTION.AddressingFault,
    }),
  /** Shells per user above the global winrs quota (code captured in WinRb wmi_error_v2.xml; WSManFault form spec-derived). */
  shellsPerUser: (limit: number): EmulatorFault =>
    quotaLimit(
      SHELLS_PER_USER_REASON,
      `The WS-Management service cannot process the request. This user is allowed a maximum number of ${limit} concurrent shells, which has been exceeded. Close existing shells or raise the quota for this user. `,
      FAULT_CODE.shellQuota,
    ),
  /** Per-plugin quotas (sdk codes ERROR_WSMAN_QUOTA_MAX_SHELLS_PPQ / _MAX_PLUGINSHELLS_PPQ; texts spec-derived). */
  pluginShellsPerUser: (plugin: string, limit: number): EmulatorFault =>
    quotaLimit(
      SHELLS_PER_USER_REASON,
      `The WS-Management service cannot process the request. This user is allowed a maximum number of ${limit} concurrent shells for the ${plugin} plugin, which has been exceeded. Close existing shells or raise the plugin quota MaxShellsPerUser. `,
      FAULT_CODE.pluginShellsPerUserQuota,
    ),
  pluginShells: (plugin: string, limit: number): EmulatorFault =>
    quotaLimit(
      'The WS-Management service cannot process the request. The maximum number of concurrent shells for this plugin has been exceeded. ',
      `The WS-Management service cannot process the request. The ${plugin} plugin allows a maximum number of ${limit} concurrent shells, which has been exceeded. Close existing shells or raise the plugin quota MaxShells. `,
      FAULT_CODE.pluginShellsQuota,
    ),
  /** Concurrent operations per user (sdk code ERROR_WSMAN_QUOTA_MAX_OPERATIONS; text spec-derived). */
  operationsPerUser: (limit: number): EmulatorFault =>
    quotaLimit(
      'The WS-Management service cannot process the request. The maximum number of concurrent operations for this user has been exceeded. Close existing operations for this user, or raise the quota for this user. ',
      `The WS-Management service cannot process the request. This user is allowed a maximum number of ${limit} concurrent operations, which has been exceeded. Close existing operations for this user, or raise the quota for this user. `,
      FAULT_CODE.operationsQuota,
    ),
  /** WINRS_SKIP_CMD_SHELL with a program that does not exist (captured: test_winrs_no_cmd_shell). */
  fileNotFound: (): EmulatorFault =>
    new EmulatorFault({
      code: 'Receiver',
      subcode: 'w:InternalError',
      reason: 'The system cannot find the file specified. ',
      wsmanCode: FAULT_CODE.fileNotFound,
      provider: CMD_PLUGIN,
    }),
  /** Bad argument to the cmd plugin (captured: test_winrs_fail_poll_process). */
  invalidParameter: (): EmulatorFault =>
    new EmulatorFault({
      code: 'Sender',
      subcode: 'w:InvalidParameter',
      reason: 'The parameter is incorrect. ',
      wsmanCode: FAULT_CODE.invalidParameter,
      faultDetail: FAULT_DETAIL.invalidValue,
      provider: CMD_PLUGIN,
    }),
  /** A configuration write that breaks a rule across values (ConfigFault InvalidParameter: inference, no capture). */
  invalidConfiguration: (detail: string): EmulatorFault =>
    new EmulatorFault({
      code: 'Sender',
      subcode: 'w:InvalidParameter',
      reason: 'The parameter is incorrect. ',
      message: `The parameter is incorrect. ${detail} `,
      wsmanCode: FAULT_CODE.invalidParameter,
    }),
  /** A body or configuration value the schema refuses (code captured by a third-party client; texts spec-derived). */
  schemaValidation: (detail: string): EmulatorFault =>
    new EmulatorFault({
      code: 'Sender',
      subcode: 'w:SchemaValidationError',
      reason: 'The WS-Management service cannot process the request because the XML is invalid. ',
      message: `The WS-Management service cannot process the request because the XML is invalid. ${detail} `,
      wsmanCode: FAULT_CODE.schemaValidation,
    }),
  /** Create of a plugin that exists (sdk code ERROR_WSMAN_ALREADY_EXISTS, subcode per DSP0226; text spec-derived). */
  alreadyExists: (name: string): EmulatorFault =>
    new EmulatorFault({
      code: 'Sender',
      subcode: 'w:AlreadyExists',
      reason: 'The WS-Management service cannot create the resource because it already exists. ',
      message: `The WS-Management service cannot create the resource because it already exists. A plugin named ${name} is already registered. `,
      wsmanCode: FAULT_CODE.alreadyExists,
    }),
  /** Unknown resource URI (sdk code ERROR_WSMAN_DESTINATION_UNREACHABLE; text spec-derived). */
  unknownResource: (uri: string): EmulatorFault =>
    new EmulatorFault({
      code: 'Sender',
      subcode: 'w:DestinationUnreachable',
      reason: 'The WS-Management service cannot process the request. The resource URI is not valid or the resource is not registered. ',
      message: `The WS-Management service cannot process the request. The resource URI ${uri} was not found in the WS-Management catalog. `,
      wsmanCode: FAULT_CODE.destinationUnreachable,
    }),
  /** Action not supported by the resource (sdk code ERROR_WSMAN_ACTION_NOT_SUPPORTED; text spec-derived). */
  actionNotSupported: (action: string): EmulatorFault =>
    new EmulatorFault({
      code: 'Sender',
      subcode: 'a:ActionNotSupported',
      reason: 'The action is not supported by the service. ',
      message: `The WS-Management service cannot process the request. The action ${action} is not supported for this resource. `,
      wsmanCode: FAULT_CODE.actionNotSupported,
      action: ACTION.AddressingFault,
    }),
  /** Unknown enumeration context (DSP0226 wsen:InvalidEnumerationContext; code spec-derived). */
  invalidEnumerationContext: (): EmulatorFault =>
    new EmulatorFault({
      code: 'Receiver',
      subcode: 'n:InvalidEnumerationContext',
      reason: 'The WS-Management service cannot process the request because the enumeration context supplied in the message is not valid. ',
      wsmanCode: FAULT_CODE.invalidEnumerationContext,
      action: ACTION.EnumerationFault,
    }),
  /**
   * MaxConcurrentCommandsPerShell of a PowerShell plugin reached. The code is wsmerror.h's
   * ERROR_WSMAN_QUOTA_MAX_COMMANDS_PER_SHELL_PPQ as best known (no capture); the text follows the other quotas.
   */
  commandsPerShell: (limit: number): EmulatorFault =>
    quotaLimit(
      'The WS-Management service cannot process the request. The maximum number of concurrent commands per shell has been exceeded. ',
      `The WS-Management service cannot process the request. This shell is allowed a maximum of ${limit} concurrent commands, which has been exceeded. Close existing commands or raise the quota for this shell. `,
      FAULT_CODE.pluginCommandsPerShellQuota,
    ),
  /** MaxConcurrentUsers of a PowerShell plugin reached (code ERROR_WSMAN_QUOTA_MAX_USERS_PPQ as best known; no capture). */
  pluginUsers: (plugin: string, limit: number): EmulatorFault =>
    quotaLimit(
      'The WS-Management service cannot process the request. The maximum number of users has been exceeded. ',
      `The WS-Management service cannot process the request. The ${plugin} plugin allows a maximum of ${limit} concurrent users, which has been exceeded. `,
      FAULT_CODE.pluginUsersQuota,
    ),
  /** An operation other than Reconnect/Connect/Delete/Get on a disconnected shell (ERROR_WINRS_SHELL_DISCONNECTED; text spec-derived). */
  shellNotConnected: (): EmulatorFault =>
    new EmulatorFault({
      code: 'Receiver',
      subcode: 'w:InternalError',
      reason: 'The request cannot be processed because the shell is disconnected. Reconnect or connect to the shell first. ',
      wsmanCode: FAULT_CODE.shellDisconnected,
      provider: { ...SHELL_PROVIDER, nested: true },
    }),
  /** Connect to a shell a client is attached to (MS-WSMV 3.1.4.17: InternalError; text spec-derived). */
  shellNotDisconnected: (): EmulatorFault =>
    new EmulatorFault({
      code: 'Receiver',
      subcode: 'w:InternalError',
      reason: 'The shell cannot be connected because it is not in the Disconnected state, or it is connected to another client. ',
      wsmanCode: FAULT_CODE.shellDisconnected,
      provider: { ...SHELL_PROVIDER, nested: true },
    }),
  /**
   * A user the endpoint's SDDL does not let in (Win32 ERROR_ACCESS_DENIED, subcode w:AccessDenied of
   * DSP0226 table 2 / MS-WSTIM 3.1.4.2.1; the text is FormatMessage(5) as WinRM writes Win32 errors).
   * Spec-derived, no capture.
   */
  accessDenied: (): EmulatorFault =>
    new EmulatorFault({ code: 'Sender', subcode: 'w:AccessDenied', reason: 'Access is denied. ', wsmanCode: FAULT_CODE.accessDenied }),
  /** The PowerShell engine (pwsh -s) failed or is missing: the plugin's InternalError (E_FAIL), with the emulator's explanation. */
  powershellEngine: (detail: string): EmulatorFault =>
    new EmulatorFault({
      code: 'Receiver',
      subcode: 'w:InternalError',
      reason: `The WS-Management service cannot process the request. The PowerShell plugin failed: ${detail} `,
      wsmanCode: FAULT_CODE.unspecifiedFailure,
      provider: { provider: 'microsoft.powershell', path: '%windir%\\system32\\pwrshplugin.dll' },
    }),
} as const;
