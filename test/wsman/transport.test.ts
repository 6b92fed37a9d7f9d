import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ACTION,
  RESOURCE_URI,
  WsmanAuthError,
  WsmanClient,
  WsmanError,
  WsmanHttpError,
  WsmanTransport,
  type WsmanAuth,
} from '../../src/wsman';
import { CREDENTIALS, startLoopback, type Loopback } from '../support/loopback-server';
import { makeTestPki, type TestPki } from '../support/test-certificates';
import { response } from '../support/wsman-responses';
import { errorMessage } from '../../src/common';
import { connectionAuthStateMachine } from '../../src/wsman/client/transport/connection-auth-state';
import { httpExchange } from '../../src/wsman/client/transport/http-exchange';

const CONFIG =
  '<cfg:Config xmlns:cfg="http://schemas.microsoft.com/wbem/wsman/1/config"><cfg:MaxEnvelopeSizekb>150</cfg:MaxEnvelopeSizekb></cfg:Config>';
const echoConfig = (env: { messageId?: string }) => ({ body: response(ACTION.GetResponse, env.messageId, CONFIG) });

describe('HTTP transport with authentication', () => {
  const servers: Loopback[] = [];
  const clients: WsmanClient[] = [];
  const start = async (...args: Parameters<typeof startLoopback>): Promise<Loopback> => {
    const s = await startLoopback(...args);
    servers.push(s);
    return s;
  };
  const connect = (url: string, auth: WsmanAuth, extra: Partial<ConstructorParameters<typeof WsmanClient>[0]> = {}): WsmanClient => {
    const c = new WsmanClient({ endpoint: url, auth, operationTimeoutMs: 5000, responseSlackMs: 2000, connectTimeoutMs: 2000, ...extra });
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const s of servers.splice(0)) await s.close();
  });

  it('Basic: reuses one keep-alive connection for sequential requests', async () => {
    const s = await start({ auth: 'basic', handler: echoConfig });
    const c = connect(s.url, { kind: 'basic', ...CREDENTIALS, username: 'alice', allowUnencrypted: true });
    for (let i = 0; i < 5; i++) expect((await c.get(RESOURCE_URI.config)).local).toBe('Config');
    expect(s.sockets()).toBe(1);
  });

  it('closes a kept-alive socket left idle, but never one waiting on a slow answer', async () => {
    const s = await start({
      auth: 'basic',
      handler: async (env) =>
        env.resourceUri === 'slow' ? new Promise((r) => setTimeout(() => r(echoConfig(env)), 400).unref()) : echoConfig(env),
    });
    const auth = { kind: 'basic', username: 'alice', password: CREDENTIALS.password, allowUnencrypted: true } as const;
    const transport = new WsmanTransport({ endpoint: s.url, auth, idleSocketTimeoutMs: 150 });
    const c = connect(s.url, auth, { transport });
    await expect(c.get('slow')).resolves.toMatchObject({ local: 'Config' });
    expect(s.openSockets()).toBe(1);
    await new Promise((r) => setTimeout(r, 400));
    expect(s.openSockets()).toBe(0);
    await expect(c.get(RESOURCE_URI.config)).resolves.toMatchObject({ local: 'Config' });
  });

  it('describes a huge non-SOAP error page quickly, from its start', async () => {
    const s = await start({ auth: 'basic', handler: () => ({ status: 502, body: `Bad Gateway ${'<'.repeat(100_000)}` }) });
    const c = connect(s.url, { kind: 'basic', username: 'alice', password: CREDENTIALS.password, allowUnencrypted: true });
    const started = Date.now();
    await expect(c.get(RESOURCE_URI.config)).rejects.toMatchObject({ status: 502, message: expect.stringContaining('Bad Gateway') });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('Basic over plain HTTP is refused unless allowed', () => {
    expect(() => connect('http://127.0.0.1:1/wsman', { kind: 'basic', username: 'a', password: 'b' })).toThrow(/in clear/);
  });

  it('Basic with a wrong password is an auth error that names the offered schemes, not the password', async () => {
    const s = await start({ auth: 'basic', handler: echoConfig });
    const c = connect(s.url, { kind: 'basic', username: 'alice', password: 'hunter2-wrong', allowUnencrypted: true });
    const err = await c.get(RESOURCE_URI.config).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WsmanAuthError);
    expect((err as WsmanAuthError).offeredSchemes).toEqual(['Negotiate', 'Basic']);
    expect(errorMessage(err)).not.toContain('hunter2');
  });

  it('NTLM: handshakes once per connection and seals every message', async () => {
    const s = await start({ auth: 'ntlm', handler: echoConfig });
    const c = connect(s.url, { kind: 'ntlm', ...CREDENTIALS }, { maxConnections: 2 });
    await Promise.all([c.get(RESOURCE_URI.config), c.get(RESOURCE_URI.config)]);
    for (let i = 0; i < 4; i++) await c.get(RESOURCE_URI.config);
    expect(s.handshakes()).toBe(2);
    expect(s.sockets()).toBe(2);
    const stats = c.stats()!;
    expect(stats).toMatchObject({ ntlmHandshakes: 2, connections: 2, httpRequests: 2 * 2 + 6 });
    expect(stats.bytesSent).toBeGreaterThan(6 * 1000);
    expect(stats.bytesReceived).toBeGreaterThan(6 * 100);
  });

  it('NTLM: a wrong password is an auth error', async () => {
    const s = await start({ auth: 'ntlm', handler: echoConfig });
    const c = connect(s.url, { kind: 'ntlm', username: 'LAB\\alice', password: 'nope' });
    await expect(c.get(RESOURCE_URI.config)).rejects.toBeInstanceOf(WsmanAuthError);
  });

  it('NTLM: a clear-text answer to a sealed request is refused, not trusted', async () => {
    const s = await start({ auth: 'ntlm', answerInClear: true, handler: echoConfig });
    const c = connect(s.url, { kind: 'ntlm', ...CREDENTIALS });
    await expect(c.get(RESOURCE_URI.config)).rejects.toThrow(/in clear on an NTLM-sealed connection/);
  });

  it('NTLM: re-authenticates when the host drops the connection', async () => {
    const s = await start({ auth: 'ntlm', handler: echoConfig });
    const changes: string[] = [];
    const c = connect(
      s.url,
      { kind: 'ntlm', ...CREDENTIALS },
      { onStateChange: (change) => changes.push(`${change.from} -> ${change.to}`) },
    );
    await c.get(RESOURCE_URI.config);
    s.dropConnections();
    await new Promise((r) => setTimeout(r, 50));
    await expect(c.get(RESOURCE_URI.config)).resolves.toMatchObject({ local: 'Config' });
    expect(s.handshakes()).toBe(2);
    expect(changes).toEqual([
      'unauthenticated -> negotiating',
      'negotiating -> authenticated',
      'authenticated -> unauthenticated',
      'unauthenticated -> negotiating',
      'negotiating -> authenticated',
    ]);
  });

  it('NTLM: a refused handshake leaves the connection unauthenticated', async () => {
    const s = await start({ auth: 'ntlm', handler: echoConfig });
    const changes: string[] = [];
    const c = connect(
      s.url,
      { kind: 'ntlm', username: 'LAB\\alice', password: 'nope' },
      { onStateChange: (change) => changes.push(`${change.to} (${change.reason ?? ''})`) },
    );
    await expect(c.get(RESOURCE_URI.config)).rejects.toBeInstanceOf(WsmanAuthError);
    expect(changes).toEqual(['negotiating ()', 'unauthenticated (handshake failed)']);
  });

  it('the authentication state machine refuses to skip the handshake, with a WsmanError', () => {
    const auth = connectionAuthStateMachine('win1:5985');
    expect(() => auth.transition('authenticated')).toThrow(WsmanError);
    expect(() => auth.transition('authenticated')).toThrow('connection to win1:5985: illegal transition unauthenticated -> authenticated');
    expect(auth.state).toBe('unauthenticated');
  });

  it('maps non-SOAP HTTP errors, refused connections, timeouts, size limits and aborts', async () => {
    const s = await start({
      auth: 'basic',
      handler: async (env) =>
        env.resourceUri === 'slow'
          ? new Promise((r) => setTimeout(() => r(echoConfig(env)), 600).unref())
          : env.resourceUri === 'big'
            ? { body: 'x'.repeat(200_000) }
            : { status: 503, body: '<html><body>Service Unavailable</body></html>' },
    });
    const basic = { kind: 'basic', username: 'alice', password: CREDENTIALS.password, allowUnencrypted: true } as const;
    const c = connect(s.url, basic, { maxResponseBytes: 100_000, responseSlackMs: 100 });
    const http503 = await c.get(RESOURCE_URI.config).catch((e: unknown) => e);
    expect(http503).toBeInstanceOf(WsmanHttpError);
    expect(http503).toMatchObject({ status: 503, message: expect.stringContaining('Service Unavailable') });
    await expect(c.get('big')).rejects.toMatchObject({ kind: 'too-large' });
    await expect(c.get('slow', undefined, { operationTimeoutMs: 100 })).rejects.toMatchObject({ kind: 'timeout' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await expect(c.get('slow', undefined, { signal: ac.signal })).rejects.toMatchObject({ kind: 'aborted' });

    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(connect(`http://127.0.0.1:${port}/wsman`, basic).get(RESOURCE_URI.config)).rejects.toMatchObject({
      kind: 'connect-refused',
    });
  });

  describe('HTTPS', () => {
    let pki: TestPki;
    beforeAll(() => {
      pki = makeTestPki();
    });

    it('verifies the server certificate by default, with a custom CA, or skips when told', async () => {
      const s = await start({ auth: 'basic', handler: echoConfig, tls: { key: pki.serverKey, cert: pki.serverCert } });
      const basic = { kind: 'basic', username: 'alice', password: CREDENTIALS.password } as const;
      await expect(connect(s.url, basic).get(RESOURCE_URI.config)).rejects.toMatchObject({ kind: 'tls' });
      await expect(connect(s.url, basic, { tls: { ca: pki.caCert } }).get(RESOURCE_URI.config)).resolves.toMatchObject({ local: 'Config' });
      await expect(connect(s.url, basic, { tls: { insecureSkipVerify: true } }).get(RESOURCE_URI.config)).resolves.toMatchObject({
        local: 'Config',
      });
    });

    it('authenticates with a client certificate', async () => {
      const s = await start({
        auth: 'certificate',
        handler: echoConfig,
        tls: { key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert, requestCert: true },
      });
      const c = connect(s.url, { kind: 'certificate', cert: pki.clientCert, key: pki.clientKey }, { tls: { ca: pki.caCert } });
      await expect(c.get(RESOURCE_URI.config)).resolves.toMatchObject({ local: 'Config' });
      expect(() => connect('http://127.0.0.1:1/wsman', { kind: 'certificate', cert: pki.clientCert, key: pki.clientKey })).toThrow(
        WsmanError,
      );
    });

    it('NTLM over HTTPS sends messages unsealed inside TLS', async () => {
      const s = await start({ auth: 'ntlm', handler: echoConfig, tls: { key: pki.serverKey, cert: pki.serverCert } });
      const c = connect(s.url, { kind: 'ntlm', ...CREDENTIALS }, { tls: { ca: pki.caCert } });
      await c.get(RESOURCE_URI.config);
      await c.get(RESOURCE_URI.config);
      expect(s.handshakes()).toBe(1);
    });
  });
});

test('an exchange leaves no listener of its own on the kept-alive socket it opened', async () => {
  const server = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/wsman`);
  const agent = (): http.Agent => new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const ours = await httpExchange({
      url,
      agent: agent(),
      headers: {},
      body: Buffer.from('x'),
      connectTimeoutMs: 2000,
      timeoutMs: 2000,
      maxResponseBytes: 1024,
    });
    // The same request by Node alone, on a socket of its own: the listeners Node's agent keeps there.
    const plainAgent = agent();
    const plain = await new Promise<import('node:net').Socket>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent: plainAgent }, (res) => {
        const socket = res.socket;
        res.resume().on('end', () => resolve(socket));
      });
      req.on('error', reject).end('x');
    });
    await new Promise((r) => setImmediate(r));
    expect(ours.socket.listenerCount('close')).toBe(plain.listenerCount('close'));
    ours.socket.destroy();
    plain.destroy();
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
