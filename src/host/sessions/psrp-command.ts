/**
 * A command run over PSRP inside a chosen session configuration, as `Invoke-Command -ConfigurationName`
 * does: a new session on the endpoint, the environment and working directory set by commands (not
 * script text, so constrained endpoints that expose Set-Item/Set-Location accept them), the script, and
 * the output rendered by the endpoint's own Out-String. The session is closed whatever happens.
 */
import type { PipelineSpec, PsValue, PsrpEvent } from '../../psrp';
import type { WsmanClient } from '../../wsman';
import { BoundedOutput } from '../command-output';
import { CommandTimeoutError, type RemoteCommandResult } from '../commands/remote-command';
import { HostError } from '../host-error';
import { PowerShellSession, type OperationGate, type PipelineResult, type RunningPipeline } from '../powershell';
import { outputJson, plainText, recordText, renderErrorRecord } from './psrp-text';

export interface PsrpCommand {
  /** The session configuration (endpoint) the command runs in. */
  readonly configurationName: string;
  readonly script: string;
  readonly environment?: Readonly<Record<string, string>>;
  readonly workingDirectory?: string;
  readonly timeoutMs: number;
  /** Per output (stdout, stderr, output_json); stdout and stderr keep head and tail, the JSON its first objects. */
  readonly maxOutputBytes: number;
}

export type PsrpRunState = 'Running' | PipelineResult['state'];

export interface PsrpCommandResult extends RemoteCommandResult {
  /** The output objects as a JSON array. */
  readonly outputJson: string;
  readonly state: PsrpRunState;
}

/** PowerShell's host method id of SetShouldExit (`exit N` in the script; MS-PSRP 2.2.3.17). */
const SET_SHOULD_EXIT = 6;

/**
 * Collects what one pipeline reports, in arrival order: output objects, stderr text from its records,
 * the exit code an `exit N` asked for (the SetShouldExit host call), and the final state.
 */
export class PsrpResultCollector {
  private readonly stderr: BoundedOutput;
  private readonly output: PsValue[] = [];
  private exitRequested: number | undefined;
  private state: PsrpRunState = 'Running';

  constructor(private readonly maxOutputBytes: number) {
    this.stderr = new BoundedOutput(maxOutputBytes);
  }

  get done(): boolean {
    return this.state !== 'Running';
  }

  readonly onEvent = (e: PsrpEvent): void => {
    const text = recordText(e);
    if (text !== undefined) this.stderr.push(Buffer.from(text, 'utf8'));
    if (e.kind === 'output') this.output.push(e.value);
    if (e.kind === 'hostCall' && e.call.methodId === SET_SHOULD_EXIT && typeof e.call.parameters[0] === 'number')
      this.exitRequested = e.call.parameters[0];
    if (e.kind === 'pipelineState' && (e.state === 'Completed' || e.state === 'Failed' || e.state === 'Stopped')) {
      this.state = e.state;
      if (e.error) this.stderr.push(Buffer.from(renderErrorRecord(e.error), 'utf8'));
    }
  };

  /**
   * What was collected, stdout rendered in `session` (which must still be open). The exit code follows
   * what `pwsh -File` reports for the same script: the value of `exit N`, else 1 when the script ended
   * with a terminating error or was stopped, else 0 (errors that did not stop the script leave it 0).
   * Still running: the exit code is 0 until the end.
   */
  async result(session: PowerShellSession, signal: AbortSignal): Promise<PsrpCommandResult> {
    const exitCode = this.exitRequested ?? (this.state === 'Completed' || this.state === 'Running' ? 0 : 1);
    const { json } = outputJson(this.output, this.maxOutputBytes);
    const stdout = new BoundedOutput(this.maxOutputBytes);
    stdout.push(Buffer.from(await renderOutput(session, this.output, signal), 'utf8'));
    return { stdout: stdout.text(), stderr: this.stderr.text(), exitCode, outputJson: json, state: this.state };
  }
}

/**
 * The output as PowerShell prints it: the objects sent back to the endpoint's Out-String (formatting
 * views apply to their Deserialized types). An endpoint that does not expose Out-String gets each
 * object's ToString per line instead.
 */
async function renderOutput(session: PowerShellSession, output: readonly PsValue[], signal: AbortSignal): Promise<string> {
  if (output.length === 0) return '';
  const r = await session.invoke({ statements: [[{ command: 'Out-String' }]] }, { input: output, signal });
  if (r.state !== 'Completed' || r.errors.length > 0) return plainText(output);
  return r.output.map((v) => (typeof v === 'string' ? v : String(v))).join('');
}

/** Set-Item Env:NAME and Set-Location as commands; undefined when there is nothing to set. */
export function preparationPipeline(c: Pick<PsrpCommand, 'environment' | 'workingDirectory'>): PipelineSpec | undefined {
  const statements = Object.entries(c.environment ?? {}).map(([name, value]) => [
    {
      command: 'Set-Item',
      parameters: [
        { name: 'LiteralPath', value: `Env:${name}` },
        { name: 'Value', value },
      ],
    },
  ]);
  if (c.workingDirectory !== undefined)
    statements.push([{ command: 'Set-Location', parameters: [{ name: 'LiteralPath', value: c.workingDirectory }] }]);
  return statements.length === 0 ? undefined : { statements };
}

/** Runs the preparation; a refusal (the endpoint hides Set-Item, a missing directory) fails with PowerShell's reason. */
export async function prepare(
  session: PowerShellSession,
  c: Pick<PsrpCommand, 'environment' | 'workingDirectory'>,
  signal: AbortSignal,
): Promise<void> {
  const spec = preparationPipeline(c);
  if (!spec) return;
  const r = await session.invoke(spec, { signal });
  const failure = r.reason ?? r.errors[0];
  if (failure)
    throw new PsrpCommandError(
      `setting the environment and working directory failed: ${failure.message} (${failure.fullyQualifiedErrorId})`,
    );
}

export class PsrpCommandError extends HostError {
  override readonly name = 'PsrpCommandError';
  constructor(message: string) {
    super('psrp-command', message);
  }
}

/** The user's script as the one command of a pipeline (what Invoke-Command -ScriptBlock sends). */
export const scriptPipeline = (script: string): PipelineSpec => ({ statements: [[{ command: script, isScript: true }]] });

/** Runs `c` in a new session on its endpoint and closes the session; a timeout stops the pipeline first. */
export async function runPsrpCommand(
  client: WsmanClient,
  gate: OperationGate,
  c: PsrpCommand,
  signal: AbortSignal,
): Promise<PsrpCommandResult> {
  const timeout = AbortSignal.timeout(c.timeoutMs);
  const until = AbortSignal.any([signal, timeout]);
  let session: PowerShellSession | undefined;
  let running: RunningPipeline | undefined;
  try {
    session = await PowerShellSession.open(client, { configurationName: c.configurationName, noProfile: true, gate, signal: until });
    await prepare(session, c, until);
    const collector = new PsrpResultCollector(c.maxOutputBytes);
    running = await session.start(scriptPipeline(c.script), { onEvent: collector.onEvent, signal: until });
    await untilAborted(running.result, until);
    return await collector.result(session, until);
  } catch (e) {
    if (running && until.aborted) await running.stop().catch(() => undefined);
    if (signal.aborted) throw signal.reason;
    if (timeout.aborted) throw new CommandTimeoutError(`the command ran longer than ${Math.round(c.timeoutMs / 1000)} s and was stopped`);
    throw e;
  } finally {
    await session?.close().catch(() => undefined);
  }
}

/** The promise, or the signal's reason once it aborts. */
export function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  const reason = (): Error => (signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
  if (signal.aborted) return Promise.reject(reason());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(reason());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
