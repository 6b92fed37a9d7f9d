/**
 * One terraform command measured from every side, for the plan and fleet benches: its wall time; the
 * CPU of terraform and everything it started (Linux: this process's reaped-children times from
 * /proc/self/stat); each provider process's own report (src/common/profile.ts: launch to handshake,
 * CPU, peak RSS, and the time in protobuf, cty, XML, NTLM, RPC handling and on the network); and the
 * CPU of this process, which hosts the emulator, on the same cores.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROFILE_DIR_ENV, type ProfileReport } from '../../src/common/profile';

export interface ProfiledRun {
  wallMs: number;
  /** terraform itself: all reaped children's CPU minus the providers' own. */
  terraformCpuMs: number;
  /** This process (the in-process emulator and the bench's own bookkeeping). */
  emulatorCpuMs: number;
  providers: ProfileReport[];
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU of reaped children (cutime + cstime, fields 16 and 17 of /proc/self/stat), in ms. */
function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 on
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return NaN; // not Linux: terraform's CPU is not reported
  }
}

/** Runs `command` (which gets the environment to pass to terraform) and measures it. */
export async function profiledRun(command: (env: NodeJS.ProcessEnv) => Promise<void>): Promise<ProfiledRun> {
  const dir = mkdtempSync(join(tmpdir(), 'psremoting-profile-'));
  try {
    const children0 = childrenCpuMs();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await command({ [PROFILE_DIR_ENV]: dir });
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const childrenMs = childrenCpuMs() - children0;
    const providers = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ProfileReport);
    const providerCpu = providers.reduce((sum, p) => sum + p.cpuMs, 0);
    return { wallMs, terraformCpuMs: childrenMs - providerCpu, emulatorCpuMs: (cpu.user + cpu.system) / 1000, providers };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Adds up a category over every provider process. */
export function category(run: ProfiledRun, name: string): { ms: number; count: number } {
  return {
    ms: sum(run.providers.map((p) => p.categories[name]?.ms ?? 0)),
    count: sum(run.providers.map((p) => p.categories[name]?.count ?? 0)),
  };
}

export function peakProviderRssMb(run: ProfiledRun): number {
  return Math.max(0, ...run.providers.map((p) => p.maxRssBytes)) / 2 ** 20;
}

/** The breakdown as printed lines: where the wall time of one command went. */
export function breakdownLines(run: ProfiledRun, floorMs: number): string[] {
  const launches = run.providers.length;
  const toHandshake = sum(run.providers.map((p) => p.marks.handshake ?? 0));
  const providerCpu = sum(run.providers.map((p) => p.cpuMs));
  const cats = ['protobuf', 'cty', 'xml', 'ntlm'].map((n) => [n, category(run, n)] as const);
  const measuredCpu = sum(cats.map(([, c]) => c.ms));
  const rpc = category(run, 'rpc');
  const network = category(run, 'network');
  const ratio = (ms: number): string => `${((ms / run.wallMs) * 100).toFixed(0)}% of wall`;
  return [
    `  wall ${s(run.wallMs)} = ${(run.wallMs / floorMs).toFixed(2)}x the terraform_data floor (${s(floorMs)}, terraform's own time for as many resources)`,
    `  terraform CPU ${s(run.terraformCpuMs)}; provider launches ${launches}, launch to handshake line ${s(toHandshake)} in all (${ratio(toHandshake)})`,
    `  provider CPU ${s(providerCpu)} (${ratio(providerCpu)}): ${cats.map(([n, c]) => `${n} ${s(c.ms)}`).join(', ')}, other (start-up, grpc-js/HTTP/2, plan logic, GC) ${s(providerCpu - measuredCpu)}`,
    `  RPCs ${rpc.count}, some RPC under way ${s(rpc.ms)} (${ratio(rpc.ms)}); WS-Man exchanges ${network.count}, some on the network ${s(network.ms)} (${ratio(network.ms)})`,
    `  emulator CPU (same cores) ${s(run.emulatorCpuMs)}; peak provider RSS ${peakProviderRssMb(run).toFixed(0)} MB`,
  ];
}
