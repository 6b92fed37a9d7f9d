import { WinrsShell, type WsmanClient } from '../../wsman';
import { BoundedOutput, readableStderr } from '../command-output';
import type { HostLog } from '../host-log';
import { HostError } from '../host-error';

export interface RemoteCommand {
  /** The command line, run by the host's command interpreter (cmd.exe on Windows). */
  readonly commandLine: string;
  readonly environment?: Readonly<Record<string, string>>;
  readonly workingDirectory?: string;
  /** The command is signalled and its shell deleted when it runs longer. */
  readonly timeoutMs: number;
  /** Per stream; beyond it the middle of the output is dropped and a marker says how much. */
  readonly maxOutputBytes: number;
}

export interface RemoteCommandResult {
  readonly stdout: string;
  /** stderr as readable text (PowerShell's CLIXML rendered). */
  readonly stderr: string;
  readonly exitCode: number;
}

export class CommandTimeoutError extends HostError {
  override readonly name = 'CommandTimeoutError';
  constructor(message: string) {
    super('command-timeout', message);
  }
}

/**
 * A shell we lose track of (provider killed) is removed by the host after this much inactivity. Receive
 * long-polls keep a running command's shell active. 120 s is inside every Windows default (the winrs
 * IdleTimeout floor is 60 s; asking above the host's maximum is a schema fault, pywinrm#377).
 */
const SHELL_IDLE_MS = 120_000;

/**
 * Runs one command in its own WinRS shell: UTF-8 code page, no profile, output bounded, and the shell
 * deleted whatever happens — finished, failed, timed out or cancelled by terraform — so no shell leaks
 * into the host's MaxShellsPerUser quota.
 */
export async function runRemoteCommand(
  client: WsmanClient,
  openShell: (open: () => Promise<WinrsShell>) => Promise<WinrsShell>,
  cmd: RemoteCommand,
  signal: AbortSignal,
  log: HostLog,
): Promise<RemoteCommandResult> {
  const timeout = AbortSignal.timeout(cmd.timeoutMs);
  const until = AbortSignal.any([signal, timeout]);
  const shell = await openShell(() =>
    WinrsShell.open(
      client,
      {
        noProfile: true,
        codepage: 65001,
        environment: cmd.environment,
        workingDirectory: cmd.workingDirectory,
        idleTimeoutMs: SHELL_IDLE_MS,
      },
      { signal: until },
    ),
  );
  let commandId: string | undefined;
  try {
    commandId = await shell.command(cmd.commandLine, [], { signal: until });
    const stdout = new BoundedOutput(cmd.maxOutputBytes);
    const stderr = new BoundedOutput(cmd.maxOutputBytes);
    for (;;) {
      const r = await shell.receive(commandId, { signal: until });
      if (r.streams.stdout) stdout.push(r.streams.stdout);
      if (r.streams.stderr) stderr.push(r.streams.stderr);
      if (r.done) {
        return { stdout: stdout.text(), stderr: readableStderr(stderr.text()), exitCode: r.exitCode ?? 0 };
      }
    }
  } catch (e) {
    if (commandId !== undefined && until.aborted) {
      // Stop the process before removing its shell; Windows also ends it with the shell, this is belt and braces.
      await shell.signal(commandId, 'terminate', { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    }
    if (signal.aborted) throw signal.reason;
    if (timeout.aborted) {
      throw new CommandTimeoutError(`the command ran longer than ${Math.round(cmd.timeoutMs / 1000)} s and was stopped`);
    }
    throw e;
  } finally {
    await shell
      .close({ signal: AbortSignal.timeout(15_000) })
      .catch((e: Error) => log.warn('could not delete shell; the host removes it when idle', { shell: shell.id, error: e.message }));
  }
}
