import type { WsmanClient } from '../wsman-client';
import type { CallOptions } from '../client-options';
import { FAULT_CODE } from '../../faults/fault-codes';
import { WsmanFault } from '../../faults/wsman-fault';
import { WsmanError } from '../../faults/errors';
import { ACTION, SIGNAL } from '../../soap/actions';
import { RESOURCE_URI } from '../../soap/resource-uris';
import {
  RECEIVE_OPTIONS,
  commandBody,
  commandOptions,
  createShellBody,
  createShellOptions,
  readCommandResponse,
  readCreateShellResponse,
  readReceiveResponse,
  receiveBody,
  sendBody,
  signalBody,
  type CommandOptions,
  type ReceiveResult,
  type ShellInfo,
  type ShellOptions,
} from './shell-messages';

export interface CommandResult {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly exitCode: number | undefined;
}

export interface CollectOptions extends CallOptions {
  /** Stop with an error once this much output has arrived. Default 64 MiB. */
  readonly maxOutputBytes?: number;
  /** Called with each chunk as it arrives (for streaming to logs). */
  readonly onOutput?: (stream: string, chunk: Buffer) => void;
}

export type SignalName = 'ctrl_c' | 'ctrl_break' | 'terminate';
export const SIGNAL_URI: Readonly<Record<SignalName, string>> = {
  ctrl_c: SIGNAL.ctrlC,
  ctrl_break: SIGNAL.ctrlBreak,
  terminate: SIGNAL.terminate,
};

/** A WinRS shell (`windows/shell/cmd` by default) on one host and the commands run in it. */
export class WinrsShell {
  private constructor(
    private readonly client: WsmanClient,
    readonly resourceUri: string,
    readonly info: ShellInfo,
  ) {}

  get id(): string {
    return this.info.shellId;
  }

  static async open(
    client: WsmanClient,
    options: ShellOptions = {},
    call: CallOptions & { resourceUri?: string } = {},
  ): Promise<WinrsShell> {
    const resourceUri = call.resourceUri ?? RESOURCE_URI.shellCmd;
    const env = await client.invoke(ACTION.Create, resourceUri, {
      ...call,
      options: createShellOptions(options),
      body: createShellBody(options),
    });
    return new WinrsShell(client, resourceUri, readCreateShellResponse(env.body));
  }

  /** A handle on an existing shell (e.g. one found by enumerating `windows/shell`). */
  static attach(client: WsmanClient, shellId: string, resourceUri: string = RESOURCE_URI.shellCmd): WinrsShell {
    return new WinrsShell(client, resourceUri, { shellId, resourceUri, fields: {} });
  }

  /** Starts a command; returns its CommandId. */
  async command(command: string, args: readonly string[] = [], options: CommandOptions & CallOptions = {}): Promise<string> {
    const env = await this.client.invoke(ACTION.Command, this.resourceUri, {
      ...options,
      selectors: this.selectors(),
      options: commandOptions(options),
      body: commandBody(command, args),
    });
    return readCommandResponse(env.body);
  }

  /**
   * One Receive long-poll; without a CommandId it receives shell-level output. A w:TimedOut fault (no
   * output within OperationTimeout) is returned as empty output.
   */
  async receive(commandId: string | undefined, opts: CallOptions = {}): Promise<ReceiveResult> {
    try {
      const env = await this.client.invoke(ACTION.Receive, this.resourceUri, {
        ...opts,
        operationTimeoutMs: opts.operationTimeoutMs ?? this.client.receiveTimeoutMs,
        selectors: this.selectors(),
        options: RECEIVE_OPTIONS,
        body: receiveBody(commandId),
      });
      return readReceiveResponse(env.body);
    } catch (e) {
      if (e instanceof WsmanFault && e.code === FAULT_CODE.operationTimedOut) return { streams: {}, ended: [], done: false };
      throw e;
    }
  }

  /** Receives until the command is Done; returns all stdout/stderr and the exit code. */
  async collect(commandId: string, opts: CollectOptions = {}): Promise<CommandResult> {
    const max = opts.maxOutputBytes ?? 64 * 1024 * 1024;
    const out: Record<'stdout' | 'stderr', Buffer[]> = { stdout: [], stderr: [] };
    let total = 0;
    for (;;) {
      const r = await this.receive(commandId, opts);
      for (const [name, chunk] of Object.entries(r.streams)) {
        if (chunk.length === 0) continue;
        total += chunk.length;
        if (total > max) throw new WsmanError(`command output exceeded ${max} bytes`);
        opts.onOutput?.(name, chunk);
        if (name === 'stdout' || name === 'stderr') out[name].push(chunk);
      }
      if (r.done) return { stdout: Buffer.concat(out.stdout), stderr: Buffer.concat(out.stderr), exitCode: r.exitCode };
    }
  }

  /** Sends stdin data; `end` closes the command's stdin. */
  async send(commandId: string, data: Buffer | string, end: boolean, opts: CallOptions = {}): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    await this.client.invoke(ACTION.Send, this.resourceUri, {
      ...opts,
      selectors: this.selectors(),
      body: sendBody(commandId, bytes, end),
    });
  }

  async signal(commandId: string, signal: SignalName, opts: CallOptions = {}): Promise<void> {
    await this.client.invoke(ACTION.Signal, this.resourceUri, {
      ...opts,
      selectors: this.selectors(),
      body: signalBody(commandId, SIGNAL_URI[signal]),
    });
  }

  /** Deletes the shell (ends every command in it). */
  async close(opts: CallOptions = {}): Promise<void> {
    await this.client.invoke(ACTION.Delete, this.resourceUri, { ...opts, selectors: this.selectors() });
  }

  private selectors(): Record<string, string> {
    return { ShellId: this.info.shellId };
  }
}

/**
 * Runs one command in a fresh shell: Create, Command, Send (optional stdin), Receive until Done,
 * Signal terminate, Delete — the shell is deleted even when the command fails.
 */
export async function runCommand(
  client: WsmanClient,
  command: string,
  args: readonly string[] = [],
  opts: CollectOptions & { shell?: ShellOptions; command?: CommandOptions; stdin?: Buffer | string } = {},
): Promise<CommandResult> {
  const shell = await WinrsShell.open(client, opts.shell, opts);
  try {
    const id = await shell.command(command, args, { ...opts.command, signal: opts.signal });
    if (opts.stdin !== undefined) await shell.send(id, opts.stdin, true, { signal: opts.signal });
    const result = await shell.collect(id, opts);
    await shell.signal(id, 'terminate', { signal: opts.signal });
    return result;
  } finally {
    // The command's own outcome is what the caller needs; a shell we fail to delete expires by IdleTimeOut.
    await shell.close().catch(() => undefined);
  }
}
