import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { errorMessage } from '../src/common';
import { DEFAULT_USER, startEmulator, type EmulatorHandle } from '../src/emulator';
import { HostPool, silentLog } from '../src/host';
import { hostPoolSettings, type ProviderConfig } from '../src/provider/configuration/provider-settings';
import { RESOURCE_URI, WsmanClient, type WsmanAuth } from '../src/wsman';
import { KerberosClient } from '../src/wsman/auth/kerberos';
import { startMitKdc, type MitKdc } from '../test/support/mit-kdc';
import { UNSET_PROVIDER_CONFIG } from '../test/support/unset-provider-config';
import { measure } from './request-rate';

/**
 * `npm run bench:kerberos`: against the in-process emulator and a throw-away MIT KDC (Debian krb5-kdc),
 * in one run:
 *  1. requests per second of a plugin Get with Basic (clear), NTLM sealing and Kerberos sealing over
 *     HTTP, and Kerberos over HTTPS (channel-bound, unsealed), with ratios to Basic;
 *  2. KDC round trips of one provider run (the provider's own settings code and host pool) that reads
 *     and enumerates plugins on several hosts, from a password, from a kinit ccache, and from a ccache
 *     already holding the service ticket; counted by our client and, independently, in the KDC's log.
 * BENCH_MS sets the time per measurement (default 2000), BENCH_CONCURRENCY the parallel requests (default 4).
 */

const DURATION_MS = Number(process.env.BENCH_MS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const HOSTS = 3;
const run = promisify(execFile);

function kdcLog(kdc: MitKdc): { size: number; count(from: number): { as: number; tgs: number } } {
  const file = join(kdc.dir, 'kdc.log');
  return {
    size: statSync(file).size,
    count: (from) => {
      const text = readFileSync(file, 'utf8').slice(from);
      return { as: (text.match(/ AS_REQ /g) ?? []).length, tgs: (text.match(/ TGS_REQ /g) ?? []).length };
    },
  };
}

const NO_SETTINGS = UNSET_PROVIDER_CONFIG;

/** One provider run: the provider's settings code builds the pool; every host is read and enumerated. */
async function providerRun(
  kdc: MitKdc,
  emulator: EmulatorHandle,
  env: NodeJS.ProcessEnv,
  config: Partial<ProviderConfig>,
): Promise<{ ours: { as: number; tgs: number }; kdcLog: { as: number; tgs: number } }> {
  const log = kdcLog(kdc);
  const settings = hostPoolSettings(
    { ...NO_SETTINGS, auth: 'kerberos', kerberos_realm: kdc.realm, kerberos_kdc: [`127.0.0.1:${kdc.port}`], ...config },
    env,
    silentLog,
  );
  const pool = new HostPool(settings);
  const signal = new AbortController().signal;
  // The pool's kept-alive connections end when the emulator stops.
  await Promise.all(
    emulator.hosts.map(async (h) => {
      const host = pool.host(`localhost:${h.port}`);
      await Promise.all([
        host.freshPlugin('microsoft.powershell', signal),
        host.freshPlugin('microsoft.powershell32', signal),
        host.shells(signal),
      ]);
    }),
  );
  return { ours: (settings.auth as { tickets: KerberosClient }).tickets.roundTrips(), kdcLog: log.count(log.size) };
}

async function main(): Promise<void> {
  const kdc = await startMitKdc();
  const emulators: EmulatorHandle[] = [];
  try {
    await kdc.addUser('alice', 'Alice-Pass-1');
    const keytab = await kdc.addService('HTTP/localhost');
    const http = await startEmulator({
      hosts: Array.from({ length: HOSTS }, (_, i) => `win${i + 1}`),
      auth: ['basic', 'ntlm'],
      allowUnencrypted: true,
      kerberosKeytab: keytab,
      log: () => undefined,
    });
    emulators.push(http);
    const https = await startEmulator({ hosts: ['tls'], tls: true, kerberosKeytab: keytab, log: () => undefined });
    emulators.push(https);
    const tickets = new KerberosClient({ principal: 'alice', password: 'Alice-Pass-1', krb5Conf: kdc.krb5Conf }, {});
    const endpoint = http.hosts[0]!.endpoint.replace('127.0.0.1', 'localhost');
    const cases: Array<[string, string, WsmanAuth, { ca?: Buffer[] }]> = [
      [
        'basic (clear, http)',
        endpoint,
        { kind: 'basic', username: DEFAULT_USER.name, password: DEFAULT_USER.password, allowUnencrypted: true },
        {},
      ],
      ['ntlm-sealed (http)', endpoint, { kind: 'ntlm', username: DEFAULT_USER.name, password: DEFAULT_USER.password }, {}],
      ['kerberos-sealed (http)', endpoint, { kind: 'kerberos', tickets }, {}],
      [
        'kerberos channel-bound (https)',
        https.hosts[0]!.endpoint.replace('127.0.0.1', 'localhost'),
        { kind: 'kerberos', tickets },
        { ca: [readFileSync(https.caFile!)] },
      ],
    ];
    const rps: Record<string, number> = {};
    for (const [name, url, auth, tls] of cases) {
      const client = new WsmanClient({ endpoint: url, auth, maxConnections: CONCURRENCY, tls });
      try {
        rps[name] = (
          await measure(client, () => client.get(RESOURCE_URI.configPlugin, { Name: 'microsoft.powershell' }), DURATION_MS, CONCURRENCY)
        ).rps;
      } finally {
        client.close();
      }
    }
    console.log(`kerberos bench: plugin Get, ${DURATION_MS} ms per measurement, ${CONCURRENCY} concurrent requests, emulator on loopback`);
    for (const [name, value] of Object.entries(rps))
      console.log(`${name}\t${value.toFixed(0)} req/s\t${(value / rps['basic (clear, http)']!).toFixed(2)}x Basic`);
    console.log(`Kerberos sealing / NTLM sealing = ${(rps['kerberos-sealed (http)']! / rps['ntlm-sealed (http)']!).toFixed(2)}x req/s`);

    console.log(`\nKDC round trips of one provider run reading ${HOSTS} hosts (all named localhost, so one SPN):`);
    const password = await providerRun(
      kdc,
      http,
      { PSREMOTING_USERNAME: 'alice', PSREMOTING_PASSWORD: 'Alice-Pass-1', KRB5_CONFIG: kdc.krb5Conf },
      {},
    );
    console.log(
      `password:                 ours AS ${password.ours.as} (pre-authentication probe + AS), TGS ${password.ours.tgs}; KDC log AS_REQ ${password.kdcLog.as}, TGS_REQ ${password.kdcLog.tgs}`,
    );
    const ccache = await kdc.kinit('alice', 'Alice-Pass-1');
    const fromTgt = await providerRun(kdc, http, { KRB5CCNAME: `FILE:${ccache}`, KRB5_CONFIG: kdc.krb5Conf }, {});
    console.log(
      `kinit ccache (TGT):       ours AS ${fromTgt.ours.as}, TGS ${fromTgt.ours.tgs}; KDC log AS_REQ ${fromTgt.kdcLog.as}, TGS_REQ ${fromTgt.kdcLog.tgs}`,
    );
    await run('kvno', ['HTTP/localhost'], { env: { ...kdc.env, KRB5CCNAME: `FILE:${ccache}` } });
    const fromTicket = await providerRun(kdc, http, { KRB5CCNAME: `FILE:${ccache}`, KRB5_CONFIG: kdc.krb5Conf }, {});
    console.log(
      `ccache with HTTP ticket:  ours AS ${fromTicket.ours.as}, TGS ${fromTicket.ours.tgs}; KDC log AS_REQ ${fromTicket.kdcLog.as}, TGS_REQ ${fromTicket.kdcLog.tgs}`,
    );
  } finally {
    await Promise.all(emulators.map((e) => e.stop()));
    await kdc.stop();
  }
}

main().catch((e: unknown) => {
  console.error(`bench:kerberos: ${errorMessage(e)}`);
  process.exit(1);
});
