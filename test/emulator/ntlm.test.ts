import { WsmanClient, WsmanAuthError, WsmanFault, runCommand, RESOURCE_URI, ACTION, buildRequest } from '../../src/wsman';
import { NS, attr, child } from '../../src/wsman/xml';
import { startEmulator, type EmulatorHandle, EmulatorControl } from '../../src/emulator';
import { RawNtlmConnection } from '../support/raw-ntlm';

let emu: EmulatorHandle;
const control = (): EmulatorControl => new EmulatorControl(emu.control);
let endpoint: string;
const opened: Array<{ close(): void }> = [];

beforeAll(async () => {
  // Windows defaults: AllowUnencrypted=false, so NTLM over HTTP must seal every message.
  emu = await startEmulator({ users: [{ name: 'ops', password: 'N7lm-pass' }], log: () => undefined });
  endpoint = emu.hosts[0]!.endpoint;
});
afterEach(() => {
  for (const c of opened.splice(0)) c.close();
});
afterAll(() => emu.stop());

function ntlmClient(password = 'N7lm-pass', disableEncryption = false): WsmanClient {
  const client = new WsmanClient({ endpoint, auth: { kind: 'ntlm', username: 'ops', password, disableEncryption }, responseSlackMs: 5000 });
  opened.push(client);
  return client;
}

const counters = () => control().counters('win1');

const getConfig = (): string =>
  buildRequest({ to: endpoint, action: ACTION.Get, resourceUri: RESOURCE_URI.config, operationTimeoutMs: 20000 });

test('our client with sealing: config, plugins and commands over one authenticated keep-alive connection', async () => {
  await control().resetCounters('win1');
  const client = new WsmanClient({ endpoint, auth: { kind: 'ntlm', username: 'WIN1\\ops', password: 'N7lm-pass' }, maxConnections: 1 });
  opened.push(client);
  const cfg = await client.get(RESOURCE_URI.config);
  expect(cfg.local).toBe('Config');
  const plugin = await client.get(RESOURCE_URI.configPlugin, { Name: 'microsoft.powershell' });
  expect(attr(plugin, 'Name')).toBe('microsoft.powershell');
  const result = await runCommand(client, 'echo', ['sealed hello']);
  expect(result.exitCode).toBe(0);
  expect(result.stdout.toString('utf8')).toBe('sealed hello\n');
  const seen = await counters();
  // One handshake (one challenge) for every request that followed on the same connection.
  expect(seen.authHandshakes).toBe(1);
  expect(seen.byOperation.Get).toBe(2);
  expect(seen.byOperation.Receive).toBeGreaterThanOrEqual(1);
});

test('SOAP faults come back sealed too', async () => {
  const err = await ntlmClient()
    .get(RESOURCE_URI.configPlugin, { Name: 'no such plugin' })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WsmanFault);
  expect((err as WsmanFault).code).toBe(2150858843);
});

test('wrong password: 401 with an empty body, and the client reports refused credentials', async () => {
  const raw = new RawNtlmConnection(endpoint);
  opened.push(raw);
  const { challenge, final } = await raw.authenticate('ops', 'wrong');
  expect(challenge.status).toBe(401);
  expect(challenge.body.length).toBe(0);
  expect(final.status).toBe(401);
  expect(final.body.length).toBe(0);
  expect(final.headers['www-authenticate']).toBe('Negotiate');
  await expect(ntlmClient('wrong').get(RESOURCE_URI.config)).rejects.toBeInstanceOf(WsmanAuthError);
});

test('SPNEGO-wrapped tokens are answered in SPNEGO; the sealed exchange then works', async () => {
  const raw = new RawNtlmConnection(endpoint);
  opened.push(raw);
  const { challenge, final } = await raw.authenticate('ops', 'N7lm-pass', true);
  // A NegTokenResp ([1] constructed), not a raw NTLMSSP CHALLENGE.
  expect(Buffer.from(/^Negotiate (\S+)$/.exec(String(challenge.headers['www-authenticate']))![1]!, 'base64')[0]).toBe(0xa1);
  expect(final.status).toBe(200);
  expect(final.body.length).toBe(0);
  const answer = await raw.sealed(getConfig());
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toMatch(/^multipart\/encrypted;protocol="application\/HTTP-SPNEGO-session-encrypted"/);
  expect(answer.text).toContain('<cfg:Config');
});

test('a plaintext request on an NTLM connection is refused while AllowUnencrypted is false', async () => {
  const raw = new RawNtlmConnection(endpoint);
  opened.push(raw);
  expect((await raw.authenticate('ops', 'N7lm-pass')).final.status).toBe(200);
  const plain = await raw.plain(getConfig());
  expect(plain.status).toBe(401);
  expect(plain.body.length).toBe(0);
  // Our client with encryption disabled sends the request on the AUTHENTICATE leg: refused the same way.
  await expect(ntlmClient('N7lm-pass', true).get(RESOURCE_URI.config)).rejects.toBeInstanceOf(WsmanAuthError);
});

test('a tampered sealed message is refused and the connection closed; sealed traffic before it was answered', async () => {
  const raw = new RawNtlmConnection(endpoint);
  opened.push(raw);
  await raw.authenticate('ops', 'N7lm-pass');
  expect((await raw.sealed(getConfig())).status).toBe(200);
  const { encodeEncryptedBody, ENCRYPTED_CONTENT_TYPE } = await import('../../src/wsman/auth/encryption-framing');
  const body = encodeEncryptedBody(raw.session!, Buffer.from(getConfig(), 'utf8'));
  body[body.length - 40] = body[body.length - 40]! ^ 0xff;
  const tampered = await raw.post({ 'Content-Type': ENCRYPTED_CONTENT_TYPE }, body);
  expect(tampered.status).toBe(400);
  expect(tampered.headers.connection).toBe('close');
});

test('with AllowUnencrypted=true NTLM without sealing works (request on the AUTHENTICATE leg)', async () => {
  const open = await startEmulator({ allowUnencrypted: true, log: () => undefined });
  const client = new WsmanClient({
    endpoint: open.hosts[0]!.endpoint,
    auth: { kind: 'ntlm', username: 'vagrant', password: 'vagrant', disableEncryption: true },
  });
  try {
    const cfg = await client.get(RESOURCE_URI.config);
    expect(child(cfg, NS.cfg, 'Service')).toBeDefined();
    expect((await client.get(RESOURCE_URI.configWinrs)).local).toBe('Winrs');
  } finally {
    client.close();
    await open.stop();
  }
});
