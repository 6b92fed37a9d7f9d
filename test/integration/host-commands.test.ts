import { startEmulator, DEFAULT_USER, type EmulatorHandle } from '../../src/emulator';
import { RESOURCE_URI, WsmanClient } from '../../src/wsman';
import { NS } from '../../src/wsman/xml';
import { CommandTimeoutError, type Host } from '../../src/host';
import { emulatorPool } from '../support/host-pool';
import { liveShells } from '../support/command-e2e';

let emulator: EmulatorHandle;
let host: Host;

beforeAll(async () => {
  emulator = await startEmulator({ hosts: ['win1', 'win2'], allowUnencrypted: true, auth: ['basic'] });
  host = emulatorPool().host(emulator.hosts[0]!.endpoint);
});
afterAll(() => emulator.stop());

const run = (
  commandLine: string,
  extra: { timeoutMs?: number; signal?: AbortSignal; maxOutputBytes?: number; environment?: Record<string, string> } = {},
) =>
  host.runCommand(
    { commandLine, timeoutMs: extra.timeoutMs ?? 20_000, maxOutputBytes: extra.maxOutputBytes ?? 65536, environment: extra.environment },
    extra.signal ?? new AbortController().signal,
  );

describe('commands through the host layer', () => {
  it('returns stdout, stderr and the exit code, and deletes the shell', async () => {
    const r = await run('echo out && echo err 1>&2 && exit 3');
    expect(r.stdout.trim()).toBe('out');
    expect(r.stderr.trim()).toBe('err');
    expect(r.exitCode).toBe(3);
    expect(await liveShells(emulator, 'win1')).toBe(0);
  });

  it('passes the environment', async () => {
    const r = await run('echo $PSR_GREETING', { environment: { PSR_GREETING: 'héllo' } });
    expect(r.stdout.trim()).toBe('héllo');
  });

  it('answers a missing program as cmd.exe does', async () => {
    const r = await run('robocopy.exe C:\\a C:\\b');
    expect(r.exitCode).toBe(9009);
    expect(r.stderr).toContain("'robocopy.exe' is not recognized as an internal or external command");
  });

  it('runs powershell.exe command lines with real PowerShell', async () => {
    // "echo 1" as UTF-16LE base64, the way the provider encodes scripts.
    const r = await run('powershell.exe -NoProfile -EncodedCommand ZQBjAGgAbwAgADEA');
    expect(r).toMatchObject({ exitCode: 0, stdout: '1\n' });
  });

  it('caps output and says how much was dropped', async () => {
    const r = await run('i=0; while [ $i -lt 2000 ]; do echo line-$i; i=$((i+1)); done', { maxOutputBytes: 200 });
    expect(r.stdout).toMatch(/^line-0\n/);
    expect(r.stdout).toMatch(/bytes of output truncated/);
    expect(r.stdout).toMatch(/line-1999\n$/);
  });

  it('stops a command that runs over its timeout and leaves no shell behind', async () => {
    const started = Date.now();
    await expect(run('sleep 30', { timeoutMs: 1500 })).rejects.toThrow(CommandTimeoutError);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await liveShells(emulator, 'win1')).toBe(0);
  });

  it('stops a command cancelled by terraform and leaves no shell behind', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(new Error('terraform stopped the provider')), 500);
    await expect(run('sleep 30', { signal: stop.signal })).rejects.toThrow('terraform stopped the provider');
    expect(await liveShells(emulator, 'win1')).toBe(0);
  });

  it('never opens more shells than the per-host cap', () => expectPeakShells(host, 'win1', 3));

  it("keeps below the host's own MaxShellsPerUser when that is lower than the cap", async () => {
    const endpoint = emulator.hosts[1]!.endpoint;
    const admin = new WsmanClient({
      endpoint,
      auth: { kind: 'basic', username: DEFAULT_USER.name, password: DEFAULT_USER.password, allowUnencrypted: true },
    });
    await admin.put(RESOURCE_URI.configWinrs, undefined, {
      xml: `<cfg:Winrs xmlns:cfg="${NS.cfg}"><cfg:MaxShellsPerUser>3</cfg:MaxShellsPerUser></cfg:Winrs>`,
    });
    admin.close();
    await expectPeakShells(emulatorPool({ maxConcurrencyPerHost: 6 }).host(endpoint), 'win2', 2);
  });
});

async function expectPeakShells(on: Host, name: string, cap: number): Promise<void> {
  let peak = 0;
  let polling = true;
  // One listing at a time, and finished before the test ends (a request left in flight would fail
  // when the emulator stops, in whatever test runs next).
  const poller = (async () => {
    while (polling) {
      peak = Math.max(peak, await liveShells(emulator, name));
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  try {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        on.runCommand({ commandLine: `sleep 0.2; echo ${i}`, timeoutMs: 20_000, maxOutputBytes: 1024 }, new AbortController().signal),
      ),
    );
    expect(results.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
  } finally {
    polling = false;
    await poller;
  }
  expect(peak).toBeGreaterThan(0);
  expect(peak).toBeLessThanOrEqual(cap);
}
