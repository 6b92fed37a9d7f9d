/**
 * Obtains and keeps Kerberos tickets for one client principal: a TGT from a password (AS exchange with
 * PA-ENC-TIMESTAMP), from keytab keys, or from a FILE: credential cache left by `kinit`; then one
 * service ticket per SPN (TGS exchange), reused until shortly before it expires. One instance per
 * provider process, shared by every host, so a run costs one AS exchange and one TGS per host.
 * Concurrent requests for the same ticket share one KDC exchange.
 */
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { errorMessage } from '../../../common';
import { SUPPORTED_ENCTYPES, type EncryptionKey } from './crypto/aes-sha1-profile';
import { ccachePath, parseCcache } from './ccache';
import { DEFAULT_KRB5_CONF, loadKrb5Conf, locateKdcs } from './kdc-locator';
import {
  asKrbError,
  buildAsReq,
  buildTgsReq,
  kdcFailure,
  newNonce,
  passwordKey,
  preauthHint,
  readAsReply,
  readTgsReply,
  tgsPrincipal,
  type Grant,
} from './kdc-exchange';
import { sendToKdc } from './kdc-transport';
import { KerberosError } from './kerberos-error';
import { parseKeytab } from './keytab';
import { realmOfHost, type Krb5Conf } from './krb5-conf';
import { NAME_TYPE, principalText, samePrincipal, type Principal } from './messages/krb-types';

export interface KerberosClientSettings {
  /** `user@REALM`, `REALM\user` or `user` (default realm). Optional with a credential cache. */
  readonly principal?: string;
  /** Sensitive: used to make the key, never kept in messages. */
  readonly password?: string;
  /** Path of an MIT keytab holding the principal's keys. */
  readonly keytab?: string;
  /** Credential cache name (`FILE:/path` or a path); default KRB5CCNAME, then /tmp/krb5cc_<uid>. */
  readonly ccache?: string;
  readonly realm?: string;
  /** KDC addresses (host or host:port); default krb5.conf, then DNS SRV. */
  readonly kdcs?: readonly string[];
  /** Default KRB5_CONFIG, then /etc/krb5.conf. */
  readonly krb5Conf?: string;
  /** Per KDC attempt; default 5 s. */
  readonly kdcTimeoutMs?: number;
  /** The clock the client reads (tests skew it). */
  readonly now?: () => Date;
}

export interface KdcRoundTrips {
  readonly as: number;
  readonly tgs: number;
}

/** A service ticket is used until this long before it expires, so it never expires in flight. */
const RENEW_MARGIN_MS = 5 * 60 * 1000;

export class KerberosClient {
  private conf: Promise<Krb5Conf> | undefined;
  private tgt: Promise<Grant> | undefined;
  private readonly tickets = new Map<string, Promise<Grant>>();
  private asCount = 0;
  private tgsCount = 0;
  private readonly now: () => Date;
  /** A JS-private field: the password never shows in JSON.stringify, util.inspect or a logged object. */
  readonly #settings: KerberosClientSettings;
  private readonly envCcache: string | undefined;
  private readonly envKrb5Config: string | undefined;

  constructor(settings: KerberosClientSettings, env: NodeJS.ProcessEnv = process.env) {
    this.#settings = settings;
    this.envCcache = env.KRB5CCNAME;
    this.envKrb5Config = env.KRB5_CONFIG;
    this.now = settings.now ?? (() => new Date());
  }

  private get settings(): KerberosClientSettings {
    return this.#settings;
  }

  /** KDC requests sent so far (AS includes a pre-authentication probe). */
  roundTrips(): KdcRoundTrips {
    return { as: this.asCount, tgs: this.tgsCount };
  }

  /**
   * The SPN `HTTP/<host>`, or `template` with `{host}` replaced, in the realm the SPN names, else the
   * realm krb5.conf maps the host to, else the client's.
   */
  async servicePrincipal(host: string, template = 'HTTP/{host}'): Promise<Principal> {
    const conf = await this.krb5Conf();
    const text = template.split('{host}').join(host.toLowerCase());
    const at = text.lastIndexOf('@');
    const names = (at >= 0 ? text.slice(0, at) : text).split('/');
    const realm = at >= 0 ? text.slice(at + 1) : (realmOfHost(conf, host) ?? (await this.clientPrincipal()).realm);
    return { nameType: NAME_TYPE.srvHst, names, realm };
  }

  /** A service ticket for `server`, from the cache when still valid, else from the KDC. */
  serviceTicket(server: Principal): Promise<Grant> {
    const key = principalText(server).toLowerCase();
    const cached = this.tickets.get(key);
    if (cached) return cached.then((g) => (this.fresh(g) ? g : this.refresh(key, server)));
    return this.refresh(key, server);
  }

  private refresh(key: string, server: Principal): Promise<Grant> {
    const p = this.fetchServiceTicket(server);
    this.tickets.set(key, p);
    p.catch(() => {
      if (this.tickets.get(key) === p) this.tickets.delete(key);
    });
    return p;
  }

  private fresh(g: { readonly endtime: Date }): boolean {
    return g.endtime.getTime() - RENEW_MARGIN_MS > this.now().getTime();
  }

  private async fetchServiceTicket(server: Principal): Promise<Grant> {
    const cached = await this.fromCcache(server);
    if (cached) return cached;
    const tgt = await this.ticketGrantingTicket();
    if (server.realm.toUpperCase() !== tgt.client.realm.toUpperCase()) {
      throw new KerberosError(
        'config',
        `TGS exchange for ${principalText(server)}: cross-realm tickets are not supported; the host must be in realm ${tgt.client.realm} (set kerberos_spn with @${tgt.client.realm})`,
      );
    }
    const nonce = newNonce();
    const reply = await this.kdc(tgt.client.realm, buildTgsReq(tgt, server, nonce, this.now()), 'tgs');
    const err = asKrbError(reply);
    if (err) throw kdcFailure(err, 'TGS', principalText(server), this.now());
    return readTgsReply(reply, tgt, server, nonce);
  }

  private ticketGrantingTicket(): Promise<Grant> {
    const current = this.tgt;
    if (current) return current.then((g) => (this.fresh(g) ? g : this.newTgt()));
    return this.newTgt();
  }

  private newTgt(): Promise<Grant> {
    const p = this.obtainTgt();
    this.tgt = p;
    p.catch((e: unknown) => {
      // A wrong password stays failed for the process: asking again per host or per resource would
      // count one failed logon each and lock the domain account out. Only an unreachable KDC is retried.
      if (this.tgt === p && !(e instanceof KerberosError && e.kind !== 'kdc-unreachable')) this.tgt = undefined;
    });
    return p;
  }

  private async obtainTgt(): Promise<Grant> {
    const s = this.settings;
    const client = await this.clientPrincipal();
    if (s.password !== undefined && s.password !== '') return this.asWithPassword(client, s.password);
    if (s.keytab !== undefined) return this.asWithKey(client, await this.keytabKey(client, s.keytab));
    const fromCache = await this.fromCcache(tgsPrincipal(client.realm));
    if (fromCache) return fromCache;
    throw new KerberosError(
      'credentials',
      `no credentials for ${principalText(client)}: set a password or keytab, or run kinit (credential cache ${this.ccacheName()} has no valid TGT)`,
    );
  }

  private async asWithPassword(client: Principal, password: string): Promise<Grant> {
    // First ask without pre-authentication: the KDC answers with the etype, salt and iterations our
    // key must be made with (ETYPE-INFO2), which a guessed salt would get wrong on Active Directory.
    const probeNonce = newNonce();
    const probe = await this.kdc(client.realm, buildAsReq(client, probeNonce, this.now()), 'as');
    const err = asKrbError(probe);
    if (err && err.code !== 25) throw kdcFailure(err, 'AS', principalText(client), this.now());
    if (!err) {
      // The account does not require pre-authentication: the reply itself proves the password.
      return readAsReply(probe, client, probeNonce, passwordKey(password, client, { etype: SUPPORTED_ENCTYPES[0]! }));
    }
    return this.asWithKey(client, passwordKey(password, client, preauthHint(err, client)));
  }

  private async asWithKey(client: Principal, key: EncryptionKey): Promise<Grant> {
    const nonce = newNonce();
    const reply = await this.kdc(client.realm, buildAsReq(client, nonce, this.now(), key), 'as');
    const err = asKrbError(reply);
    if (err) throw kdcFailure(err, 'AS', principalText(client), this.now());
    return readAsReply(reply, client, nonce, key);
  }

  private async keytabKey(client: Principal, path: string): Promise<EncryptionKey> {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw new KerberosError('credentials', `cannot read keytab ${path}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`);
    }
    const entries = parseKeytab(bytes).filter((e) => samePrincipal(e.principal, client));
    const best = SUPPORTED_ENCTYPES.map((etype) => entries.filter((e) => e.key.etype === etype).sort((a, b) => b.kvno - a.kvno)[0]).find(
      (e) => e !== undefined,
    );
    if (!best) throw new KerberosError('credentials', `keytab ${path} holds no AES key for ${principalText(client)}`);
    return best.key;
  }

  private ccacheName(): string {
    return this.settings.ccache ?? this.envCcache ?? `FILE:/tmp/krb5cc_${userInfo().uid}`;
  }

  /** A valid ticket for `server` from the credential cache, when one is set up and holds it. */
  private async fromCcache(server: Principal): Promise<Grant | undefined> {
    if (this.settings.password || this.settings.keytab) return undefined;
    let bytes: Buffer;
    const path = ccachePath(this.ccacheName());
    try {
      bytes = await readFile(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new KerberosError(
        'credentials',
        `cannot read credential cache ${path}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`,
      );
    }
    const cache = parseCcache(bytes);
    const cred = cache.credentials.find(
      (c) => samePrincipal(c.server, server) && samePrincipal(c.client, cache.defaultPrincipal) && this.fresh(c),
    );
    return cred && { client: cred.client, server: cred.server, ticket: cred.ticket, sessionKey: cred.key, endtime: cred.endtime };
  }

  /** The client principal from the settings, else the credential cache's default principal. */
  private async clientPrincipal(): Promise<Principal> {
    const s = this.settings;
    const conf = await this.krb5Conf();
    if (s.principal === undefined || s.principal === '') {
      if (s.password || s.keytab) throw new KerberosError('config', 'a Kerberos principal (username) is needed with a password or keytab');
      const path = ccachePath(this.ccacheName());
      try {
        return parseCcache(await readFile(path)).defaultPrincipal;
      } catch (e) {
        if (e instanceof KerberosError) throw e;
        throw new KerberosError(
          'credentials',
          `no username given and no credential cache at ${path} (run kinit, or set username and password): ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`,
        );
      }
    }
    return parsePrincipal(s.principal, s.realm ?? conf.defaultRealm);
  }

  private krb5Conf(): Promise<Krb5Conf> {
    this.conf ??= loadKrb5Conf(this.settings.krb5Conf ?? this.envKrb5Config?.split(':')[0] ?? DEFAULT_KRB5_CONF);
    return this.conf;
  }

  private async kdc(realm: string, message: Buffer, kind: 'as' | 'tgs'): Promise<Buffer> {
    const kdcs = await locateKdcs(realm, {
      kdcs: this.settings.kdcs,
      conf: await this.krb5Conf(),
      dnsTimeoutMs: this.settings.kdcTimeoutMs ?? 5000,
    });
    if (kind === 'as') this.asCount++;
    else this.tgsCount++;
    return sendToKdc(realm, kdcs, message, { timeoutMs: this.settings.kdcTimeoutMs ?? 5000 });
  }
}

/** `user@REALM`, `REALM\user` (NetBIOS names are taken as the realm, upper-cased) or `user` in `defaultRealm`. */
export function parsePrincipal(text: string, defaultRealm: string | undefined): Principal {
  const slash = text.indexOf('\\');
  let user = text;
  let realm = defaultRealm;
  if (slash >= 0) {
    realm = text.slice(0, slash);
    user = text.slice(slash + 1);
  } else {
    const at = text.lastIndexOf('@');
    if (at >= 0) {
      realm = text.slice(at + 1);
      user = text.slice(0, at);
    }
  }
  if (!realm)
    throw new KerberosError('config', `no realm for "${user}": write user@REALM, set kerberos_realm, or set default_realm in krb5.conf`);
  if (user === '') throw new KerberosError('config', 'the Kerberos user name is empty');
  return { nameType: NAME_TYPE.principal, names: user.split('/'), realm: realm.toUpperCase() };
}
