/** ResourceURIs of the WS-Management resources the provider and the emulator speak about. */

const WSMAN_MS = 'http://schemas.microsoft.com/wbem/wsman/1';

export const RESOURCE_URI = {
  /** The service configuration root (`winrm/config`), answered with a cfg:Config document. */
  config: `${WSMAN_MS}/config`,
  configClient: `${WSMAN_MS}/config/client`,
  configService: `${WSMAN_MS}/config/service`,
  configServiceAuth: `${WSMAN_MS}/config/service/auth`,
  configWinrs: `${WSMAN_MS}/config/winrs`,
  /** Session configurations are WinRM plugins, addressed with the selector `Name`. */
  configPlugin: `${WSMAN_MS}/config/plugin`,
  /** All shells of the host (Get-PSSession enumerates this). */
  shell: `${WSMAN_MS}/windows/shell`,
  shellCommand: `${WSMAN_MS}/windows/shell/Command`,
  shellCmd: `${WSMAN_MS}/windows/shell/cmd`,
  /** WMI class used to start a process out of band (spec-derived: MS-WSMV WMI binding, no capture). */
  win32Process: `${WSMAN_MS}/wmi/root/cimv2/Win32_Process`,
  /** Prefix of a PowerShell session configuration's shell URI: the prefix plus the endpoint name. */
  powershellPrefix: 'http://schemas.microsoft.com/powershell/',
  /** WMI registry provider (spec-derived, no capture): where the restart marker is written and read. */
  stdRegProv: `${WSMAN_MS}/wmi/root/default/StdRegProv`,
} as const;

/** Addressing role meaning "reply on this connection" (ReplyTo and response To). */
export const ANONYMOUS_ADDRESS = 'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous';

/** The SelectorFilter dialect used to enumerate the commands of one shell. */
export const SELECTOR_FILTER_DIALECT = 'http://schemas.dmtf.org/wbem/wsman/1/wsman/SelectorFilter';

/** Fault detail URIs Windows puts in w:FaultDetail. */
export const FAULT_DETAIL = {
  unexpectedSelectors: 'http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/UnexpectedSelectors',
  invalidValue: 'http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/InvalidValue',
} as const;
