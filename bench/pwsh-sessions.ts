/**
 * PowerShell sessions behind the emulator: each shell Create on a PowerShell endpoint starts its own
 * `pwsh -s`. Prints, measured in this run: the start-up time of one session (Create until the pool reports
 * Opened) and the resident memory of its pwsh, the same for 20 sessions opened at once on one host, and how
 * many such sessions fit in 1 GiB.
 *
 *   npm run bench:pwsh
 */
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { startEmulator, type EmulatorHandle } from '../src/emulator';
import { locatePwsh, PWSH_MISSING_MESSAGE } from '../src/emulator/powershell/pwsh-locator';
import { TestClient } from '../test/support/wsman-test-client';
import { PsrpTestClient } from '../test/support/psrp-shell';

const CONCURRENT = 20;
const GIB = 1024 * 1024 * 1024;

/** Resident set size of a process in bytes (Linux /proc, else ps). */
function rssBytes(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    if (kb !== undefined) return Number(kb) * 1024;
  } catch {
    // Not Linux: ask ps.
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
}

/** Opens one session and waits until its pool is Opened; its start-up time in ms and its pwsh pid. */
async function openSession(emu: EmulatorHandle, ps: PsrpTestClient): Promise<{ ms: number; shellId: string; pid: number }> {
  const started = process.hrtime.bigint();
  const shell = await ps.create();
  if (shell.create.status !== 200) throw new Error(`Create failed: ${shell.create.text}`);
  const messages = await ps.receivePoolUntilState(shell.shellId);
  if (!messages.some((m) => m.type === 'RUNSPACEPOOL_STATE' && m.data.includes('<I32 N="RunspaceState">2</I32>')))
    throw new Error('the pool did not open');
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const pid = emu.virtualHosts[0]!.shells.get(shell.shellId)?.session?.pid;
  if (pid === undefined) throw new Error('no pwsh behind the session');
  return { ms, shellId: shell.shellId, pid };
}

const mb = (bytes: number): string => (bytes / 1048576).toFixed(1);

async function main(): Promise<void> {
  if (!locatePwsh()) throw new Error(PWSH_MISSING_MESSAGE);
  const emu = await startEmulator({ allowUnencrypted: true, log: () => undefined });
  try {
    // Twenty pwsh starting at once on a small machine take minutes of CPU: each Create waits for its pwsh.
    const ps = new PsrpTestClient(new TestClient(emu.hosts[0]!.endpoint, 'vagrant', 'vagrant', 600000));
    const one = await openSession(emu, ps);
    const oneRss = rssBytes(one.pid);
    console.log(`one session: start-up ${one.ms.toFixed(0)} ms, pwsh RSS ${mb(oneRss)} MiB`);
    await ps.delete(one.shellId);

    const wall = process.hrtime.bigint();
    const many = await Promise.all(Array.from({ length: CONCURRENT }, () => openSession(emu, ps)));
    const wallMs = Number(process.hrtime.bigint() - wall) / 1e6;
    const rss = many.map((s) => rssBytes(s.pid));
    const total = rss.reduce((a, b) => a + b, 0);
    const times = many.map((s) => s.ms).sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? 0;
    console.log(
      `${CONCURRENT} concurrent sessions: all open after ${wallMs.toFixed(0)} ms (median ${median.toFixed(0)} ms, slowest ${(times[times.length - 1] ?? 0).toFixed(0)} ms, ` +
        `${(wallMs / one.ms).toFixed(1)}x one session), pwsh RSS total ${mb(total)} MiB, mean ${mb(total / CONCURRENT)} MiB`,
    );
    console.log(
      `sessions that fit in 1 GiB: ${Math.floor(GIB / (total / CONCURRENT))} (by the mean RSS of the ${CONCURRENT}), ${Math.floor(GIB / oneRss)} (by the single session's)`,
    );
    await Promise.all(many.map((s) => ps.delete(s.shellId)));
  } finally {
    await emu.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
