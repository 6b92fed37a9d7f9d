import * as fs from 'node:fs';
import * as os from 'node:os';
import { CommandProcess, type StreamName } from '../../src/emulator/shells/command-process';
import { waitFor } from '../support/wait-for';

const BOTH = new Set<StreamName>(['stdout', 'stderr']);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Running and not a zombie (an orphan's zombie may linger where PID 1 does not reap). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function untilDone(proc: CommandProcess): Promise<string> {
  let out = '';
  for (let i = 0; i < 50; i++) {
    const r = await proc.receive(BOTH, 200, 1 << 20);
    for (const c of r?.chunks ?? []) out += c.data.toString('utf8');
    if (r?.exitCode !== undefined) return out;
  }
  throw new Error('the command did not finish');
}

test('output for a client that does not Receive is held within a bound: the process blocks instead', async () => {
  const proc = new CommandProcess('C1', 'yes');
  await proc.start({ kind: 'shell', line: 'yes' }, os.tmpdir(), process.env);
  try {
    await sleep(400);
    const first = await proc.receive(BOTH, 100, 1 << 30);
    const held = (first?.chunks ?? []).reduce((n, c) => n + c.data.length, 0);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(2 * 1024 * 1024);
    // Taking the output lets the process go on.
    await sleep(100);
    const next = await proc.receive(BOTH, 1000, 1 << 30);
    expect((next?.chunks ?? []).length).toBeGreaterThan(0);
  } finally {
    proc.kill();
  }
});

test('kill ends what the command left running in the background after it exited', async () => {
  const proc = new CommandProcess('C2', 'background');
  await proc.start({ kind: 'shell', line: 'sleep 30 >/dev/null 2>&1 & echo $!' }, os.tmpdir(), process.env);
  const pid = Number((await untilDone(proc)).trim());
  expect(running(pid)).toBe(true);
  proc.kill();
  await waitFor(() => !running(pid), 'the background sleep to be killed', 1000);
});
