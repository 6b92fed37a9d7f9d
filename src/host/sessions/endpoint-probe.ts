/**
 * What a session configuration applies to the sessions it gives, seen from a real session as the
 * provider's user: the IdleTimeOut, MaxIdleTimeOut and BufferMode of the shell Create answer (MS-WSMV
 * 2.2.4.37, recorded in test_psrp_open_runspace), whether a trivial pipeline runs, the session's language
 * mode, and in a restricted session the commands it lets that user see (GET_COMMAND_METADATA, MS-PSRP
 * 3.1.4.5: what Get-Command asks over PSRP, so a NoLanguage endpoint answers it too). A JEA endpoint's
 * visible commands depend on the role capabilities its role definitions give the connecting user's groups.
 */
import { errorMessage } from '../../common';
import type { ErrorRecordView } from '../../psrp';
import { parseDuration, type WsmanClient } from '../../wsman';
import { PowerShellSession, type OperationGate } from '../powershell';

export interface EndpointView {
  readonly idleTimeoutMs?: number;
  readonly maxIdleTimeoutMs?: number;
  readonly bufferMode?: string;
  /** `ran` when the pipeline completed, else why not. */
  readonly pipeline: string;
  /** FullLanguage, ConstrainedLanguage, RestrictedLanguage or NoLanguage (about_Language_Modes); else why it is not known. */
  readonly languageMode: string;
  /** The names of the commands the session shows, sorted, once each; only in a session that is not FullLanguage (a full one sees every module on the host). */
  readonly visibleCommands?: readonly string[];
}

/**
 * A command every endpoint but an empty one exposes (RestrictedRemoteServer keeps Get-Command visible),
 * run as a command rather than script text so NoLanguage endpoints accept it.
 */
const PROBE = { statements: [[{ command: 'Get-Command', parameters: [{ name: 'Name', value: 'Get-Command' }] }]] };

/** Script text: it answers its language mode where scripts may read properties, and the refusal tells the other modes. */
const LANGUAGE_PROBE = '$ExecutionContext.SessionState.LanguageMode';

/**
 * The parse errors PowerShell raises for the probe in the modes that refuse it (checked against
 * PowerShell 7.6 runspaces in each mode): NoLanguage refuses any script, RestrictedLanguage the
 * property reference.
 */
const REFUSALS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^ScriptsNotAllowed/, 'NoLanguage'],
  [/NotSupportedInDataSection|NotAllowedInRestrictedLanguage/, 'RestrictedLanguage'],
];

const LANGUAGE_MODES = new Set(['FullLanguage', 'ConstrainedLanguage', 'RestrictedLanguage', 'NoLanguage']);

/** Opens a session on the endpoint, reads its settings from the Create answer, runs the probes, closes it. Refusals throw. */
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
    const languageMode = await probeLanguageMode(session, signal);
    return {
      idleTimeoutMs: info?.idleTimeoutMs,
      maxIdleTimeoutMs: max === undefined ? undefined : parseDuration(max),
      bufferMode: info?.bufferMode,
      pipeline,
      languageMode,
      visibleCommands: languageMode === 'FullLanguage' ? undefined : await visibleCommandNames(session, signal),
    };
  } finally {
    await session.close().catch(() => undefined);
  }
}

async function probeLanguageMode(session: PowerShellSession, signal: AbortSignal): Promise<string> {
  try {
    const r = await session.runScript(LANGUAGE_PROBE, { signal });
    const failure: ErrorRecordView | undefined = r.reason ?? r.errors[0];
    if (!failure) {
      const answer = r.output.length === 1 ? String(r.output[0]) : '';
      return LANGUAGE_MODES.has(answer) ? answer : `unknown (the session answered ${JSON.stringify(answer.slice(0, 64))})`;
    }
    const refusal = REFUSALS.find(([id]) => id.test(failure.fullyQualifiedErrorId));
    return refusal ? refusal[1] : `unknown (${failure.fullyQualifiedErrorId}: ${failure.message})`;
  } catch (e) {
    return `unknown (${errorMessage(e)})`;
  }
}

/** Undefined when the endpoint refuses command discovery (it hides Get-Command: the pipeline probe says so already). */
async function visibleCommandNames(session: PowerShellSession, signal: AbortSignal): Promise<string[] | undefined> {
  let found: Array<{ name: string }>;
  try {
    found = await session.visibleCommands({ signal });
  } catch (e) {
    if (signal.aborted) throw e;
    return undefined;
  }
  const byLower = new Map<string, string>();
  for (const c of found) if (!byLower.has(c.name.toLowerCase())) byLower.set(c.name.toLowerCase(), c.name);
  return [...byLower.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, name]) => name);
}
