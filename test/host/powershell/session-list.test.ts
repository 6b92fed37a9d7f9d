/** Listing a host's PowerShell sessions while they come and go. */
import { ACTION, FAULT_CODE, WsmanClient, WsmanFault } from '../../../src/wsman';
import { listPowerShellSessions } from '../../../src/host';
import { ScriptedTransport } from '../../support/scripted-transport';
import { fault, response } from '../../support/wsman-responses';

const auth = { kind: 'basic', username: 'u', password: 'p', allowUnencrypted: true } as const;
const client = (t: ScriptedTransport): WsmanClient =>
  new WsmanClient({ endpoint: 'http://h:5985/wsman', auth, transport: t, operationTimeoutMs: 30_000 });
const shell = (id: string): string =>
  `<rsp:Shell><rsp:ShellId>${id}</rsp:ShellId><rsp:ResourceUri>http://schemas.microsoft.com/powershell/Microsoft.PowerShell</rsp:ResourceUri><rsp:Owner>ops</rsp:Owner><rsp:State>Connected</rsp:State></rsp:Shell>`;
const shells = (req: { messageId?: string }): string =>
  response(
    ACTION.EnumerateResponse,
    req.messageId,
    `<n:EnumerateResponse><n:EnumerationContext>c</n:EnumerationContext><w:Items>${shell('GONE')}${shell('LIVE')}</w:Items><w:EndOfSequence/></n:EnumerateResponse>`,
  );
const noCommands = (req: { messageId?: string }): string =>
  response(
    ACTION.EnumerateResponse,
    req.messageId,
    `<n:EnumerateResponse><n:EnumerationContext>c</n:EnumerationContext><w:Items/><w:EndOfSequence/></n:EnumerateResponse>`,
  );
const gone = (req: { messageId?: string }): string =>
  fault(
    req.messageId,
    'w:InvalidSelectors',
    FAULT_CODE.invalidSelectors,
    'The WS-Management service cannot process the request because the request contained invalid selectors for the resource.',
  );

test('a shell closed between the Enumerate of shells and that of its commands is left out', async () => {
  const t = new ScriptedTransport((req, i) => ({
    status: i === 1 ? 500 : 200,
    body: i === 0 ? shells(req) : i === 1 ? gone(req) : noCommands(req),
  }));
  const listed = await listPowerShellSessions(client(t), { withCommands: true });
  expect(listed.map((s) => s.shellId)).toEqual(['LIVE']);
  expect(listed[0]!.commands).toEqual([]);
});

test('any other failure of the commands Enumerate still fails the listing', async () => {
  const denied = (req: { messageId?: string }): string => fault(req.messageId, 'w:AccessDenied', 5, 'Access is denied.');
  const t = new ScriptedTransport((req, i) => ({ status: i === 0 ? 200 : 500, body: i === 0 ? shells(req) : denied(req) }));
  await expect(listPowerShellSessions(client(t), { withCommands: true })).rejects.toBeInstanceOf(WsmanFault);
});
