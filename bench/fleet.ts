/**
 * npm run bench:fleet — fleets of 50, 200 and 1000 emulated hosts, with one endpoint each and four:
 * create (apply) and refresh (plan) wall time, WS-Man requests per host per refresh, WinRM restarts
 * per host per apply, peak RSS of the provider and of this process (which hosts the emulator), and
 * how each grows from one size to the next (per resource: flat means linear). Prints counts and ratios.
 *
 *   FLEET_SIZES=50,200,1000  FLEET_PER_HOST=1,4  FLEET_LATENCY_MS=5  FLEET_PARALLELISM=10
 *
 * Run time on a 2-core machine is minutes (1000 x 4 is 4000 resources); sizes run in ascending
 * order so the emulator's peak RSS (this process's maxRSS) belongs to the size just run.
 */
import { createWorkdir, installProviders, requiredProviders, type Workdir } from '../test/support/terraform';
import { credentialsEnv, endpointBlock, providerBlock, startEmulatorEnv } from '../test/support/session-configuration-env';
import { breakdownLines, category, peakProviderRssMb, profiledRun, type ProfiledRun } from './support/profiled-run';

const list = (v: string | undefined, d: number[]): number[] => (v ? v.split(',').map(Number) : d);
const SIZES = list(process.env.FLEET_SIZES, [50, 200, 1000]).sort((a, b) => a - b);
const PER_HOST = list(process.env.FLEET_PER_HOST, [1, 4]);
const LATENCY_MS = Number(process.env.FLEET_LATENCY_MS ?? 5);
const PARALLELISM = Number(process.env.FLEET_PARALLELISM ?? 10);

interface Row {
  hosts: number;
  perHost: number;
  applyMs: number;
  planMs: number;
  floorMs: number;
  applyFloorMs: number;
  wsmanPerHost: { min: number; max: number };
  restartsPerHost: { min: number; max: number };
  providerRssMb: number;
  emulatorRssMb: number;
  plan: ProfiledRun;
  apply: ProfiledRun;
}

async function must(wd: Workdir, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const started = performance.now();
  const r = await wd.terraform(args, { env: { ...credentialsEnv, ...env }, timeoutMs: 60 * 60_000 });
  if (r.code !== 0) throw new Error(`terraform ${args.join(' ')} exited ${r.code}:\n${r.stderr.slice(-4000)}`);
  return performance.now() - started;
}

const range = (xs: number[]) => ({ min: Math.min(...xs), max: Math.max(...xs) });

/** The emulator's control API for every host, a few requests at a time (a thousand at once overwhelm it). */
async function eachHost<T>(names: string[], get: (name: string) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(names.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const i = next++;
      out[i] = await get(names[i]!);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return out;
}

async function measure(hosts: number, perHost: number): Promise<Row> {
  const names = Array.from({ length: hosts }, (_, i) => `win${i + 1}`);
  const env = await startEmulatorEnv(names, { restartMs: 100, latencyMs: LATENCY_MS });
  const config =
    requiredProviders('psremoting') +
    providerBlock() +
    names
      .flatMap((h) =>
        Array.from({ length: perHost }, (_, j) =>
          endpointBlock(`${h}_${j}`, env.address(h), `fleet.${j}`, { max_sessions: 10 + j, verify: false }),
        ),
      )
      .join('\n');
  const wd = createWorkdir(`bench-fleet-${hosts}x${perHost}`, { 'main.tf': config });
  const floor = createWorkdir('bench-fleet-floor', {
    'main.tf': `resource "terraform_data" "r" {\n  count = ${hosts * perHost}\n  input = count.index\n}\n`,
  });
  const restarts = () => eachHost(names, async (h) => (await env.control.host(h)).restarts);
  try {
    await must(wd, ['init']);
    await must(floor, ['init']);
    const applyFloorMs = await must(floor, ['apply', '-auto-approve', `-parallelism=${PARALLELISM}`]);
    const r0 = await restarts();
    const apply = await profiledRun(
      async (extra) => void (await must(wd, ['apply', '-auto-approve', `-parallelism=${PARALLELISM}`], extra)),
    );
    const r1 = await restarts();
    await must(wd, ['apply', '-refresh-only', '-auto-approve', `-parallelism=${PARALLELISM}`]); // restart markers settled, as any later run
    await env.resetCounters();
    const plan = await profiledRun(
      async (extra) => void (await must(wd, ['plan', '-detailed-exitcode', `-parallelism=${PARALLELISM}`], extra)),
    );
    const counts = await eachHost(names, (h) => env.counters(h));
    const floorMs = await must(floor, ['plan', `-parallelism=${PARALLELISM}`]);
    return {
      hosts,
      perHost,
      applyMs: apply.wallMs,
      planMs: plan.wallMs,
      floorMs,
      applyFloorMs,
      wsmanPerHost: range(counts.map((c) => c.total)),
      restartsPerHost: range(r1.map((n, i) => n - r0[i]!)),
      providerRssMb: Math.max(peakProviderRssMb(apply), peakProviderRssMb(plan)),
      emulatorRssMb: process.resourceUsage().maxRSS / 1024,
      plan,
      apply,
    };
  } finally {
    wd.remove();
    floor.remove();
    await env.stop();
  }
}

async function main(): Promise<void> {
  installProviders();
  const rows: Row[] = [];
  for (const perHost of PER_HOST)
    for (const hosts of SIZES) {
      const row = await measure(hosts, perHost);
      rows.push(row);
      // Each row as soon as it is measured: a 1000-host size runs for many minutes.
      process.stderr.write(
        `measured ${hosts} x ${perHost}: apply ${(row.applyMs / 1000).toFixed(1)} s, plan ${(row.planMs / 1000).toFixed(2)} s = ${(row.planMs / row.floorMs).toFixed(2)}x floor, WS-Man/host ${row.wsmanPerHost.min}-${row.wsmanPerHost.max}, restarts/host ${row.restartsPerHost.min}-${row.restartsPerHost.max}, provider RSS ${row.providerRssMb.toFixed(0)} MB, emulator ${row.emulatorRssMb.toFixed(0)} MB\n`,
      );
    }
  const out = [
    `fleet bench: ${LATENCY_MS} ms latency per request, -parallelism=${PARALLELISM}, WinRM restart 100 ms; node ${process.version}`,
    [
      'hosts x endpoints',
      'resources',
      'apply s',
      'plan s',
      'plan/floor',
      'WS-Man req/host (plan)',
      'restarts/host (apply)',
      'provider peak RSS MB',
      'emulator+bench peak RSS MB',
    ].join('\t'),
  ];
  for (const r of rows) {
    out.push(
      [
        `${r.hosts} x ${r.perHost}`,
        r.hosts * r.perHost,
        (r.applyMs / 1000).toFixed(1),
        (r.planMs / 1000).toFixed(2),
        (r.planMs / r.floorMs).toFixed(2),
        `${r.wsmanPerHost.min}-${r.wsmanPerHost.max}`,
        `${r.restartsPerHost.min}-${r.restartsPerHost.max}`,
        r.providerRssMb.toFixed(0),
        r.emulatorRssMb.toFixed(0),
      ].join('\t'),
    );
  }
  for (const r of rows) out.push(`where the ${r.hosts} x ${r.perHost} plan went:`, ...breakdownLines(r.plan, r.floorMs));
  // The floor of a create: terraform applying as many terraform_data resources on an empty state.
  for (const r of rows) out.push(`where the ${r.hosts} x ${r.perHost} apply went:`, ...breakdownLines(r.apply, r.applyFloorMs));
  out.push('growth per resource from one size to the next (1.00 = linear):');
  for (const perHost of PER_HOST) {
    const rs = rows.filter((r) => r.perHost === perHost);
    for (let i = 1; i < rs.length; i++) {
      const [a, b] = [rs[i - 1]!, rs[i]!];
      const k = (b.hosts * b.perHost) / (a.hosts * a.perHost);
      const g = (f: (r: Row) => number) => (f(b) / f(a) / k).toFixed(2);
      const cpu = (r: Row) => r.plan.providers.reduce((s, p) => s + p.cpuMs, 0);
      out.push(
        `  ${a.hosts}->${b.hosts} x ${perHost}: apply ${g((r) => r.applyMs)}, plan ${g((r) => r.planMs)}, floor ${g((r) => r.floorMs)}, provider CPU in plan ${g(cpu)}, cty ${g((r) => category(r.plan, 'cty').ms)}, RPCs ${g((r) => category(r.plan, 'rpc').count)}`,
      );
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
