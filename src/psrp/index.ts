// PowerShell Remoting Protocol, sans-IO (see README.md). Imports nothing of the project but src/common.
export { PsrpError, type PsrpErrorKind } from './errors';
export { EMPTY_GUID, bytesToGuid, guidToBytes, isGuid } from './guid';
export {
  MESSAGE_TYPE_NAMES,
  MessageType,
  isPipelineMessage,
  isPromptResponse,
  messageTypeInfo,
  messageTypeName,
  type MessageDirection,
  type MessageTypeName,
  type MessageTypeValue,
} from './message-types';
export {
  DEFAULT_FRAGMENT_LIMITS,
  FRAGMENT_HEADER_LENGTH,
  FragmentReader,
  ObjectIdSequence,
  Reassembler,
  encodeFragment,
  fragmentMessage,
  readFragments,
  type Fragment,
  type FragmentLimits,
} from './fragment';
export {
  Destination,
  MESSAGE_HEADER_LENGTH,
  decodeMessage,
  encodeMessage,
  type DestinationName,
  type EncodeMessageOptions,
  type PsrpMessage,
} from './message';
export { MessageReader, MessageWriter } from './message-stream';
export * from './clixml';
export * from './messages';
export * from './client';
