/** WinRS steps for tests: create a shell, run a command to completion, collect output. */
import { ACTION, RESOURCE_URI } from '../../src/wsman/soap';
import { NS, attr, child, childText, childrenNamed, el } from '../../src/wsman/xml';
import type { Answer, TestClient } from './wsman-test-client';

export async function createShell(
  c: TestClient,
  resourceUri: string = RESOURCE_URI.shellCmd,
  extra: Array<ReturnType<typeof el>> = [],
): Promise<Answer & { shellId?: string }> {
  const a = await c.send(
    ACTION.Create,
    resourceUri,
    el(
      'rsp:Shell',
      [['xmlns:rsp', NS.rsp]],
      el('rsp:InputStreams', null, 'stdin'),
      el('rsp:OutputStreams', null, 'stdout stderr'),
      ...extra,
    ),
  );
  return { ...a, shellId: childText(child(a.env?.body, NS.rsp, 'Shell'), NS.rsp, 'ShellId') };
}

export async function startCommand(
  c: TestClient,
  shellId: string,
  command: string,
  args: string[] = [],
  options: Record<string, string> = {},
): Promise<Answer & { commandId?: string }> {
  const a = await c.send(
    ACTION.Command,
    RESOURCE_URI.shellCmd,
    el('rsp:CommandLine', [['xmlns:rsp', NS.rsp]], el('rsp:Command', null, command), ...args.map((x) => el('rsp:Arguments', null, x))),
    { selectors: { ShellId: shellId }, options },
  );
  return { ...a, commandId: childText(child(a.env?.body, NS.rsp, 'CommandResponse'), NS.rsp, 'CommandId') };
}

export function receive(c: TestClient, shellId: string, commandId: string, operationTimeoutMs = 20000): Promise<Answer> {
  return c.send(
    ACTION.Receive,
    RESOURCE_URI.shellCmd,
    el('rsp:Receive', [['xmlns:rsp', NS.rsp]], el('rsp:DesiredStream', [['CommandId', commandId]], 'stdout stderr')),
    {
      selectors: { ShellId: shellId },
      operationTimeoutMs,
    },
  );
}

export async function runToCompletion(
  c: TestClient,
  shellId: string,
  commandId: string,
): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  let stdout = '';
  let stderr = '';
  for (let i = 0; i < 50; i++) {
    const a = await receive(c, shellId, commandId);
    if (a.status !== 200) throw new Error(`Receive failed: ${a.status} ${a.text}`);
    const rr = child(a.env?.body, NS.rsp, 'ReceiveResponse');
    for (const s of childrenNamed(rr, NS.rsp, 'Stream')) {
      const data = Buffer.from(s.text, 'base64').toString('utf8');
      if (attr(s, 'Name') === 'stdout') stdout += data;
      else stderr += data;
    }
    const code = childText(child(rr, NS.rsp, 'CommandState'), NS.rsp, 'ExitCode');
    if (code !== undefined) return { stdout, stderr, exitCode: Number(code) };
  }
  throw new Error('command did not finish');
}

export function send(c: TestClient, shellId: string, commandId: string, data: string, end: boolean): Promise<Answer> {
  return c.send(
    ACTION.Send,
    RESOURCE_URI.shellCmd,
    el(
      'rsp:Send',
      [['xmlns:rsp', NS.rsp]],
      el(
        'rsp:Stream',
        [
          ['Name', 'stdin'],
          ['CommandId', commandId],
          ['End', end ? 'true' : 'false'],
        ],
        Buffer.from(data).toString('base64'),
      ),
    ),
    { selectors: { ShellId: shellId } },
  );
}

export function signal(c: TestClient, shellId: string, commandId: string, code: string): Promise<Answer> {
  return c.send(
    ACTION.Signal,
    RESOURCE_URI.shellCmd,
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
