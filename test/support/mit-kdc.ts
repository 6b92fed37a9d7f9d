/**
 * A throw-away MIT KDC on loopback for tests: its own krb5.conf and kdc.conf in a temporary folder
 * (KRB5_CONFIG / KRB5_KDC_PROFILE), a database made with kdb5_util, principals and keytabs made with
 * kadmin.local, and krb5kdc in the foreground as our child, killed by stop() and when the test process
 * exits. Needs Debian's krb5-kdc, krb5-admin-server and krb5-user; fails with a clear message without.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as dgram from 'node:dgram';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './wait-for';

const run = promisify(execFile);
const SBIN = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function tool(name: string): string {
  for (const dir of [...SBIN, ...(process.env.PATH ?? '').split(':')]) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`${name} is missing: the Kerberos tests need a real MIT KDC (apt-get install krb5-kdc krb5-admin-server krb5-user)`);
}

export const REALM = 'PSREMOTING.TEST';

export interface MitKdc {
  readonly realm: string;
  readonly port: number;
  readonly dir: string;
  /** krb5.conf naming this KDC (KRB5_CONFIG for clients). */
  readonly krb5Conf: string;
  /** Environment for MIT tools and python3-gssapi pointed at this realm. */
  readonly env: NodeJS.ProcessEnv;
  /** kadmin.local query, e.g. `addprinc -pw secret alice`. */
  kadmin(query: string): Promise<string>;
  addUser(name: string, password: string): Promise<void>;
  /** Makes a service principal with a random key and exports it to a new keytab; returns its path. */
  addService(spn: string, keytab?: string): Promise<string>;
  /** kinit into a FILE: ccache; returns its path. */
  kinit(principal: string, password: string): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
      s.on('error', reject);
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const u = dgram.createSocket('udp4');
      u.once('error', () => resolve(false));
      u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no free port for the KDC');
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export async function startMitKdc(realm = REALM): Promise<MitKdc> {
  const krb5kdc = tool('krb5kdc');
  const kdb5 = tool('kdb5_util');
  const kadminLocal = tool('kadmin.local');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psremoting-kdc-'));
  const port = await freePort();
  const krb5Conf = path.join(dir, 'krb5.conf');
  fs.writeFileSync(
    krb5Conf,
    [
      '[libdefaults]',
      ` default_realm = ${realm}`,
      ' dns_lookup_kdc = false',
      ' dns_lookup_realm = false',
      ' rdns = false',
      ' ignore_acceptor_hostname = true',
      '[realms]',
      ` ${realm} = {`,
      `  kdc = 127.0.0.1:${port}`,
      ' }',
      '[domain_realm]',
      ` localhost = ${realm}`,
      '',
    ].join('\n'),
  );
  const kdcConf = path.join(dir, 'kdc.conf');
  fs.writeFileSync(
    kdcConf,
    [
      '[kdcdefaults]',
      ` kdc_listen = 127.0.0.1:${port}`,
      ` kdc_tcp_listen = 127.0.0.1:${port}`,
      '[realms]',
      ` ${realm} = {`,
      `  database_name = ${dir}/principal`,
      `  key_stash_file = ${dir}/stash`,
      `  acl_file = ${dir}/kadm5.acl`,
      '  supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal',
      '  default_principal_flags = +preauth',
      ' }',
      '[logging]',
      ` kdc = FILE:${dir}/kdc.log`,
      '',
    ].join('\n'),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KRB5_CONFIG: krb5Conf,
    KRB5_KDC_PROFILE: kdcConf,
    KRB5CCNAME: `FILE:${dir}/default.ccache`,
  };
  await run(kdb5, ['create', '-s', '-r', realm, '-P', 'master-key-for-tests'], { env, timeout: 30000 });
  const child = spawn(krb5kdc, ['-n', '-r', realm], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => live.delete(child));
  await waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        if (child.exitCode !== null) throw new Error(`krb5kdc exited: ${stderr}`);
        const s = net.connect(port, '127.0.0.1');
        s.once('connect', () => (s.destroy(), resolve(true)));
        s.once('error', () => resolve(false));
      }),
    'krb5kdc to listen',
    15000,
  );
  const kadmin = async (query: string): Promise<string> =>
    (await run(kadminLocal, ['-r', realm, '-q', query], { env, timeout: 30000 })).stdout;
  return {
    realm,
    port,
    dir,
    krb5Conf,
    env,
    kadmin,
    addUser: async (name, password) => {
      await kadmin(`addprinc -pw ${password} ${name}`);
    },
    addService: async (spn, keytab = path.join(dir, `${spn.replace(/[^\w.-]/g, '_')}.keytab`)) => {
      await kadmin(`addprinc -randkey ${spn}`);
      await kadmin(`ktadd -k ${keytab} ${spn}`);
      return keytab;
    },
    kinit: async (principal, password) => {
      const ccache = path.join(dir, `${principal.replace(/[^\w.-]/g, '_')}.ccache`);
      await new Promise<void>((resolve, reject) => {
        const k = spawn(tool('kinit'), [principal], { env: { ...env, KRB5CCNAME: `FILE:${ccache}` }, stdio: ['pipe', 'ignore', 'pipe'] });
        let err = '';
        k.stderr.on('data', (d: Buffer) => (err += d.toString()));
        k.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kinit failed: ${err}`))));
        k.stdin.end(`${password}\n`);
      });
      return ccache;
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
