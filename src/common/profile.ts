/**
 * Opt-in accounting of where a process spends its time, for the benchmarks (bench/plan.ts, bench/fleet.ts).
 * With PSREMOTING_PROFILE_DIR set in its environment, a process adds up the time of each category
 * (synchronous work such as XML or NTLM: CPU on this thread; "spans" such as waiting on the network:
 * wall time during which at least one is under way, overlaps counted once) and writes
 * `<dir>/<pid>.json` on exit with its CPU time, peak RSS and marks. Unset, every call is a pass-through.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PROFILE_DIR_ENV = 'PSREMOTING_PROFILE_DIR';

export interface ProfileReport {
  pid: number;
  /** Process lifetime, CPU (user + system) and peak resident set, in ms and bytes. */
  wallMs: number;
  cpuMs: number;
  maxRssBytes: number;
  /** Named moments, ms since the process started (e.g. the handshake line). */
  marks: Record<string, number>;
  categories: Record<string, { ms: number; count: number }>;
}

const dir = process.env[PROFILE_DIR_ENV];
const categories: ProfileReport['categories'] = {};
const marks: Record<string, number> = {};
const inFlight: Record<string, { n: number; since: number }> = {};

export const profiling = !!dir;

function add(category: string, ms: number): void {
  const c = (categories[category] ??= { ms: 0, count: 0 });
  c.ms += ms;
  c.count++;
}

/** Runs synchronous work, adding its duration to the category. */
export function timed<T>(category: string, work: () => T): T {
  if (!profiling) return work();
  const started = performance.now();
  try {
    return work();
  } finally {
    add(category, performance.now() - started);
  }
}

/** Awaits asynchronous work, adding to the category the time during which any such work is under way. */
export async function spanned<T>(category: string, work: () => Promise<T>): Promise<T> {
  if (!profiling) return work();
  const f = (inFlight[category] ??= { n: 0, since: 0 });
  if (f.n++ === 0) f.since = performance.now();
  try {
    return await work();
  } finally {
    if (--f.n === 0) add(category, performance.now() - f.since);
    else (categories[category] ??= { ms: 0, count: 0 }).count++;
  }
}

/** Notes the first time something happened, in ms since the process started. */
export function mark(name: string, atMs?: number): void {
  if (profiling) marks[name] ??= atMs ?? performance.now();
}

/**
 * Peak resident set of this process. On Linux, VmHWM of /proc/self/status: getrusage's maxRSS is kept
 * across execve (getrusage(2)), so a provider started by terraform would report terraform's own resident
 * set at the fork when that is larger (a provider that only answered the schema showed 90 MB, sampled 56).
 */
function peakRssBytes(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'latin1'));
    if (hwm) return Number(hwm[1]) * 1024;
  } catch {
    // not Linux: getrusage below
  }
  return process.resourceUsage().maxRSS * 1024;
}

if (dir) {
  process.on('exit', () => {
    const cpu = process.cpuUsage();
    const report: ProfileReport = {
      pid: process.pid,
      wallMs: performance.now(),
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRssBytes: peakRssBytes(),
      marks,
      categories,
    };
    writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify(report));
  });
}
