/**
 * npm run bench:plan — 50 hosts x 4 endpoints on the emulator with 20 ms latency per request:
 * WS-Man requests per host per refresh, WinRM restarts per host per apply (terraform's default
 * -parallelism=10, a change on every endpoint), and plan wall time relative to planning as many
 * terraform_data resources, with where that time goes (bench/support/profiled-run.ts). Plans and
 * floors are interleaved (BENCH_RUNS pairs, default 3) and the median pair reported. A second floor is
 * as many resources of runtimetest (test/e2e/runtimetest), a provider on this project's own plugin runtime
 * that reads a local file per resource: what any provider on this runtime costs terraform and itself,
 * before a host is reached. PLAN_PARALLELISM (default terraform's 10) is passed to every plan as
 * -parallelism. Prints counts and ratios; the numbers are for reading, not asserting.
 */
import { createWorkdir, installProviders, requiredProviders, type Workdir } from '../test/support/terraform';
import { endpointBlock, providerBlock, startEmulatorEnv, terraformIn } from '../test/support/session-configuration-env';
import { breakdownLines, profiledRun, type ProfiledRun } from './support/profiled-run';

const HOSTS = 50;
const PER_HOST = 4;
const LATENCY_MS = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PARALLELISM = Number(process.env.PLAN_PARALLELISM ?? 10);

async function must(wd: Workdir, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const started = performance.now();
  const r = await terraformIn(wd, args, env);
  if (r.code !== 0) throw new Error(`terraform ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return performance.now() - started;
}

async function main(): Promise<void> {
  installProviders();
  const names = Array.from({ length: HOSTS }, (_, i) => `win${i + 1}`);
  const env = await startEmulatorEnv(names, { restartMs: 300, latencyMs: LATENCY_MS });
  const config = (maxSessions: number): string =>
    requiredProviders('psremoting') +
    providerBlock() +
    names
      .flatMap((h) =>
        Array.from({ length: PER_HOST }, (_, j) =>
          endpointBlock(`${h}_${j}`, env.address(h), `bench.${j}`, {
            max_sessions: maxSessions + j,
            output_buffering_mode: 'Drop',
            verify: false,
          }),
        ),
      )
      .join('\n');
  const wd = createWorkdir('bench-plan', { 'main.tf': config(10) });
  const baseline = createWorkdir('bench-plan-baseline', {
    'main.tf': `resource "terraform_data" "r" {\n  count = ${HOSTS * PER_HOST}\n  input = count.index\n}\n`,
  });
  const runtimeFloor = createWorkdir('bench-plan-runtimetest', {
    'main.tf':
      requiredProviders('runtimetest') +
      `provider "runtimetest" {\n  store_dir = "\${path.module}/store"\n}\n` +
      `resource "runtimetest_item" "r" {\n  count = ${HOSTS * PER_HOST}\n  name  = "item\${count.index}"\n}\n`,
  });
  const plan = ['plan', '-detailed-exitcode', `-parallelism=${PARALLELISM}`];
  const restarts = () => Promise.all(names.map(async (h) => (await env.control.host(h)).restarts));
  const spread = (before: number[], after: number[]): string => {
    const d = after.map((n, i) => n - before[i]!);
    return `min ${Math.min(...d)} max ${Math.max(...d)}`;
  };
  try {
    await must(wd, ['init']);
    await must(baseline, ['init']);
    await must(baseline, ['apply', '-auto-approve']);
    await must(runtimeFloor, ['init']);
    await must(runtimeFloor, ['apply', '-auto-approve']);

    const r0 = await restarts();
    const createMs = await must(wd, ['apply', '-auto-approve']);
    const r1 = await restarts();
    // A refresh-only apply first, as a later apply would have made one.
    await must(wd, ['apply', '-refresh-only', '-auto-approve']);

    await env.resetCounters();
    const pairs: { plan: ProfiledRun; floorMs: number; runtime: ProfiledRun }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const measured = await profiledRun(async (extra) => void (await must(wd, plan, extra)));
      const floorMs = await must(baseline, plan);
      const runtime = await profiledRun(async (extra) => void (await must(runtimeFloor, plan, extra)));
      pairs.push({ plan: measured, floorMs, runtime });
    }
    pairs.sort((a, b) => a.plan.wallMs / a.floorMs - b.plan.wallMs / b.floorMs);
    const median = pairs[Math.floor(pairs.length / 2)]!;
    const counts = (await Promise.all(names.map((h) => env.counters(h)))).map((c) => ({
      ...c,
      total: c.total / RUNS,
      authHandshakes: c.authHandshakes / RUNS,
      byOperation: Object.fromEntries(Object.entries(c.byOperation).map(([op, n]) => [op, n / RUNS])),
    }));
    const wsman = counts.map((c) => c.total); // the emulator counts handshakes apart from operations
    const auth = counts.map((c) => c.authHandshakes);

    wd.write('main.tf', config(20));
    const r2 = await restarts();
    const updateMs = await must(wd, ['apply', '-auto-approve']);
    const r3 = await restarts();

    const lines = [
      `hosts ${HOSTS} x endpoints ${PER_HOST} = ${HOSTS * PER_HOST} resources, ${LATENCY_MS} ms latency per request`,
      `refresh (terraform plan): WS-Man requests per host min ${Math.min(...wsman)} max ${Math.max(...wsman)} (target 2: the plugin Enumerate and the restart marker), auth handshake requests per host min ${Math.min(...auth)} max ${Math.max(...auth)}`,
      `  by operation on win1: ${JSON.stringify(counts[0]!.byOperation)}`,
      `create apply: WinRM restarts per host ${spread(r0, r1)} (target 1), ${(createMs / 1000).toFixed(1)} s`,
      `update apply (every endpoint changed, -parallelism=10): WinRM restarts per host ${spread(r2, r3)} (target 1), ${(updateMs / 1000).toFixed(1)} s`,
      `plan (-parallelism=${PARALLELISM}) wall time: ${(median.plan.wallMs / 1000).toFixed(2)} s vs ${HOSTS * PER_HOST} terraform_data ${(median.floorMs / 1000).toFixed(2)} s — ratio ${(median.plan.wallMs / median.floorMs).toFixed(2)} (median of ${RUNS} interleaved pairs; all: ${pairs.map((p) => (p.plan.wallMs / p.floorMs).toFixed(2)).join(' ')})`,
      'where the plan went (median pair):',
      ...breakdownLines(median.plan, median.floorMs),
      `the same count of runtimetest resources (this project's runtime, no host), same pair: ${(median.runtime.wallMs / median.floorMs).toFixed(2)}x the floor`,
      ...breakdownLines(median.runtime, median.floorMs).slice(1, 3),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    wd.remove();
    baseline.remove();
    runtimeFloor.remove();
    await env.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
