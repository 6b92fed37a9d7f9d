/**
 * Every PSRP message type, declared once (MS-PSRP 2.2.1 and 2.2.2.x; values as PowerShell's
 * `RemotingDataType` in src/System.Management.Automation/engine/remoting/common/WireDataFormat/RemotingDataObject.cs).
 * The high word groups them: 0x0001 session, 0x0002 runspace pool, 0x0004 pipeline.
 */

/** Who sends a message: the client, the server, both, or neither in MS-PSRP (PowerShell-internal ids). */
export type MessageDirection = 'client' | 'server' | 'both' | 'internal';

interface MessageTypeInfo {
  readonly value: number;
  readonly sender: MessageDirection;
  /** The protocol version that introduced it (MS-PSRP 1.7 and 2.2.2.x). */
  readonly since: '2.0' | '2.2' | '2.3';
}

const TABLE = {
  SESSION_CAPABILITY: { value: 0x00010002, sender: 'both', since: '2.0' },
  /** PowerShell's CloseSession, never on the wire of MS-PSRP. */
  CLOSE_SESSION: { value: 0x00010003, sender: 'internal', since: '2.0' },
  INIT_RUNSPACEPOOL: { value: 0x00010004, sender: 'client', since: '2.0' },
  PUBLIC_KEY: { value: 0x00010005, sender: 'client', since: '2.0' },
  ENCRYPTED_SESSION_KEY: { value: 0x00010006, sender: 'server', since: '2.0' },
  PUBLIC_KEY_REQUEST: { value: 0x00010007, sender: 'server', since: '2.0' },
  CONNECT_RUNSPACEPOOL: { value: 0x00010008, sender: 'client', since: '2.2' },
  SET_MAX_RUNSPACES: { value: 0x00021002, sender: 'client', since: '2.0' },
  SET_MIN_RUNSPACES: { value: 0x00021003, sender: 'client', since: '2.0' },
  RUNSPACE_AVAILABILITY: { value: 0x00021004, sender: 'server', since: '2.0' },
  RUNSPACEPOOL_STATE: { value: 0x00021005, sender: 'server', since: '2.0' },
  CREATE_PIPELINE: { value: 0x00021006, sender: 'client', since: '2.0' },
  GET_AVAILABLE_RUNSPACES: { value: 0x00021007, sender: 'client', since: '2.0' },
  USER_EVENT: { value: 0x00021008, sender: 'server', since: '2.0' },
  APPLICATION_PRIVATE_DATA: { value: 0x00021009, sender: 'server', since: '2.0' },
  GET_COMMAND_METADATA: { value: 0x0002100a, sender: 'client', since: '2.0' },
  RUNSPACEPOOL_INIT_DATA: { value: 0x0002100b, sender: 'server', since: '2.2' },
  RESET_RUNSPACE_STATE: { value: 0x0002100c, sender: 'client', since: '2.3' },
  RUNSPACEPOOL_HOST_CALL: { value: 0x00021100, sender: 'server', since: '2.0' },
  RUNSPACEPOOL_HOST_RESPONSE: { value: 0x00021101, sender: 'client', since: '2.0' },
  PIPELINE_INPUT: { value: 0x00041002, sender: 'client', since: '2.0' },
  END_OF_PIPELINE_INPUT: { value: 0x00041003, sender: 'client', since: '2.0' },
  PIPELINE_OUTPUT: { value: 0x00041004, sender: 'server', since: '2.0' },
  ERROR_RECORD: { value: 0x00041005, sender: 'server', since: '2.0' },
  PIPELINE_STATE: { value: 0x00041006, sender: 'server', since: '2.0' },
  DEBUG_RECORD: { value: 0x00041007, sender: 'server', since: '2.0' },
  VERBOSE_RECORD: { value: 0x00041008, sender: 'server', since: '2.0' },
  WARNING_RECORD: { value: 0x00041009, sender: 'server', since: '2.0' },
  PROGRESS_RECORD: { value: 0x00041010, sender: 'server', since: '2.0' },
  INFORMATION_RECORD: { value: 0x00041011, sender: 'server', since: '2.3' },
  /** PowerShell's StopPowerShell, never on the wire of MS-PSRP. */
  STOP_POWERSHELL: { value: 0x00041012, sender: 'internal', since: '2.0' },
  PIPELINE_HOST_CALL: { value: 0x00041100, sender: 'server', since: '2.0' },
  PIPELINE_HOST_RESPONSE: { value: 0x00041101, sender: 'client', since: '2.0' },
} as const satisfies Record<string, MessageTypeInfo>;

export type MessageTypeName = keyof typeof TABLE;

/** Name → numeric value, e.g. `MessageType.PIPELINE_OUTPUT === 0x00041004`. */
export const MessageType: { readonly [K in MessageTypeName]: (typeof TABLE)[K]['value'] } = Object.fromEntries(
  Object.entries(TABLE).map(([name, info]) => [name, info.value]),
) as { readonly [K in MessageTypeName]: (typeof TABLE)[K]['value'] };

export type MessageTypeValue = (typeof TABLE)[MessageTypeName]['value'];

const BY_VALUE = new Map<number, MessageTypeName>(Object.entries(TABLE).map(([name, info]) => [info.value, name as MessageTypeName]));

/** The name of a numeric message type, or undefined for a value no PowerShell sends. */
export function messageTypeName(value: number): MessageTypeName | undefined {
  return BY_VALUE.get(value);
}

export function messageTypeInfo(name: MessageTypeName): MessageTypeInfo {
  return TABLE[name];
}

/** Every declared message type, in table order. */
export const MESSAGE_TYPE_NAMES = Object.keys(TABLE) as MessageTypeName[];

/** Pool-level messages carry an empty PID; pipeline messages (0x0004xxxx, and CREATE_PIPELINE / GET_COMMAND_METADATA) name a pipeline. */
export function isPipelineMessage(value: number): boolean {
  return (value & 0xffff0000) === 0x00040000;
}

/** Messages a client sends on the `pr` stream rather than `stdin` (MS-PSRP 3.1.5.3.5: host responses). */
export function isPromptResponse(value: number): boolean {
  return value === TABLE.RUNSPACEPOOL_HOST_RESPONSE.value || value === TABLE.PIPELINE_HOST_RESPONSE.value;
}
