/**
 * What a session configuration applies to the sessions it gives, seen from a real session: the
 * IdleTimeOut, MaxIdleTimeOut and BufferMode of the shell Create answer (MS-WSMV 2.2.4.37, recorded in
 * test_psrp_open_runspace), and whether a trivial pipeline runs in it.
 */
import { errorMessage } from '../../common';
import { parseDuration, type WsmanClient } from '../../wsman';
import { PowerShellSession, type OperationGate } from '../powershell';

export interface EndpointView {
  readonly idleTimeoutMs?: number;
  readonly maxIdleTimeoutMs?: number;
  readonly bufferMode?: string;
  /** `ran` when the pipeline completed, else why not. */
  readonly pipeline: string;
}

/**
 * A command every endpoint but an empty one exposes (RestrictedRemoteServer keeps Get-Command visible),
 * run as a command rather than script text so NoLanguage endpoints accept it.
 */
const PROBE = { statements: [[{ command: 'Get-Command', parameters: [{ name: 'Name', value: 'Get-Command' }] }]] };

/** Opens a session on the endpoint, reads its settings from the Create answer, runs the probe, closes it. Refusals throw. */
export async function probeEndpoint(
  client: WsmanClient,
  gate: OperationGate,
  configurationName: string,
  signal: AbortSignal,
): Promise<EndpointView> {
  const session = await PowerShellSession.open(client, { configurationName, noProfile: true, gate, signal });
  try {
    const info = session.shell.info;
    const max = info?.fields.MaxIdleTimeOut;
    let pipeline: string;
    try {
      const r = await session.invoke(PROBE, { signal });
      const failure = r.reason ?? r.errors[0];
      pipeline = r.state === 'Completed' && !failure ? 'ran' : `${r.state}${failure ? `: ${failure.message}` : ''}`;
    } catch (e) {
      pipeline = `failed: ${errorMessage(e)}`;
    }
    return {
      idleTimeoutMs: info?.idleTimeoutMs,
      maxIdleTimeoutMs: max === undefined ? undefined : parseDuration(max),
      bufferMode: info?.bufferMode,
      pipeline,
    };
  } finally {
    await session.close().catch(() => undefined);
  }
}
