import { ACTION, FAULT_CODE, RESOURCE_URI, WinrsShell, WsmanBadResponseError, WsmanClient, WsmanFault, runCommand } from '../../src/wsman';
import { NS, child } from '../../src/wsman/xml';
import { COMMAND_ID, CREATE_SHELL_BODY, SHELL_ID, fault, receiveBody, response } from '../support/wsman-responses';
import { ScriptedTransport } from '../support/scripted-transport';

const auth = { kind: 'basic', username: 'u', password: 'p', allowUnencrypted: true } as const;
const client = (t: ScriptedTransport): WsmanClient =>
  new WsmanClient({ endpoint: 'http://h:5985/wsman', auth, transport: t, operationTimeoutMs: 30_000 });
const plugin = (name: string): string =>
  `<PlugInConfiguration xmlns="http://schemas.microsoft.com/wbem/wsman/1/config/PluginConfiguration" Name="${name}"/>`;

describe('WsmanClient transfer and enumeration', () => {
  it('gets a resource with selectors and the common headers', async () => {
    const t = new ScriptedTransport((req) => ({ body: response(ACTION.GetResponse, req.messageId, plugin('microsoft.powershell')) }));
    const c = client(t);
    const el = await c.get(RESOURCE_URI.configPlugin, { Name: 'microsoft.powershell' });
    expect(el.local).toBe('PlugInConfiguration');
    const req = t.sent[0]!;
    expect(req).toMatchObject({
      action: ACTION.Get,
      resourceUri: RESOURCE_URI.configPlugin,
      to: 'http://h:5985/wsman',
      operationTimeoutMs: 30_000,
      sessionId: c.sessionId,
    });
    expect(req.selectors).toEqual({ Name: 'microsoft.powershell' });
    expect(t.timeouts[0]).toBe(45_000);
  });

  it('enumerates across Pulls until EndOfSequence', async () => {
    const t = new ScriptedTransport((req, i) => {
      if (i === 0)
        return {
          body: response(
            ACTION.EnumerateResponse,
            req.messageId,
            `<n:EnumerateResponse><n:EnumerationContext>ctx-1</n:EnumerationContext><w:Items>${plugin('a')}</w:Items></n:EnumerateResponse>`,
          ),
        };
      if (i === 1)
        return {
          body: response(
            ACTION.PullResponse,
            req.messageId,
            `<n:PullResponse><n:EnumerationContext>ctx-2</n:EnumerationContext><n:Items>${plugin('b')}</n:Items></n:PullResponse>`,
          ),
        };
      return {
        body: response(
          ACTION.PullResponse,
          req.messageId,
          `<n:PullResponse><n:Items>${plugin('c')}</n:Items><n:EndOfSequence/></n:PullResponse>`,
        ),
      };
    });
    const items = await client(t).enumerate(RESOURCE_URI.configPlugin, { maxElements: 1 });
    expect(items.map((i) => i.attributes.find((a) => a.local === 'Name')?.value)).toEqual(['a', 'b', 'c']);
    expect(t.sent.map((s) => s.action)).toEqual([ACTION.Enumerate, ACTION.Pull, ACTION.Pull]);
    expect(child(child(t.sent[2]!.body, NS.n, 'Pull'), NS.n, 'EnumerationContext')?.text).toBe('ctx-2');
    expect(child(child(t.sent[0]!.body, NS.n, 'Enumerate'), NS.w, 'OptimizeEnumeration')).toBeDefined();
  });

  it('bounds an enumeration and releases its context', async () => {
    const t = new ScriptedTransport((req, i) =>
      i === 0
        ? {
            body: response(
              ACTION.EnumerateResponse,
              req.messageId,
              `<n:EnumerateResponse><n:EnumerationContext>ctx</n:EnumerationContext><w:Items>${plugin('a')}${plugin('b')}</w:Items></n:EnumerateResponse>`,
            ),
          }
        : { body: response(ACTION.ReleaseResponse, req.messageId, '') },
    );
    await expect(client(t).enumerate(RESOURCE_URI.configPlugin, { maxItems: 1 })).rejects.toThrow('more than 1 items');
    expect(t.sent.map((s) => s.action)).toEqual([ACTION.Enumerate, ACTION.Release]);
  });

  it('stops an enumeration that makes no progress', async () => {
    const t = new ScriptedTransport((req) => ({
      body: response(
        ACTION.PullResponse,
        req.messageId,
        '<n:PullResponse><n:EnumerationContext>same</n:EnumerationContext><n:Items/></n:PullResponse>',
      ),
    }));
    await expect(client(t).enumerate(RESOURCE_URI.configPlugin)).rejects.toThrow(WsmanBadResponseError);
    expect(t.sent.length).toBeLessThan(110);
  });

  it('turns SOAP faults into WsmanFault and checks RelatesTo', async () => {
    const t = new ScriptedTransport((req, i) =>
      i === 0
        ? { status: 500, body: fault(req.messageId, 'w:InvalidSelectors', FAULT_CODE.invalidSelectors, 'bad selectors') }
        : { body: response(ACTION.DeleteResponse, 'uuid:SOMETHING-ELSE', '') },
    );
    const c = client(t);
    await expect(c.get(RESOURCE_URI.configPlugin, { Name: 'nope' })).rejects.toMatchObject({
      code: FAULT_CODE.invalidSelectors,
      subcodeName: 'InvalidSelectors',
    });
    await expect(c.delete(RESOURCE_URI.configPlugin, { Name: 'x' })).rejects.toThrow(WsmanBadResponseError);
  });

  it('puts a self-contained document and creates with ResourceCreated', async () => {
    const t = new ScriptedTransport((req) =>
      req.action === ACTION.Put
        ? { body: response(ACTION.PutResponse, req.messageId, plugin('x')) }
        : {
            body: response(
              ACTION.CreateResponse,
              req.messageId,
              '<x:ResourceCreated><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address><a:ReferenceParameters><w:ResourceURI>http://schemas.microsoft.com/wbem/wsman/1/config/plugin</w:ResourceURI><w:SelectorSet><w:Selector Name="Name">x</w:Selector></w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>',
            ),
          },
    );
    const c = client(t);
    const echoed = await c.put(RESOURCE_URI.configPlugin, { Name: 'x' }, { xml: plugin('x') });
    expect(echoed?.local).toBe('PlugInConfiguration');
    expect(t.sent[0]!.body.children[0]).toMatchObject({ ns: NS.plugin, local: 'PlugInConfiguration' });
    const created = await c.create(RESOURCE_URI.configPlugin, { Name: 'x' }, { xml: plugin('x') });
    expect(created.created?.selectors).toEqual({ Name: 'x' });
  });

  it('starts a process through Win32_Process.Create', async () => {
    const t = new ScriptedTransport((req) => ({
      body: response(
        `${RESOURCE_URI.win32Process}/CreateResponse`,
        req.messageId,
        `<p:Create_OUTPUT xmlns:p="${RESOURCE_URI.win32Process}"><p:ProcessId>4242</p:ProcessId><p:ReturnValue>0</p:ReturnValue></p:Create_OUTPUT>`,
      ),
    }));
    await expect(client(t).startProcess('cmd.exe /c exit 0')).resolves.toEqual({ processId: 4242 });
    const req = t.sent[0]!;
    expect(req.action).toBe(`${RESOURCE_URI.win32Process}/Create`);
    expect(req.body.children[0]).toMatchObject({ ns: RESOURCE_URI.win32Process, local: 'Create_INPUT' });
    expect(req.body.children[0]!.children[0]).toMatchObject({ local: 'CommandLine', text: 'cmd.exe /c exit 0' });
  });

  it('reports a failing WMI ReturnValue', async () => {
    const t = new ScriptedTransport((req) => ({
      body: response(
        'x',
        req.messageId,
        `<p:Create_OUTPUT xmlns:p="${RESOURCE_URI.win32Process}"><p:ReturnValue>9</p:ReturnValue></p:Create_OUTPUT>`,
      ),
    }));
    await expect(client(t).startProcess('nope')).rejects.toThrow('ReturnValue 9');
  });
});

describe('WinRS shells', () => {
  it('runs a command: long-poll retried on TimedOut, streams joined, exit code, shell deleted', async () => {
    const t = new ScriptedTransport((req) => {
      switch (req.action) {
        case ACTION.Create:
          return { body: response(ACTION.CreateResponse, req.messageId, CREATE_SHELL_BODY) };
        case ACTION.Command:
          return {
            body: response(
              ACTION.CommandResponse,
              req.messageId,
              `<rsp:CommandResponse><rsp:CommandId>${COMMAND_ID}</rsp:CommandId></rsp:CommandResponse>`,
            ),
          };
        case ACTION.Send:
          return { body: response(ACTION.SendResponse, req.messageId, '<rsp:SendResponse/>') };
        case ACTION.Receive: {
          const n = t.sent.filter((s) => s.action === ACTION.Receive).length;
          if (n === 1)
            return {
              body: response(
                ACTION.ReceiveResponse,
                req.messageId,
                receiveBody([
                  ['stdout', 'out '],
                  ['stderr', 'err '],
                ]),
              ),
            };
          if (n === 2)
            return { status: 500, body: fault(req.messageId, 'w:TimedOut', FAULT_CODE.operationTimedOut, 'timed out', 's:Receiver') };
          return { body: response(ACTION.ReceiveResponse, req.messageId, receiveBody([['stdout', 'done']], 3)) };
        }
        case ACTION.Signal:
          return { body: response(ACTION.SignalResponse, req.messageId, '<rsp:SignalResponse/>') };
        default:
          return { body: response(ACTION.DeleteResponse, req.messageId, '') };
      }
    });
    const c = client(t);
    const result = await runCommand(c, 'cmd.exe', ['/c', 'echo', 'hi'], {
      stdin: 'input',
      shell: { noProfile: true, codepage: 65001, environment: { A: '1' }, workingDirectory: 'C:\\', idleTimeoutMs: 60_000 },
    });
    expect(result).toEqual({ stdout: Buffer.from('out done'), stderr: Buffer.from('err '), exitCode: 3 });
    expect(t.sent.map((s) => s.action?.split('/').pop())).toEqual([
      'Create',
      'Command',
      'Send',
      'Receive',
      'Receive',
      'Receive',
      'Signal',
      'Delete',
    ]);
    const create = t.sent[0]!;
    expect(create.options).toEqual({ WINRS_NOPROFILE: { value: 'TRUE', mustComply: true }, WINRS_CODEPAGE: { value: '65001' } });
    const shell = child(create.body, NS.rsp, 'Shell');
    expect(child(shell, NS.rsp, 'IdleTimeOut')?.text).toBe('PT60S');
    expect(child(shell, NS.rsp, 'WorkingDirectory')?.text).toBe('C:\\');
    expect(child(child(shell, NS.rsp, 'Environment'), NS.rsp, 'Variable')?.text).toBe('1');
    for (const s of t.sent.slice(1)) expect(s.selectors).toEqual({ ShellId: SHELL_ID });
    expect(t.sent[3]!.operationTimeoutMs).toBe(20_000);
    const signal = child(t.sent[6]!.body, NS.rsp, 'Signal');
    expect(child(signal, NS.rsp, 'Code')?.text).toBe('http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/Terminate');
  });

  it('deletes the shell when the command fails and surfaces the fault', async () => {
    const t = new ScriptedTransport((req) => {
      if (req.action === ACTION.Create) return { body: response(ACTION.CreateResponse, req.messageId, CREATE_SHELL_BODY) };
      if (req.action === ACTION.Command)
        return {
          status: 500,
          body: fault(
            req.messageId,
            'w:InternalError',
            FAULT_CODE.fileNotFound,
            'The system cannot find the file specified.',
            's:Receiver',
          ),
        };
      return { body: response(ACTION.DeleteResponse, req.messageId, '') };
    });
    await expect(runCommand(client(t), 'nope.exe', [], { command: { skipCmdShell: true } })).rejects.toBeInstanceOf(WsmanFault);
    expect(t.sent.at(-1)!.action).toBe(ACTION.Delete);
    expect(t.sent[1]!.options.WINRS_SKIP_CMD_SHELL).toEqual({ value: 'True' });
  });

  it('reads the shell echo, including older hosts that send only ResourceCreated', async () => {
    const bare = CREATE_SHELL_BODY.slice(0, CREATE_SHELL_BODY.indexOf('<rsp:Shell>'));
    const t = new ScriptedTransport((req, i) => ({
      body: response(ACTION.CreateResponse, req.messageId, i === 0 ? CREATE_SHELL_BODY : bare),
    }));
    const c = client(t);
    const full = await WinrsShell.open(c);
    expect(full.info).toMatchObject({ shellId: SHELL_ID, owner: 'ops', idleTimeoutMs: 7_200_000 });
    const old = await WinrsShell.open(c);
    expect(old.id).toBe(SHELL_ID);
  });

  it('refuses receive streams that are not base64', async () => {
    const t = new ScriptedTransport((req) =>
      req.action === ACTION.Create
        ? { body: response(ACTION.CreateResponse, req.messageId, CREATE_SHELL_BODY) }
        : {
            body: response(
              ACTION.ReceiveResponse,
              req.messageId,
              '<rsp:ReceiveResponse><rsp:Stream Name="stdout">%%%</rsp:Stream></rsp:ReceiveResponse>',
            ),
          },
    );
    const shell = await WinrsShell.open(client(t));
    await expect(shell.receive(COMMAND_ID)).rejects.toThrow('not base64');
  });
});
