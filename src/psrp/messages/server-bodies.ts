import { PsrpError } from '../errors';
import { PsObject, PsScalar, numberProperty, stringProperty, type PsValue } from '../clixml/values';
import { enumMemberName } from './enums';
import { readErrorRecord, type ErrorRecordView } from './records';
import type { Versions } from './client-bodies';

/** Readers of the bodies a server sends (MS-PSRP 2.2.2.x). A missing mandatory field is a `clixml` PsrpError. */

function bag(value: PsValue, what: string): PsObject {
  if (!(value instanceof PsObject)) throw new PsrpError('clixml', `${what} is not an object`);
  return value;
}

function requiredNumber(value: PsValue, name: string, what: string): number {
  const n = numberProperty(value, name);
  if (n === undefined) throw new PsrpError('clixml', `${what} lacks ${name}`);
  return n;
}

/** MS-PSRP 2.2.2.1 SESSION_CAPABILITY (either side). */
export function readSessionCapability(value: PsValue): Versions {
  const o = bag(value, 'SESSION_CAPABILITY');
  const version = (name: string): string => {
    const v = o.get(name);
    if (!(v instanceof PsScalar) && typeof v !== 'string') throw new PsrpError('clixml', `SESSION_CAPABILITY lacks ${name}`);
    return String(v);
  };
  return {
    protocolVersion: version('protocolversion'),
    psVersion: version('PSVersion'),
    serializationVersion: version('SerializationVersion'),
  };
}

/**
 * RunspacePoolState as servers serialize it (.NET numbering; MS-PSRP 2.2.3.4 numbers 6–9 differently,
 * but every PowerShell server sends the .NET values).
 */
export const POOL_STATES = [
  'BeforeOpen',
  'Opening',
  'Opened',
  'Closed',
  'Closing',
  'Broken',
  'Disconnecting',
  'Disconnected',
  'Connecting',
] as const;
export type RemotePoolState = (typeof POOL_STATES)[number];

/** PSInvocationState (MS-PSRP 2.2.3.5). */
export const PIPELINE_STATES = ['NotStarted', 'Running', 'Stopping', 'Stopped', 'Completed', 'Failed', 'Disconnected'] as const;
export type RemotePipelineState = (typeof PIPELINE_STATES)[number];

export interface StateReport<S> {
  readonly state: S;
  readonly error?: ErrorRecordView;
}

function stateReport<S extends string>(value: PsValue, field: string, names: readonly S[], what: string): StateReport<S> {
  const code = requiredNumber(value, field, what);
  const state = names[code];
  if (state === undefined) throw new PsrpError('clixml', `${what} has unknown state ${code}`);
  const err = bag(value, what).get('ExceptionAsErrorRecord');
  return err instanceof PsObject ? { state, error: readErrorRecord(err) } : { state };
}

/** MS-PSRP 2.2.2.9 RUNSPACEPOOL_STATE. */
export function readPoolState(value: PsValue): StateReport<RemotePoolState> {
  return stateReport(value, 'RunspaceState', POOL_STATES, 'RUNSPACEPOOL_STATE');
}

/** MS-PSRP 2.2.2.21 PIPELINE_STATE. */
export function readPipelineState(value: PsValue): StateReport<RemotePipelineState> {
  return stateReport(value, 'PipelineState', PIPELINE_STATES, 'PIPELINE_STATE');
}

/** MS-PSRP 2.2.2.13 APPLICATION_PRIVATE_DATA: the server's PSPrimitiveDictionary (PSVersionTable…). */
export function readApplicationPrivateData(value: PsValue): PsValue {
  return bag(value, 'APPLICATION_PRIVATE_DATA').get('ApplicationPrivateData') ?? null;
}

/** MS-PSRP 2.2.2.30 RUNSPACEPOOL_INIT_DATA. */
export function readInitData(value: PsValue): { minRunspaces: number; maxRunspaces: number } {
  return {
    minRunspaces: requiredNumber(value, 'MinRunspaces', 'RUNSPACEPOOL_INIT_DATA'),
    maxRunspaces: requiredNumber(value, 'MaxRunspaces', 'RUNSPACEPOOL_INIT_DATA'),
  };
}

/** MS-PSRP 2.2.2.12 RUNSPACE_AVAILABILITY: a boolean (set/reset) or a count (get), with the call id. */
export function readRunspaceAvailability(value: PsValue): { callId: bigint; response: boolean | bigint } {
  const o = bag(value, 'RUNSPACE_AVAILABILITY');
  const ci = o.get('ci');
  const r = o.get('SetMinMaxRunspacesResponse');
  if (typeof ci !== 'bigint') throw new PsrpError('clixml', 'RUNSPACE_AVAILABILITY lacks ci');
  if (typeof r === 'boolean' || typeof r === 'bigint') return { callId: ci, response: r };
  if (typeof r === 'number') return { callId: ci, response: BigInt(r) };
  throw new PsrpError('clixml', 'RUNSPACE_AVAILABILITY lacks SetMinMaxRunspacesResponse');
}

export interface HostCall {
  /** -100 for void methods, which take no answer. */
  readonly callId: bigint;
  readonly methodId: number;
  readonly method: string;
  readonly parameters: PsValue[];
}

/** MS-PSRP 2.2.2.15 / 2.2.2.27 host calls. */
export function readHostCall(value: PsValue): HostCall {
  const o = bag(value, 'host call');
  const ci = o.get('ci');
  if (typeof ci !== 'bigint') throw new PsrpError('clixml', 'host call lacks ci');
  const methodId = requiredNumber(o, 'mi', 'host call');
  const mp = o.get('mp');
  return {
    callId: ci,
    methodId,
    method: enumMemberName('RemoteHostMethodId', methodId) ?? stringProperty(o, 'mi') ?? String(methodId),
    parameters: mp instanceof PsObject ? mp.items : [],
  };
}

/** MS-PSRP 2.2.2.6 ENCRYPTED_SESSION_KEY. */
export function readEncryptedSessionKey(value: PsValue): string {
  const key = stringProperty(value, 'EncryptedSessionKey');
  if (key === undefined) throw new PsrpError('clixml', 'ENCRYPTED_SESSION_KEY lacks EncryptedSessionKey');
  return key;
}
