/**
 * MaxProcessesPerShell and MaxMemoryPerShellMB of a PowerShell session, where the emulator can observe them.
 *
 * On Windows both are limits of the job object WinRM puts the session's host process (wsmprovhost.exe) in,
 * "including the shell's child processes" (https://learn.microsoft.com/windows/win32/winrm/quotas): a process
 * creation beyond the count fails inside the session (CreateProcess: ERROR_NOT_ENOUGH_QUOTA, "Not enough quota
 * is available to process this command."), and "the remote operation is terminated when a new allocation
 * exceeds the specified quota" (the MaxMemoryPerShellMB group policy's text). Neither is a WS-Man fault: the
 * client sees the command inside the session fail. A plain Linux process has no such per-tree limit (RLIMIT_NPROC
 * counts a user's processes, cgroups need privileges the emulator must not assume), so here:
 *  - pwsh's own managed allocations are capped by DOTNET_GCHeapHardLimit (pwsh-server-process.ts): an
 *    allocation beyond it fails with OutOfMemoryException in the pipeline, as under the job's limit;
 *  - the processes the session starts are counted, and their resident memory summed with pwsh's, by reading
 *    /proc once a second: a process found beyond MaxProcessesPerShell (the youngest first) is killed, and when
 *    the tree's memory is beyond MaxMemoryPerShellMB its largest child is. Unlike Windows, the process has run
 *    until the next poll (a creation is not refused; a short spike can pass unseen), and pwsh itself is never
 *    killed for its memory (its base of about 160 MiB is the runtime's, not the session's doing).
 * Where /proc is absent (not Linux) nothing beyond the GC heap cap is enforced, and the emulator says so once.
 */
import * as fs from 'node:fs';
import { errorMessage } from '../../common';

export interface SessionQuotas {
  /** MaxProcessesPerShell: pwsh and every process it started; undefined for unlimited. */
  readonly maxProcesses?: number;
  /** MaxMemoryPerShellMB in bytes, summed over the same processes; undefined for unlimited. */
  readonly maxMemoryBytes?: number;
}

/**
 * The effective quota: the plugin's, capped by the global winrs one (PowerShell's
 * src/Microsoft.WSMan.Management/ConfigProvider.cs, ppqWarningConfigurations; see winrs-caps.ts). 0 is
 * unlimited (the group policies' text), and so is in effect 2147483647, every default here: no session reaches it.
 */
export function effectiveQuota(plugin: number | undefined, global: number | undefined): number | undefined {
  const limits = [plugin, global].filter((v): v is number => v !== undefined && Number.isFinite(v) && v > 0 && v < 0x7fffffff);
  return limits.length === 0 ? undefined : Math.min(...limits);
}

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  /** Clock ticks after boot (a younger process has a larger value). */
  readonly startTime: number;
}

const PROC = '/proc';
const POLL_MS = 1000;

/** Every process's parent and start time, from /proc/<pid>/stat (proc(5)). */
export function readProcessTable(proc = PROC): Map<number, ProcessInfo> {
  const table = new Map<number, ProcessInfo>();
  for (const name of fs.readdirSync(proc)) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`${proc}/${name}/stat`, 'utf8');
    } catch {
      continue; // Ended while we read.
    }
    // The command name is in parentheses and may hold spaces or parentheses: the fields follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const startTime = Number(fields[19]);
    if (Number.isInteger(ppid) && Number.isFinite(startTime)) table.set(Number(name), { pid: Number(name), ppid, startTime });
  }
  return table;
}

/** The processes below `root`, each after its parent. */
export function descendants(table: ReadonlyMap<number, ProcessInfo>, root: number): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const p of table.values()) {
    const list = children.get(p.ppid) ?? [];
    list.push(p);
    children.set(p.ppid, list);
  }
  const out: ProcessInfo[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const c of children.get(pid) ?? []) {
      out.push(c);
      queue.push(c.pid);
    }
  }
  return out;
}

/** Resident memory of a process in bytes (VmRSS of /proc/<pid>/status); 0 once it has ended. */
export function residentBytes(pid: number, proc = PROC): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`${proc}/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? 0 : Number(kb) * 1024;
  } catch {
    return 0;
  }
}

interface Watch {
  readonly pid: number;
  readonly quotas: SessionQuotas;
  readonly log: (msg: string) => void;
}

const watches = new Set<Watch>();
let timer: NodeJS.Timeout | undefined;
let warnedNoProc = false;

/**
 * Enforces `quotas` on the session whose pwsh is `pid` until that process ends (or the returned function is
 * called). One poll serves every watched session.
 */
export function watchSessionQuotas(pid: number, quotas: SessionQuotas, log: (msg: string) => void): () => void {
  if (quotas.maxProcesses === undefined && quotas.maxMemoryBytes === undefined) return () => undefined;
  if (!fs.existsSync(PROC)) {
    if (!warnedNoProc) log('MaxProcessesPerShell and MaxMemoryPerShellMB beyond the GC heap cap are not enforced here: no /proc');
    warnedNoProc = true;
    return () => undefined;
  }
  const watch: Watch = { pid, quotas, log };
  watches.add(watch);
  timer ??= setInterval(poll, POLL_MS).unref();
  return () => unwatch(watch);
}

function unwatch(watch: Watch): void {
  watches.delete(watch);
  if (watches.size === 0 && timer) {
    clearInterval(timer);
    timer = undefined;
  }
}

/** One round of checks over every watched session. */
function poll(): void {
  if (watches.size === 0) return;
  let table: Map<number, ProcessInfo>;
  try {
    table = readProcessTable();
  } catch (e: unknown) {
    for (const w of watches) w.log(`session quotas: cannot read the process table: ${errorMessage(e)}`);
    return;
  }
  for (const w of [...watches]) {
    if (!table.has(w.pid)) {
      unwatch(w);
      continue;
    }
    enforce(w, descendants(table, w.pid));
  }
}

function enforce(w: Watch, children: ProcessInfo[]): void {
  const { maxProcesses, maxMemoryBytes } = w.quotas;
  let alive = children;
  if (maxProcesses !== undefined && 1 + alive.length > maxProcesses) {
    const youngestFirst = [...alive].sort((a, b) => b.startTime - a.startTime);
    const excess = youngestFirst.slice(0, 1 + alive.length - maxProcesses);
    for (const p of excess) kill(w, p.pid, `MaxProcessesPerShell ${maxProcesses} exceeded`);
    alive = alive.filter((p) => !excess.includes(p));
  }
  if (maxMemoryBytes !== undefined && alive.length > 0) {
    const sized = alive.map((p) => ({ pid: p.pid, rss: residentBytes(p.pid) }));
    let total = residentBytes(w.pid) + sized.reduce((a, p) => a + p.rss, 0);
    for (const p of sized.sort((a, b) => b.rss - a.rss)) {
      if (total <= maxMemoryBytes) break;
      kill(w, p.pid, `MaxMemoryPerShellMB ${maxMemoryBytes / 1048576} exceeded (${Math.round(total / 1048576)} MiB)`);
      total -= p.rss;
    }
  }
}

function kill(w: Watch, pid: number, why: string): void {
  try {
    process.kill(pid, 'SIGKILL');
    w.log(`session of pwsh ${w.pid}: ${why}: killed process ${pid}`);
  } catch {
    // Already gone.
  }
}
