/** WS-Addressing Action URIs of the operations we send and the responses and faults Windows returns. */
import { NS } from '../xml';

// Each specification names its Actions under its own namespace URI.
const TRANSFER = NS.x;
const ENUMERATION = NS.n;
const SHELL = NS.rsp;

export const ACTION = {
  Get: `${TRANSFER}/Get`,
  GetResponse: `${TRANSFER}/GetResponse`,
  Put: `${TRANSFER}/Put`,
  PutResponse: `${TRANSFER}/PutResponse`,
  Create: `${TRANSFER}/Create`,
  CreateResponse: `${TRANSFER}/CreateResponse`,
  Delete: `${TRANSFER}/Delete`,
  DeleteResponse: `${TRANSFER}/DeleteResponse`,
  Enumerate: `${ENUMERATION}/Enumerate`,
  EnumerateResponse: `${ENUMERATION}/EnumerateResponse`,
  Pull: `${ENUMERATION}/Pull`,
  PullResponse: `${ENUMERATION}/PullResponse`,
  Release: `${ENUMERATION}/Release`,
  ReleaseResponse: `${ENUMERATION}/ReleaseResponse`,
  Command: `${SHELL}/Command`,
  CommandResponse: `${SHELL}/CommandResponse`,
  Receive: `${SHELL}/Receive`,
  ReceiveResponse: `${SHELL}/ReceiveResponse`,
  Send: `${SHELL}/Send`,
  SendResponse: `${SHELL}/SendResponse`,
  Signal: `${SHELL}/Signal`,
  SignalResponse: `${SHELL}/SignalResponse`,
  Disconnect: `${SHELL}/Disconnect`,
  DisconnectResponse: `${SHELL}/DisconnectResponse`,
  Reconnect: `${SHELL}/Reconnect`,
  ReconnectResponse: `${SHELL}/ReconnectResponse`,
  Connect: `${SHELL}/Connect`,
  ConnectResponse: `${SHELL}/ConnectResponse`,
  /** Action of WS-Management faults (InvalidSelectors, TimedOut, AccessDenied, ...). */
  WsmanFault: 'http://schemas.dmtf.org/wbem/wsman/1/wsman/fault',
  /** Action of WS-Addressing faults (e.g. a:InvalidMessageInformationHeader). */
  AddressingFault: `${NS.a}/fault`,
  /** Action of WS-Enumeration faults (e.g. n:CannotProcessFilter). */
  EnumerationFault: `${ENUMERATION}/fault`,
} as const;

/** The Action of a WMI method invocation: the class resource URI followed by the method name (spec-derived). */
export function wmiMethodAction(resourceUri: string, method: string): string {
  return `${resourceUri}/${method}`;
}

/** The Action a successful response carries for a request Action (Windows appends "Response"). */
export function responseAction(requestAction: string): string {
  return `${requestAction}Response`;
}

/** Signal codes of WinRS (MS-WSMV 2.2.5.6); Windows accepts `Terminate` capitalised as captured. */
export const SIGNAL = {
  ctrlC: `${SHELL}/signal/ctrl_c`,
  ctrlBreak: `${SHELL}/signal/ctrl_break`,
  terminate: `${SHELL}/signal/Terminate`,
  psCtrlC: 'http://schemas.microsoft.com/powershell/signal/ctrl_c',
} as const;

/** CommandState values reported in a ReceiveResponse. */
export const COMMAND_STATE = {
  running: `${SHELL}/CommandState/Running`,
  done: `${SHELL}/CommandState/Done`,
  pending: `${SHELL}/CommandState/Pending`,
} as const;
