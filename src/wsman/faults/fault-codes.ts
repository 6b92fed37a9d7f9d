/**
 * WSManFault codes users meet. "captured" = seen in recorded Windows traffic; "sdk" = value from the
 * Windows SDK's wsmerror.h / winerror.h only (no recorded response carries it).
 */
export const FAULT_CODE = {
  /** Unknown ShellId / CommandId / plugin Name (captured). Not wsmerror.h's ERROR_WSMAN_INVALID_SELECTORS. */
  invalidSelectors: 2150858843,
  /** Receive long-poll expired without output (captured); the client simply asks again. */
  operationTimedOut: 2150858793,
  /** Maximum number of concurrent shells for the user exceeded (captured, WMI error form). */
  shellQuota: 2150859173,
  /** Maximum number of concurrent operations for the user exceeded (sdk). */
  operationsQuota: 2150859174,
  /** The plugin's MaxShellsPerUser exceeded (sdk: ERROR_WSMAN_QUOTA_MAX_SHELLS_PPQ). */
  pluginShellsPerUserQuota: 2150859236,
  /** The plugin's MaxShells exceeded (sdk: ERROR_WSMAN_QUOTA_MAX_PLUGINSHELLS_PPQ). */
  pluginShellsQuota: 2150859238,
  /** The plugin's MaxConcurrentUsers exceeded (sdk: ERROR_WSMAN_QUOTA_MAX_USERS_PPQ as best known; no capture). */
  pluginUsersQuota: 2150859237,
  /** The plugin's MaxConcurrentCommandsPerShell exceeded (sdk: ERROR_WSMAN_QUOTA_MAX_COMMANDS_PER_SHELL_PPQ as best known; no capture). */
  pluginCommandsPerShellQuota: 2150859241,
  /** Request body failed schema validation (captured by a third-party client). */
  schemaValidation: 2150858817,
  /** Bad addressing header, e.g. OperationTimeout `PT-1S` (captured). */
  invalidMessageInformationHeader: 2150858767,
  /** Enumeration filter could not be processed (captured, WMI). */
  cannotProcessFilter: 2150858778,
  /** Create of a resource that exists (sdk: ERROR_WSMAN_ALREADY_EXISTS, subcode w:AlreadyExists). */
  alreadyExists: 2150858803,
  /** Unknown resource URI (sdk: ERROR_WSMAN_DESTINATION_UNREACHABLE). */
  destinationUnreachable: 2150858770,
  /** Action the resource does not support (sdk: ERROR_WSMAN_ACTION_NOT_SUPPORTED). */
  actionNotSupported: 2150858771,
  /** Unknown enumeration context (sdk: ERROR_WSMAN_INVALID_ENUMERATION_CONTEXT). */
  invalidEnumerationContext: 2150858805,
  /** The shell was disconnected (sdk: ERROR_WINRS_SHELL_DISCONNECTED). */
  shellDisconnected: 2150859204,
  /** Win32 ERROR_ACCESS_DENIED, subcode w:AccessDenied (sdk; no capture). */
  accessDenied: 5,
  /** Win32 ERROR_INVALID_PARAMETER (captured: winrscmd.dll, w:InvalidParameter). */
  invalidParameter: 87,
  /** HRESULT of ERROR_FILE_NOT_FOUND (captured: command not found with WINRS_SKIP_CMD_SHELL, w:InternalError). */
  fileNotFound: 2147942402,
  /** HRESULT of ERROR_FILENAME_EXCED_RANGE (captured: command line too long). */
  filenameTooLong: 2147942606,
  /** HRESULT E_FAIL, a plugin's unspecified failure (sdk: winerror.h; no capture). */
  unspecifiedFailure: 2147500037,
} as const;

export type FaultCodeName = keyof typeof FAULT_CODE;

/** The constant's name for a code, for messages and logs. */
export function faultCodeName(code: number | undefined): FaultCodeName | undefined {
  if (code === undefined) return undefined;
  return (Object.keys(FAULT_CODE) as FaultCodeName[]).find((k) => FAULT_CODE[k] === code);
}
