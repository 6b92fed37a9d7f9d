import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_USER, startEmulator } from '../src/emulator';
import { RESOURCE_URI, WsmanClient, type WsmanAuth } from '../src/wsman';
import { errorMessage } from '../src/common';
import { measure, type Measurement } from './request-rate';

/**
 * `npm run bench:wsman`: requests per second and bytes on the wire per operation for a plugin Get and a
 * plugin Enumerate against the in-process emulator, with Basic and with NTLM sealing, in one run.
 * BENCH_MS sets the time per measurement (default 2000), BENCH_CONCURRENCY the parallel requests (default 4).
 */

const DURATION_MS = Number(process.env.BENCH_MS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);

async function main(): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-wsman-'));
  const emulator = await startEmulator({
    hosts: ['bench'],
    auth: ['basic', 'ntlm'],
    allowUnencrypted: true,
    stateDir,
    log: () => undefined,
  });
  const endpoint = emulator.hosts[0]!.endpoint;
  const auths: Record<string, WsmanAuth> = {
    basic: { kind: 'basic', username: DEFAULT_USER.name, password: DEFAULT_USER.password, allowUnencrypted: true },
    'ntlm-sealed': { kind: 'ntlm', username: DEFAULT_USER.name, password: DEFAULT_USER.password },
  };
  const results: Record<string, Record<string, Measurement>> = {};
  try {
    for (const [name, auth] of Object.entries(auths)) {
      const client = new WsmanClient({ endpoint, auth, maxConnections: CONCURRENCY });
      try {
        results[name] = {
          'Get plugin': await measure(
            client,
            () => client.get(RESOURCE_URI.configPlugin, { Name: 'microsoft.powershell' }),
            DURATION_MS,
            CONCURRENCY,
          ),
          'Enumerate plugins': await measure(client, () => client.enumerate(RESOURCE_URI.configPlugin), DURATION_MS, CONCURRENCY),
        };
      } finally {
        client.close();
      }
    }
  } finally {
    await emulator.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
  console.log(`wsman bench: ${DURATION_MS} ms per measurement, ${CONCURRENCY} concurrent requests, emulator on loopback`);
  console.log(['operation', 'auth', 'req/s', 'bytes/op', 'ops'].join('\t'));
  for (const [auth, ops] of Object.entries(results)) {
    for (const [op, m] of Object.entries(ops)) console.log([op, auth, m.rps.toFixed(0), m.bytesPerOp.toFixed(0), m.ops].join('\t'));
  }
  for (const op of Object.keys(results.basic ?? {})) {
    const b = results.basic![op]!;
    const n = results['ntlm-sealed']![op]!;
    console.log(
      `${op}: NTLM sealing / Basic = ${(n.rps / b.rps).toFixed(2)}x req/s, ${(n.bytesPerOp / b.bytesPerOp).toFixed(2)}x bytes/op`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(`bench:wsman: ${errorMessage(e)}`);
  process.exit(1);
});
