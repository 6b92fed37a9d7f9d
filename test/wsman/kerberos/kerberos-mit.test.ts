/**
 * Our Kerberos client against MIT Kerberos: a real KDC (krb5kdc) issues the tickets, MIT's GSS-API
 * (python3-gssapi) accepts our AP-REQ and unwraps our sealed messages, and initiates contexts that our
 * acceptor accepts. Nothing here is mocked.
 */
import { KerberosClient, KerberosInitiator, ReplayCache, acceptKerberos, parseKeytab, type Grant } from '../../../src/wsman/auth/kerberos';
import * as fs from 'node:fs';
import { startMitKdc, type MitKdc } from '../../support/mit-kdc';
import { GssPeer, b64, unb64 } from '../../support/gss-peer';

let kdc: MitKdc;
let keytab: string;
const peers: GssPeer[] = [];

beforeAll(async () => {
  kdc = await startMitKdc();
  await kdc.addUser('alice', 'Alice-Pass-1');
  keytab = await kdc.addService('HTTP/localhost');
  await kdc.kadmin(`addprinc -pw Svc-Pass-1 svc`);
  await kdc.kadmin(`ktadd -k ${kdc.dir}/svc.keytab svc`);
}, 60000);
afterEach(() => {
  for (const p of peers.splice(0)) p.close();
});
afterAll(() => kdc?.stop());

const client = (extra: Partial<ConstructorParameters<typeof KerberosClient>[0]> = {}): KerberosClient =>
  new KerberosClient({ principal: 'alice', password: 'Alice-Pass-1', krb5Conf: kdc.krb5Conf, kdcTimeoutMs: 3000, ...extra }, {});

async function httpTicket(c: KerberosClient): Promise<Grant> {
  return c.serviceTicket(await c.servicePrincipal('localhost'));
}

function acceptor(): GssPeer {
  const p = new GssPeer({ ...kdc.env, KRB5_KTNAME: `FILE:${keytab}` });
  peers.push(p);
  return p;
}

describe('tickets from a real MIT KDC', () => {
  test('password: pre-authentication probe, AS with PA-ENC-TIMESTAMP, one TGS; the ticket is reused', async () => {
    const c = client();
    const first = await httpTicket(c);
    expect(first.server.names).toEqual(['HTTP', 'localhost']);
    expect(first.client).toMatchObject({ names: ['alice'], realm: kdc.realm });
    expect(first.sessionKey.etype).toBe(18);
    await httpTicket(c);
    await Promise.all([httpTicket(c), httpTicket(c)]);
    expect(c.roundTrips()).toEqual({ as: 2, tgs: 1 });
  });

  test('keytab keys: one AS (pre-authenticated at once) and one TGS', async () => {
    const c = new KerberosClient({ principal: `svc@${kdc.realm}`, keytab: `${kdc.dir}/svc.keytab`, krb5Conf: kdc.krb5Conf }, {});
    expect((await httpTicket(c)).client.names).toEqual(['svc']);
    expect(c.roundTrips()).toEqual({ as: 1, tgs: 1 });
  });

  test('a FILE: credential cache left by kinit (KRB5CCNAME): no AS exchange, the principal taken from the cache', async () => {
    const ccache = await kdc.kinit('alice', 'Alice-Pass-1');
    const c = new KerberosClient({ krb5Conf: kdc.krb5Conf }, { KRB5CCNAME: `FILE:${ccache}` });
    expect((await httpTicket(c)).client.names).toEqual(['alice']);
    expect(c.roundTrips()).toEqual({ as: 0, tgs: 1 });
  });

  test.each([
    ['wrong password', { password: 'wrong' }, 'preauth-failed', /AS exchange for alice@PSREMOTING.TEST: pre-authentication failed/],
    [
      'unknown principal',
      { principal: 'nobody' },
      'principal-unknown',
      /AS exchange for nobody@PSREMOTING.TEST: the KDC does not know the client principal/,
    ],
    [
      'clock 10 minutes ahead',
      { now: () => new Date(Date.now() + 600_000) },
      'clock-skew',
      /clock skew too great .*: this machine's clock is \d+ s ahead/,
    ],
    [
      'KDC down',
      { kdcs: ['127.0.0.1:9'] },
      'kdc-unreachable',
      /KDC unreachable for realm PSREMOTING.TEST \(127.0.0.1:9\/udp: ECONNREFUSED; 127.0.0.1:9\/tcp: ECONNREFUSED\)/,
    ],
  ])('%s: one clear error naming the step, never the password', async (_name, extra, kind, message) => {
    const err = await httpTicket(client(extra)).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind });
    expect(String(err)).toMatch(message);
    expect(String(err)).not.toContain('Alice-Pass-1');
  });

  test('a wrong password is asked of the KDC once per process, however many hosts need a ticket (no account lockout)', async () => {
    const c = client({ password: 'wrong' });
    const spns = await Promise.all(['localhost', 'a.example', 'b.example'].map((h) => c.servicePrincipal(h)));
    for (const spn of spns) await expect(c.serviceTicket(spn)).rejects.toMatchObject({ kind: 'preauth-failed' });
    expect(c.roundTrips()).toEqual({ as: 2, tgs: 0 });
  });

  test('KDC over TCP only (tcp/ in kerberos_kdc), as for replies too big for UDP', async () => {
    const c = client({ kdcs: [`tcp/127.0.0.1:${kdc.port}`] });
    expect((await httpTicket(c)).server.names).toEqual(['HTTP', 'localhost']);
  });

  test('an SPN no account holds', async () => {
    const c = client();
    await expect(c.serviceTicket(await c.servicePrincipal('localhost', 'HTTP/nohost.example'))).rejects.toMatchObject({
      kind: 'spn-unknown',
    });
  });
});

describe('MIT GSS-API accepts our context and our sealed messages', () => {
  test.each([
    ['raw Kerberos token', false, undefined],
    ['SPNEGO with channel bindings', true, Buffer.from('tls-server-end-point:0123456789abcdef0123456789abcdef', 'latin1')],
  ])('%s', async (_name, spnego, cb) => {
    const grant = await httpTicket(client());
    const peer = acceptor();
    const init = new KerberosInitiator({ grant, spnego, ...(cb ? { channelBindings: cb } : {}) });
    const accepted = await peer.call<{ response: string; complete: boolean; initiator: string }>({
      op: 'accept',
      token: b64(init.initialToken()),
      ...(cb ? { cb: b64(cb) } : {}),
    });
    expect(accepted).toMatchObject({ complete: true, initiator: `alice@${kdc.realm}` });
    const session = init.complete(unb64(accepted.response));
    expect(init.state).toBe('established');

    for (const text of ['<s:Envelope>first</s:Envelope>', 'x'.repeat(5000), '']) {
      const plain = Buffer.from(text);
      const unwrapped = await peer.call<{ plain: string; encrypted: boolean }>({ op: 'unwrap', token: b64(session.wrap(plain)) });
      expect(unwrapped).toMatchObject({ encrypted: true });
      expect(unb64(unwrapped.plain)).toEqual(plain);
      // The MS-WSMV split (header part, then the data-sized part), as pywinrm hands it to unwrap_iov.
      const { signature, sealed } = session.seal(plain);
      expect(signature.length).toBe(60);
      expect(unb64((await peer.call<{ plain: string }>({ op: 'unwrap_iov', header: b64(signature), data: b64(sealed) })).plain)).toEqual(
        plain,
      );
      const wrapped = await peer.call<{ token: string }>({ op: 'wrap', plain: b64(plain) });
      expect(session.unwrap(unb64(wrapped.token))).toEqual(plain);
      const iov = await peer.call<{ header: string; data: string }>({ op: 'wrap_iov', plain: b64(plain) });
      expect(session.unseal(unb64(iov.data), unb64(iov.header))).toEqual(plain);
    }
    // A replayed token is refused.
    const wrapped = await peer.call<{ token: string }>({ op: 'wrap', plain: b64(Buffer.from('once')) });
    expect(session.unwrap(unb64(wrapped.token))).toEqual(Buffer.from('once'));
    expect(() => session.unwrap(unb64(wrapped.token))).toThrow(/sequence number/);
  });

  test('MIT refuses channel bindings that do not match its channel', async () => {
    const grant = await httpTicket(client());
    const init = new KerberosInitiator({ grant, spnego: false, channelBindings: Buffer.from('tls-server-end-point:one') });
    await expect(
      acceptor().call({ op: 'accept', token: b64(init.initialToken()), cb: b64(Buffer.from('tls-server-end-point:two')) }),
    ).rejects.toThrow(/MIT GSS-API/);
  });

  test('an AP-REP from someone without the session key fails mutual authentication', async () => {
    const grant = await httpTicket(client());
    const init = new KerberosInitiator({ grant, spnego: false });
    init.initialToken();
    const other = new KerberosInitiator({ grant: { ...grant, sessionKey: { etype: 18, value: Buffer.alloc(32, 7) } }, spnego: false });
    const forged = await acceptor()
      .call<{ response: string }>({ op: 'accept', token: b64(other.initialToken()) })
      .catch(() => undefined);
    // MIT cannot even read an authenticator under the wrong key; either way our initiator must not establish.
    if (forged) expect(() => init.complete(unb64(forged.response))).toThrow();
    expect(init.state).not.toBe('established');
  });
});

describe('our acceptor accepts MIT GSS-API initiators', () => {
  test.each([
    ['krb5', undefined, 'Relaxed'],
    ['spnego', Buffer.from('tls-server-end-point:abc'), 'Strict'],
  ] as const)('%s', async (mech, cb, policy) => {
    const ccache = await kdc.kinit('alice', 'Alice-Pass-1');
    const peer = new GssPeer({ ...kdc.env, KRB5CCNAME: `FILE:${ccache}` });
    peers.push(peer);
    const first = await peer.call<{ token: string }>({ op: 'init', target: 'HTTP@localhost', mech, ...(cb ? { cb: b64(cb) } : {}) });
    let token = unb64(first.token);
    const { decodeNegTokenInit, encodeNegTokenResp, OID } = await import('../../../src/wsman/auth/kerberos');
    if (mech === 'spnego') token = decodeNegTokenInit(token).mechToken!;
    const keys = parseKeytab(fs.readFileSync(keytab));
    const accepted = acceptKerberos(token, { keys, policy, replay: new ReplayCache(), ...(cb ? { channelBindings: cb } : {}) });
    expect(accepted.client).toMatchObject({ names: ['alice'], realm: kdc.realm });
    const reply =
      mech === 'spnego'
        ? encodeNegTokenResp({ negState: 'accept-completed', supportedMech: OID.krb5, responseToken: accepted.responseToken! })
        : accepted.responseToken!;
    expect(await peer.call({ op: 'init_step', token: b64(reply) })).toMatchObject({ complete: true });
    const wrapped = await peer.call<{ token: string }>({ op: 'wrap', plain: b64(Buffer.from('from MIT')) });
    expect(accepted.session.unwrap(unb64(wrapped.token)).toString()).toBe('from MIT');
    const back = await peer.call<{ plain: string }>({ op: 'unwrap', token: b64(accepted.session.wrap(Buffer.from('from us'))) });
    expect(unb64(back.plain).toString()).toBe('from us');
  });

  test('Strict refuses an initiator that sent no channel bindings; a wrong binding is refused at any level', async () => {
    const ccache = await kdc.kinit('alice', 'Alice-Pass-1');
    const keys = parseKeytab(fs.readFileSync(keytab));
    const tokenFrom = async (cb?: Buffer): Promise<Buffer> => {
      const peer = new GssPeer({ ...kdc.env, KRB5CCNAME: `FILE:${ccache}` });
      peers.push(peer);
      return unb64(
        (await peer.call<{ token: string }>({ op: 'init', target: 'HTTP@localhost', mech: 'krb5', ...(cb ? { cb: b64(cb) } : {}) })).token,
      );
    };
    const ours = Buffer.from('tls-server-end-point:ours');
    expect(() => acceptKerberos(Buffer.alloc(0), { keys, policy: 'Strict', replay: new ReplayCache() })).toThrow();
    await expect(
      tokenFrom().then((t) => acceptKerberos(t, { keys, policy: 'Strict', replay: new ReplayCache(), channelBindings: ours })),
    ).rejects.toThrow(/no channel bindings and CbtHardeningLevel is Strict/);
    await expect(
      tokenFrom(Buffer.from('tls-server-end-point:theirs')).then((t) =>
        acceptKerberos(t, { keys, policy: 'Relaxed', replay: new ReplayCache(), channelBindings: ours }),
      ),
    ).rejects.toThrow(/do not match/);
    const token = await tokenFrom();
    const replay = new ReplayCache();
    acceptKerberos(token, { keys, policy: 'Relaxed', replay, channelBindings: ours });
    expect(() => acceptKerberos(token, { keys, policy: 'Relaxed', replay, channelBindings: ours })).toThrow(/replayed/);
  });
});
