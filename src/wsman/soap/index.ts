export { ACTION, SIGNAL, COMMAND_STATE, wmiMethodAction, responseAction } from './actions';
export { RESOURCE_URI, ANONYMOUS_ADDRESS, SELECTOR_FILTER_DIALECT, FAULT_DETAIL } from './resource-uris';
export { parseDuration, formatDurationSeconds, formatDurationMillis, formatDurationDays } from './duration';
export { readEnvelope, readSelectorSet, type Envelope, type EnvelopeHeaders, type OptionValue } from './envelope-read';
export {
  buildRequest,
  namespaceDeclarations,
  newMessageId,
  DEFAULT_MAX_ENVELOPE_SIZE,
  DEFAULT_LOCALE,
  type RequestHeaders,
  type RequestBody,
  type OptionInput,
} from './envelope-build';
