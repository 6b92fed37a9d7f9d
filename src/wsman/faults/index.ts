export { FAULT_CODE, faultCodeName, type FaultCodeName } from './fault-codes';
export { WsmanFault, type WsmanFaultFields, type ProviderFault } from './wsman-fault';
export { parseFault, findFault } from './fault-parse';
export { WsmanError, WsmanAuthError, WsmanHttpError, WsmanTransportError, WsmanBadResponseError, type TransportFailure } from './errors';
