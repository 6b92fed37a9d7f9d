/**
 * A minimal PSRP client for the emulator's PowerShell shells in tests: the creationXml, CREATE_PIPELINE and
 * connectXml bodies pypsrp sends (shapes from ../shared/fixtures/pypsrp, written here as test data), framed
 * with src/psrp, and the WS-Man steps around them.
 */
import { randomUUID } from 'node:crypto';
import { EMPTY_GUID, MessageReader, MessageWriter, type PsrpMessage } from '../../src/psrp';
import { ACTION, COMMAND_STATE } from '../../src/wsman/soap';
import { NS, attr, child, childText, childrenNamed, el } from '../../src/wsman/xml';
import type { Answer, TestClient } from './wsman-test-client';

export const PS_URI = 'http://schemas.microsoft.com/powershell/Microsoft.PowerShell';
const FRAGMENT = 32 * 1024;

const CAPABILITY =
  '<Obj RefId="0"><MS><Version N="protocolversion">2.3</Version><Version N="PSVersion">2.0</Version><Version N="SerializationVersion">1.1.0.1</Version></MS></Obj>';
const ENUM = (type: string, name: string, value: number, refId: number, tn: number): string =>
  `<Obj N="${type.split('.').pop()}" RefId="${refId}"><TN RefId="${tn}"><T>${type}</T><T>System.Enum</T><T>System.ValueType</T><T>System.Object</T></TN><ToString>${name}</ToString><I32>${value}</I32></Obj>`;
const HOST_INFO =
  '<MS><B N="_isHostNull">true</B><B N="_isHostUINull">true</B><B N="_isHostRawUINull">true</B><B N="_useRunspaceHost">true</B></MS>';
const INIT =
  '<Obj RefId="0"><MS><I32 N="MinRunspaces">1</I32><I32 N="MaxRunspaces">1</I32>' +
  ENUM('System.Management.Automation.Runspaces.PSThreadOptions', 'Default', 0, 1, 0) +
  ENUM('System.Management.Automation.Runspaces.ApartmentState', 'UNKNOWN', 2, 2, 1) +
  `<Obj N="HostInfo" RefId="3">${HOST_INFO}</Obj><Nil N="ApplicationArguments" /></MS></Obj>`;

function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '_x000A_');
}

function createPipeline(script: string, noInput: boolean): string {
  const merge = (n: string, r: number): string =>
    `<Obj N="${n}" RefId="${r}"><TNRef RefId="3" /><ToString>None</ToString><I32>0</I32></Obj>`;
  const list =
    'System.Collections.Generic.List`1[[System.Management.Automation.PSObject, System.Management.Automation, Version=1.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35]]';
  return (
    `<Obj RefId="0"><MS><B N="NoInput">${noInput}</B>` +
    ENUM('System.Management.Automation.Runspaces.ApartmentState', 'UNKNOWN', 2, 1, 0) +
    ENUM('System.Management.Automation.Runspaces.RemoteStreamOptions', 'AddInvocationInfo', 15, 2, 1) +
    `<B N="AddToHistory">false</B><Obj N="HostInfo" RefId="3">${HOST_INFO}</Obj>` +
    `<Obj N="PowerShell" RefId="4"><MS><B N="IsNested">false</B><Nil N="ExtraCmds" /><Obj N="Cmds" RefId="5"><TN RefId="2"><T>${list}</T><T>System.Object</T></TN><LST>` +
    `<Obj RefId="6"><MS><S N="Cmd">${xmlText(script)}</S><B N="IsScript">true</B><Nil N="UseLocalScope" />` +
    `<Obj N="MergeMyResult" RefId="7"><TN RefId="3"><T>System.Management.Automation.Runspaces.PipelineResultTypes</T><T>System.Enum</T><T>System.ValueType</T><T>System.Object</T></TN><ToString>None</ToString><I32>0</I32></Obj>` +
    merge('MergeToResult', 8) +
    merge('MergePreviousResults', 9) +
    `<Obj N="Args" RefId="10"><TNRef RefId="2" /><LST /></Obj>` +
    merge('MergeError', 11) +
    merge('MergeWarning', 12) +
    merge('MergeVerbose', 13) +
    merge('MergeDebug', 14) +
    merge('MergeInformation', 15) +
    `</MS></Obj></LST></Obj><Nil N="History" /><B N="RedirectShellErrorOutputPipe">false</B></MS></Obj><B N="IsNested">false</B></MS></Obj>`
  );
}

export interface PsShell {
  readonly shellId: string;
  readonly rpid: string;
  readonly create: Answer;
}

export class PsrpTestClient {
  readonly writer = new MessageWriter();
  private readonly readers = new Map<string, MessageReader>();

  constructor(
    readonly c: TestClient,
    readonly resourceUri: string = PS_URI,
  ) {}

  message(type: PsrpMessage['type'], rpid: string, data: string, pid: string = EMPTY_GUID): Buffer {
    return this.writer.encode({ destination: 'server', type, rpid, pid, data }, FRAGMENT);
  }

  async create(extra: Array<ReturnType<typeof el>> = []): Promise<PsShell> {
    const rpid = randomUUID();
    const creation = Buffer.concat([this.message('SESSION_CAPABILITY', rpid, CAPABILITY), this.message('INIT_RUNSPACEPOOL', rpid, INIT)]);
    const create = await this.c.send(
      ACTION.Create,
      this.resourceUri,
      el(
        'rsp:Shell',
        [
          ['xmlns:rsp', NS.rsp],
          ['ShellId', rpid.toUpperCase()],
        ],
        el('rsp:InputStreams', null, 'stdin pr'),
        el('rsp:OutputStreams', null, 'stdout'),
        ...extra,
        el('creationXml', [['xmlns', NS.ps]], creation.toString('base64')),
      ),
      { options: { protocolversion: '2.3' } },
    );
    const shellId = childText(child(create.env?.body, NS.rsp, 'Shell'), NS.rsp, 'ShellId') ?? '';
    return { shellId, rpid, create };
  }

  /** Receives on the pool or a pipeline; decoded messages and whether the command is Done. */
  async receive(
    shellId: string,
    commandId?: string,
    operationTimeoutMs = 20000,
  ): Promise<{ answer: Answer; messages: PsrpMessage[]; done: boolean }> {
    const answer = await this.c.send(
      ACTION.Receive,
      this.resourceUri,
      el(
        'rsp:Receive',
        [['xmlns:rsp', NS.rsp]],
        el('rsp:DesiredStream', commandId === undefined ? null : [['CommandId', commandId]], 'stdout'),
      ),
      { selectors: { ShellId: shellId }, operationTimeoutMs },
    );
    const response = child(answer.env?.body, NS.rsp, 'ReceiveResponse');
    const key = `${shellId}/${commandId ?? ''}`;
    const reader = this.readers.get(key) ?? new MessageReader();
    this.readers.set(key, reader);
    const messages = childrenNamed(response, NS.rsp, 'Stream').flatMap((s) => reader.push(Buffer.from(s.text, 'base64')));
    const state = childrenNamed(response, NS.rsp, 'CommandState')[0];
    return { answer, messages, done: attr(state, 'State') === COMMAND_STATE.done };
  }

  /** Receives on the pool until RUNSPACEPOOL_STATE arrives; returns every message seen. */
  async receivePoolUntilState(shellId: string): Promise<PsrpMessage[]> {
    const all: PsrpMessage[] = [];
    for (let i = 0; i < 20 && !all.some((m) => m.type === 'RUNSPACEPOOL_STATE'); i++) all.push(...(await this.receive(shellId)).messages);
    return all;
  }

  async command(shell: PsShell, script: string, noInput = true): Promise<{ answer: Answer; commandId: string }> {
    const pid = randomUUID();
    const args = this.message('CREATE_PIPELINE', shell.rpid, createPipeline(script, noInput), pid);
    const answer = await this.c.send(
      ACTION.Command,
      this.resourceUri,
      el(
        'rsp:CommandLine',
        [
          ['xmlns:rsp', NS.rsp],
          ['CommandId', pid.toUpperCase()],
        ],
        el('rsp:Command'),
        el('rsp:Arguments', null, args.toString('base64')),
      ),
      { selectors: { ShellId: shell.shellId } },
    );
    return { answer, commandId: childText(child(answer.env?.body, NS.rsp, 'CommandResponse'), NS.rsp, 'CommandId') ?? '' };
  }

  /** Receives a pipeline until Done; every message. */
  async receiveUntilDone(shellId: string, commandId: string, maxRounds = 50): Promise<PsrpMessage[]> {
    const all: PsrpMessage[] = [];
    for (let i = 0; i < maxRounds; i++) {
      const r = await this.receive(shellId, commandId);
      all.push(...r.messages);
      if (r.done) return all;
    }
    throw new Error(`command ${commandId} was not Done after ${maxRounds} Receives`);
  }

  signal(shellId: string, commandId: string, code: string): Promise<Answer> {
    return this.c.send(
      ACTION.Signal,
      this.resourceUri,
      el(
        'rsp:Signal',
        [
          ['xmlns:rsp', NS.rsp],
          ['CommandId', commandId],
        ],
        el('rsp:Code', null, code),
      ),
      { selectors: { ShellId: shellId } },
    );
  }

  delete(shellId: string): Promise<Answer> {
    return this.c.send(ACTION.Delete, this.resourceUri, undefined, { selectors: { ShellId: shellId } });
  }

  disconnect(shellId: string, idleTimeOut?: string, bufferMode?: 'Block' | 'Drop'): Promise<Answer> {
    return this.c.send(
      ACTION.Disconnect,
      this.resourceUri,
      el(
        'rsp:Disconnect',
        [['xmlns:rsp', NS.rsp]],
        idleTimeOut !== undefined && el('rsp:IdleTimeOut', null, idleTimeOut),
        bufferMode !== undefined && el('rsp:BufferMode', null, bufferMode),
      ),
      { selectors: { ShellId: shellId } },
    );
  }

  reconnect(shellId: string): Promise<Answer> {
    return this.c.send(ACTION.Reconnect, this.resourceUri, el('rsp:Reconnect', [['xmlns:rsp', NS.rsp]]), {
      selectors: { ShellId: shellId },
    });
  }

  /** Connect from a "new client": the pool (connectXml) and its answer's messages. */
  async connect(shell: PsShell): Promise<{ answer: Answer; messages: PsrpMessage[] }> {
    const connectXml = Buffer.concat([
      this.message('SESSION_CAPABILITY', shell.rpid, CAPABILITY),
      this.message('CONNECT_RUNSPACEPOOL', shell.rpid, '<S />'),
    ]);
    const answer = await this.c.send(
      ACTION.Connect,
      this.resourceUri,
      el('rsp:Connect', [['xmlns:rsp', NS.rsp]], el('connectXml', [['xmlns', NS.ps]], connectXml.toString('base64'))),
      {
        selectors: { ShellId: shell.shellId },
        options: { protocolversion: '2.3' },
      },
    );
    const text = childText(child(answer.env?.body, NS.rsp, 'ConnectResponse'), NS.ps, 'connectResponseXml');
    return { answer, messages: text === undefined ? [] : new MessageReader().push(Buffer.from(text, 'base64')) };
  }

  connectCommand(shellId: string, commandId: string): Promise<Answer> {
    return this.c.send(
      ACTION.Connect,
      this.resourceUri,
      el('rsp:Connect', [
        ['xmlns:rsp', NS.rsp],
        ['CommandId', commandId],
      ]),
      { selectors: { ShellId: shellId } },
    );
  }
}

/** The PipelineState of a PIPELINE_STATE message. */
export function pipelineStateOf(m: PsrpMessage): number | undefined {
  const v = /<I32 N="PipelineState">(\d+)<\/I32>/.exec(m.data)?.[1];
  return v === undefined ? undefined : Number(v);
}

/** The text of `<S>` outputs. */
export function stringOutputs(messages: readonly PsrpMessage[]): string[] {
  return messages
    .filter((m) => m.type === 'PIPELINE_OUTPUT')
    .map((m) => /<S>([\s\S]*)<\/S>/.exec(m.data)?.[1] ?? /<I32>(-?\d+)<\/I32>/.exec(m.data)?.[1] ?? m.data);
}
