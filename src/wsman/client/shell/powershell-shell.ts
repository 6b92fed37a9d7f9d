import type { WsmanClient } from '../wsman-client';
import type { CallOptions } from '../client-options';
import { FAULT_CODE } from '../../faults/fault-codes';
import { WsmanFault } from '../../faults/wsman-fault';
import { WsmanBadResponseError, WsmanTransportError, type TransportFailure } from '../../faults/errors';
import { ACTION, SIGNAL } from '../../soap/actions';
import { RESOURCE_URI } from '../../soap/resource-uris';
import { NS, child, type XmlElement } from '../../xml';
import {
  readCommandResponse,
  readCreateShellResponse,
  readShell,
  RECEIVE_OPTIONS,
  commandOptions,
  sendBody,
  type ShellInfo,
} from './shell-messages';
import {
  connectCommandBody,
  connectPoolBody,
  createPowerShellShellBody,
  createPowerShellShellOptions,
  disconnectBody,
  powerShellCommandBody,
  powerShellReceiveBody,
  protocolVersionOption,
  readConnectResponse,
  readPsrpReceive,
  reconnectBody,
  type BufferMode,
  type PowerShellShellOptions,
  type PsrpReceived,
} from './powershell-shell-messages';

/**
 * Stop a pipeline (MS-PSRP 3.1.5.3.7). The spec and PowerShell's plugin spell it `crtl_c`; the plugin
 * compares ordinally, and any other code sent to a command closes it instead (PowerShell
 * fanin/WSManPluginShellSession.cs).
 */
export const POWERSHELL_STOP_SIGNAL = 'powershell/signal/crtl_c';

/**
 * A PowerShell shell (a runspace pool) on a host, carried by WS-Man (MS-PSRP 3.1.5.3): every operation
 * PowerShell remoting needs, with opaque PSRP bytes in and out.
 */
export class PowerShellShell {
  private constructor(
    private readonly client: WsmanClient,
    readonly resourceUri: string,
    readonly shellId: string,
    readonly info: ShellInfo | undefined,
  ) {}

  /** `http://schemas.microsoft.com/powershell/<configurationName>` */
  static resourceUriOf(configurationName: string): string {
    return `${RESOURCE_URI.powershellPrefix}${configurationName}`;
  }

  /** Create (MS-PSRP 3.1.5.3.1): the shell, with the first PSRP payload as creationXml. */
  static async create(
    client: WsmanClient,
    configurationName: string,
    o: PowerShellShellOptions,
    call: CallOptions = {},
  ): Promise<PowerShellShell> {
    const resourceUri = PowerShellShell.resourceUriOf(configurationName);
    const env = await client.invoke(ACTION.Create, resourceUri, {
      ...call,
      options: createPowerShellShellOptions(o),
      body: createPowerShellShellBody(o),
    });
    const info = readCreateShellResponse(env.body);
    return new PowerShellShell(client, resourceUri, info.shellId, info);
  }

  /** A handle on a shell known by id (for Connect from a fresh client, or after a restart of ours). */
  static attach(client: WsmanClient, configurationName: string, shellId: string): PowerShellShell {
    return new PowerShellShell(client, PowerShellShell.resourceUriOf(configurationName), shellId, undefined);
  }

  /** Command (MS-PSRP 3.1.5.3.3): starts the pipeline `commandId`; returns the CommandId the host uses. */
  async command(commandId: string, firstPayload: Buffer, call: CallOptions = {}): Promise<string> {
    const env = await this.client.invoke(ACTION.Command, this.resourceUri, {
      ...call,
      selectors: this.selectors(),
      options: commandOptions({}),
      body: powerShellCommandBody(commandId, firstPayload),
    });
    return readCommandResponse(env.body);
  }

  /** Send (MS-PSRP 3.1.5.3.5) to the pool (no commandId) or a pipeline. */
  async send(commandId: string | undefined, stream: 'stdin' | 'pr', data: Buffer, call: CallOptions = {}): Promise<void> {
    await this.client.invoke(ACTION.Send, this.resourceUri, {
      ...call,
      selectors: this.selectors(),
      body: sendBody(commandId, data, undefined, stream),
    });
  }

  /**
   * One Receive long-poll (MS-PSRP 3.1.5.3.6) of the pool or a pipeline, with KeepAlive. A w:TimedOut
   * fault (nothing within OperationTimeout) is returned as an empty result: the caller polls again.
   */
  async receive(commandId: string | undefined, call: CallOptions = {}): Promise<PsrpReceived> {
    try {
      const env = await this.client.invoke(ACTION.Receive, this.resourceUri, {
        ...call,
        operationTimeoutMs: call.operationTimeoutMs ?? this.client.receiveTimeoutMs,
        selectors: this.selectors(),
        options: RECEIVE_OPTIONS,
        body: powerShellReceiveBody(commandId),
      });
      return readPsrpReceive(env.body);
    } catch (e) {
      if (e instanceof WsmanFault && e.code === FAULT_CODE.operationTimedOut) return { chunks: [], done: false };
      throw e;
    }
  }

  /** Stops a running pipeline (MS-PSRP 3.1.5.3.7). */
  async stop(commandId: string, call: CallOptions = {}): Promise<void> {
    await this.signal(commandId, POWERSHELL_STOP_SIGNAL, call);
  }

  /** Closes a pipeline's command on the host (MS-PSRP 3.1.5.3.8: terminate). */
  async terminate(commandId: string, call: CallOptions = {}): Promise<void> {
    await this.signal(commandId, SIGNAL.terminate, call);
  }

  private async signal(commandId: string, code: string, call: CallOptions): Promise<void> {
    await this.client.invoke(ACTION.Signal, this.resourceUri, {
      ...call,
      selectors: this.selectors(),
      body: { name: 'rsp:Signal', attrs: [['CommandId', commandId]], children: [{ name: 'rsp:Code', children: [code] }] },
    });
  }

  /** Delete (MS-PSRP 3.1.5.3.9): closes the pool and every pipeline in it. */
  async delete(call: CallOptions = {}): Promise<void> {
    await this.client.invoke(ACTION.Delete, this.resourceUri, { ...call, selectors: this.selectors() });
  }

  /** Disconnect (MS-PSRP 3.1.5.3.15): the shell keeps running, buffering output, until reconnected or idle too long. */
  async disconnect(o: { idleTimeoutMs?: number; bufferMode?: BufferMode } = {}, call: CallOptions = {}): Promise<void> {
    await this.client.invoke(ACTION.Disconnect, this.resourceUri, { ...call, selectors: this.selectors(), body: disconnectBody(o) });
  }

  /** Reconnect (MS-PSRP 3.1.5.3.18) from the client that disconnected (same wsmv:SessionId). */
  async reconnect(commandId?: string, call: CallOptions = {}): Promise<void> {
    await this.client.invoke(ACTION.Reconnect, this.resourceUri, { ...call, selectors: this.selectors(), body: reconnectBody(commandId) });
  }

  /** Connect of the pool from any client (MS-PSRP 3.1.5.3.17); returns connectResponseXml. */
  async connect(connectXml: Buffer, protocolVersion: string, call: CallOptions = {}): Promise<Buffer> {
    const env = await this.client.invoke(ACTION.Connect, this.resourceUri, {
      ...call,
      selectors: this.selectors(),
      options: protocolVersionOption(protocolVersion),
      body: connectPoolBody(connectXml),
    });
    return readConnectResponse(env.body);
  }

  /** Connect of a pipeline left running (MS-PSRP 3.1.5.3.19), after the pool's connect. */
  async connectCommand(commandId: string, call: CallOptions = {}): Promise<void> {
    await this.client.invoke(ACTION.Connect, this.resourceUri, {
      ...call,
      selectors: this.selectors(),
      body: connectCommandBody(commandId),
    });
  }

  /** Get of this shell on `windows/shell` (state Connected/Disconnected, idle timeout, buffer mode…). */
  async get(call: CallOptions = {}): Promise<ShellInfo> {
    return getShell(this.client, this.shellId, call);
  }

  /**
   * Whether the shell is still there for this client, by a Get of it (pypsrp's RunspacePool.is_alive): false
   * when the host reports it Disconnected, no longer knows the ShellId (w:InvalidSelectors), does not answer
   * within OperationTimeout (w:TimedOut), or the connection to it fails; any other fault or failure is thrown.
   */
  async isAlive(call: CallOptions = {}): Promise<boolean> {
    try {
      return (await this.get(call)).state !== 'Disconnected';
    } catch (e) {
      if (e instanceof WsmanFault && (e.code === FAULT_CODE.invalidSelectors || e.code === FAULT_CODE.operationTimedOut)) return false;
      if (e instanceof WsmanTransportError && CONNECTION_LOST.has(e.kind)) return false;
      throw e;
    }
  }

  private selectors(): Record<string, string> {
    return { ShellId: this.shellId };
  }
}

/** Transport failures that mean the host cannot be reached (not a cancel, a TLS or a size problem). */
const CONNECTION_LOST: ReadonlySet<TransportFailure> = new Set(['connect-refused', 'connect-timeout', 'reset', 'dns']);

/** Get of one shell by id (MS-WSMV 3.1.4.1 on `windows/shell`). */
export async function getShell(client: WsmanClient, shellId: string, call: CallOptions = {}): Promise<ShellInfo> {
  const el = await client.get(RESOURCE_URI.shell, { ShellId: shellId }, call);
  return readShell(el.local === 'Shell' ? el : (child(el, NS.rsp, 'Shell') ?? el), shellId);
}

/** The caller's shells on the host (Enumerate of `windows/shell`), PowerShell ones and others. */
export async function enumerateShells(client: WsmanClient, call: CallOptions = {}): Promise<ShellInfo[]> {
  const items = await client.enumerate(RESOURCE_URI.shell, call);
  return items.filter((i) => i.local === 'Shell').map((i) => readShell(i));
}

export interface ShellCommandInfo {
  readonly commandId: string;
  readonly commandLine?: string;
  /** e.g. Running, Done */
  readonly state?: string;
}

/** The commands of one shell (Enumerate of `windows/shell/Command` with a SelectorFilter on ShellId). */
export async function enumerateShellCommands(client: WsmanClient, shellId: string, call: CallOptions = {}): Promise<ShellCommandInfo[]> {
  const items = await client.enumerate(RESOURCE_URI.shellCommand, { ...call, selectorFilter: { ShellId: shellId } });
  return items.filter((i) => i.local === 'Command').map(readShellCommand);
}

function readShellCommand(c: XmlElement): ShellCommandInfo {
  const text = (n: string): string | undefined => child(c, NS.rsp, n)?.text.trim();
  const id = text('CommandId');
  if (!id) throw new WsmanBadResponseError('an enumerated command has no CommandId');
  const state = text('CommandState');
  return { commandId: id, commandLine: text('CommandLine'), state: state?.slice(state.lastIndexOf('/') + 1) };
}
