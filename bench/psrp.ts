import { DEFAULT_USER, EmulatorControl, startEmulator } from '../src/emulator';
import { locatePwsh, PWSH_MISSING_MESSAGE } from '../src/emulator/powershell/pwsh-locator';
import { errorMessage } from '../src/common';
import { PowerShellSession } from '../src/host';
import { WsmanClient, runCommand } from '../src/wsman';

/**
 * `npm run bench:psrp`: what a PowerShell session costs against the emulator's real PowerShell 7
 * (each shell bridged to its own `pwsh -s`), measured in one run:
 *   - round trips (WS-Man requests counted by the emulator) and time to open a session, and to run a
 *     short pipeline on an open one;
 *   - output objects per second of one pipeline;
 *   - the same short script run as `powershell.exe` through WinRS (Create, Command, Receive, Signal,
 *     Delete and a process start per command: the cost every other tool pays).
 * BENCH_RUNS sets the repetitions (default 10), BENCH_OBJECTS the objects of the throughput run (default 20000).
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 20000);
const SCRIPT = '$PSVersionTable.PSVersion.Major + 1';

interface Sample {
  readonly requests: number;
  readonly ms: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  if (!locatePwsh()) throw new Error(PWSH_MISSING_MESSAGE);
  const emulator = await startEmulator({ hosts: ['bench'], allowUnencrypted: true, log: () => undefined });
  const control = new EmulatorControl(emulator.control);
  const counters = async (): Promise<number> => (await control.counters('bench')).total;
  const sample = async (fn: () => Promise<unknown>): Promise<Sample> => {
    const before = await counters();
    const started = performance.now();
    await fn();
    const ms = performance.now() - started;
    return { requests: (await counters()) - before, ms };
  };
  const client = new WsmanClient({
    endpoint: emulator.hosts[0]!.endpoint,
    auth: { kind: 'basic', username: DEFAULT_USER.name, password: DEFAULT_USER.password, allowUnencrypted: true },
    receiveTimeoutMs: 5000,
  });
  const opens: Sample[] = [];
  const pipelines: Sample[] = [];
  const winrs: Sample[] = [];
  let throughput = 0;
  try {
    const warm = await PowerShellSession.open(client);
    await warm.runScript(SCRIPT);
    await warm.close();
    for (let i = 0; i < RUNS; i += 1) {
      let session: PowerShellSession | undefined;
      opens.push(await sample(async () => (session = await PowerShellSession.open(client))));
      const open = session!;
      for (let j = 0; j < 3; j += 1) {
        let got: unknown;
        pipelines.push(await sample(async () => (got = (await open.runScript(SCRIPT)).output[0])));
        if (got !== 8) throw new Error(`the pipeline returned ${String(got)}`);
      }
      if (i === 0) {
        const started = performance.now();
        const r = await open.runScript(`1..${OBJECTS} | ForEach-Object { [pscustomobject]@{ n = $_; s = "item $_" } }`);
        if (r.output.length !== OBJECTS) throw new Error(`expected ${OBJECTS} objects, got ${r.output.length}`);
        throughput = OBJECTS / ((performance.now() - started) / 1000);
      }
      await open.close();
      winrs.push(
        await sample(async () => {
          const r = await runCommand(client, 'powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', SCRIPT]);
          if (r.stdout.toString().trim() !== '8') throw new Error(`WinRS powershell.exe printed ${JSON.stringify(r.stdout.toString())}`);
        }),
      );
    }
  } finally {
    client.close();
    await emulator.stop();
  }
  const row = (what: string, s: Sample[]): string =>
    `${what}\t${median(s.map((x) => x.requests))}\t${median(s.map((x) => x.ms)).toFixed(1)}`;
  console.log(`psrp bench: ${RUNS} runs against the emulator's pwsh ${'7.6.9'} on loopback (medians)`);
  console.log(['operation', 'round trips', 'ms'].join('\t'));
  console.log(row('open session (Create + pool Receives)', opens));
  console.log(row('short pipeline on an open session', pipelines));
  console.log(row('same script via WinRS powershell.exe', winrs));
  console.log(`output objects per second (${OBJECTS} PSCustomObjects, one pipeline): ${throughput.toFixed(0)}`);
  const p = median(pipelines.map((x) => x.ms));
  const w = median(winrs.map((x) => x.ms));
  console.log(
    `WinRS powershell.exe / pipeline on an open session = ${(w / p).toFixed(1)}x time, ${(median(winrs.map((x) => x.requests)) / median(pipelines.map((x) => x.requests))).toFixed(1)}x round trips`,
  );
}

main().catch((e: unknown) => {
  console.error(`bench:psrp: ${errorMessage(e)}`);
  process.exit(1);
});
