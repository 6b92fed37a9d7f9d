/**
 * Commands over PSRP inside an endpoint, and commands in disconnected sessions, against the emulator's
 * real PowerShell: rendered output, JSON, records on stderr, the exit code rule, a refusal, and a
 * disconnected command found by name and collected from a fresh client, probed without losing output,
 * and waited on across dropped connections (the emulator's fault injection).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorControl, startEmulator, type EmulatorHandle } from '../../src/emulator';
import {
  collect,
  commandOf,
  findSession,
  probeCommand,
  runPsrpCommand,
  MAX_REATTACH_ATTEMPTS,
  SessionGoneError,
  startDisconnected,
  type Host,
  type HostLog,
  type HostPool,
} from '../../src/host';
import { emulatorPool } from '../support/host-pool';
import { waitFor } from '../support/wait-for';
import { WsmanTransportError } from '../../src/wsman';

jest.setTimeout(120_000);

let emulator: EmulatorHandle;
let pool: HostPool;
let host: Host;
const signal = new AbortController().signal;

beforeAll(async () => {
  emulator = await startEmulator({ hosts: ['win1'], allowUnencrypted: true, auth: ['basic'], log: () => undefined });
  pool = emulatorPool();
  host = pool.host(emulator.hosts[0]!.endpoint);
});
afterAll(async () => {
  await emulator?.stop();
});

const base = { configurationName: 'Microsoft.PowerShell', timeoutMs: 60_000, maxOutputBytes: 64 * 1024 };
const run = (script: string, extra: Partial<typeof base> & { environment?: Record<string, string>; workingDirectory?: string } = {}) =>
  host.powershell((client, gate) => runPsrpCommand(client, gate, { ...base, ...extra, script }, signal), signal);

describe('a command over PSRP', () => {
  test('output rendered by Out-String, objects as JSON, records on stderr in order, exit N', async () => {
    const r = await run(
      "'a'; 42; [pscustomobject]@{ Name = 'x'; Size = 3 }; Write-Warning 'careful'; Write-Error 'boom'; Write-Host 'hosted'; exit 3",
    );
    expect(r.stdout).toMatch(/^a\n42\n/);
    expect(r.stdout).toMatch(/Name\s+Size\n-+\s+-+\nx\s+3/);
    expect(JSON.parse(r.outputJson)).toEqual(['a', 42, { Name: 'x', Size: 3 }]);
    expect(r.stderr).toBe(
      'WARNING: careful\nWrite-Error: boom\n    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException\n' +
        '    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException\nhosted\n',
    );
    expect(r.exitCode).toBe(3);
  });

  test('exit code: 0 after a non-terminating error, 1 after a terminating one', async () => {
    expect((await run("Write-Error 'soft'; 'done'")).exitCode).toBe(0);
    const failed = await run("throw 'hard'");
    expect(failed.exitCode).toBe(1);
    expect(failed.state).toBe('Failed');
    expect(failed.stderr).toMatch(/hard\n.*FullyQualifiedErrorId : hard/s);
  });

  test('environment and working directory are set before the script', async () => {
    const r = await run('"$env:RELEASE $((Get-Location).Path)"', { environment: { RELEASE: 'r7' }, workingDirectory: '/tmp' });
    expect(r.stdout).toBe('r7 /tmp\n');
  });

  test('an endpoint that does not exist is refused with the host reason', async () => {
    await expect(run('1', { configurationName: 'No.Such.Endpoint' })).rejects.toThrow(/No\.Such\.Endpoint/i);
  });

  test('the timeout stops the pipeline', async () => {
    await expect(run('Start-Sleep 30', { timeoutMs: 3000 })).rejects.toThrow(/longer than 3 s/);
  });
});

describe('a command in a disconnected session', () => {
  const cmd = (script: string, sessionName: string) => ({
    ...base,
    script,
    sessionName,
    idleTimeoutMs: 120_000,
    bufferMode: 'Block' as const,
  });

  test('starts disconnected, is found by name, collected while it runs and once it ended', async () => {
    const c = cmd("'first'; Start-Sleep 3; 'second'", 'psremoting-test-a');
    const ref = await host.powershell((client, gate) => startDisconnected(client, gate, c, signal), signal);
    const found = await host.powershell((client) => findSession(client, c.configurationName, c.sessionName, signal), signal);
    expect(found?.shellId).toBe(ref.shellId);
    expect(found?.state).toBe('Disconnected');
    expect(await host.powershell((client) => commandOf(client, ref.shellId, signal), signal)).toBe(ref.commandId);

    const partial = await host.powershell((client, gate) => collect(client, gate, c, ref, { quietMs: 1500, signal }), signal);
    expect(partial.state).toBe('Running');
    expect(partial.stdout).toBe('first\n');
    const shells = await host.shells(signal);
    expect(shells.find((s) => s.shellId === ref.shellId)?.state).toBe('Disconnected');

    let last = partial;
    await waitFor(
      async () => {
        last = await host.powershell((client, gate) => collect(client, gate, c, ref, { quietMs: 1500, signal }), signal);
        return last.state !== 'Running';
      },
      'the disconnected command to end',
      30_000,
    );
    expect(last.state).toBe('Completed');
    expect(last.stdout).toBe('second\n');
    await expect(host.powershell((client, gate) => collect(client, gate, c, ref, { signal }), signal)).rejects.toBeInstanceOf(
      SessionGoneError,
    );
  });

  test('a probe tells running from ended without taking output: every line is there for the collection', async () => {
    const gate = join(tmpdir(), `psremoting-probe-${process.pid}`);
    const c = cmd(
      `'first'; while (-not (Test-Path -LiteralPath '${gate}')) { Start-Sleep -Milliseconds 100 }; 'second'`,
      'psremoting-test-probe',
    );
    const ref = await host.powershell((client, g) => startDisconnected(client, g, c, signal), signal);
    const probe = () => host.powershell((client, g) => probeCommand(client, g, c, ref, signal), signal);
    expect(await probe()).toBe('running');
    expect(await probe()).toBe('running');
    writeFileSync(gate, 'go');
    try {
      await waitFor(async () => (await probe()) === 'collectable', 'the probe to see the command ended', 30_000);
      expect(await probe()).toBe('collectable');
    } finally {
      rmSync(gate, { force: true });
    }
    const r = await host.powershell((client, g) => collect(client, g, c, ref, { quietMs: 1500, signal }), signal);
    expect(r.state).toBe('Completed');
    expect(r.stdout).toBe('first\nsecond\n');
    await expect(host.powershell((client, g) => probeCommand(client, g, c, ref, signal), signal)).rejects.toBeInstanceOf(SessionGoneError);
  });

  test('wait: receives until the end from a fresh process', async () => {
    const c = cmd('1..3 | ForEach-Object { $_; Start-Sleep -Milliseconds 300 }', 'psremoting-test-b');
    const ref = await host.powershell((client, gate) => startDisconnected(client, gate, c, signal), signal);
    const fresh = emulatorPool().host(emulator.hosts[0]!.endpoint);
    const r = await fresh.powershell((client, gate) => collect(client, gate, c, ref, { signal }), signal);
    expect(r.state).toBe('Completed');
    expect(r.stdout).toBe('1\n2\n3\n');
    expect(JSON.parse(r.outputJson)).toEqual([1, 2, 3]);
  });
});

describe('waiting on a disconnected command across dropped connections', () => {
  const control = () => new EmulatorControl(emulator.control);
  /** The messages of the log lines the collection wrote. */
  const recordingLog = (): HostLog & { lines: string[] } => {
    const lines: string[] = [];
    const note = (message: string, fields?: Record<string, unknown>) => lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
    return { lines, debug: () => undefined, info: note, warn: note };
  };
  const files = (name: string) => {
    const marker = join(tmpdir(), `psremoting-${name}-${process.pid}.log`);
    const gate = join(tmpdir(), `psremoting-${name}-${process.pid}.gate`);
    rmSync(marker, { force: true });
    rmSync(gate, { force: true });
    return { marker, gate };
  };
  /** Appends one line per run to `marker`, prints 'one', waits for `gate`, prints 'two' and, a second later, 'three'. */
  const gated = (marker: string, gate: string, sessionName: string) => ({
    ...base,
    sessionName,
    idleTimeoutMs: 120_000,
    bufferMode: 'Block' as const,
    script:
      `Add-Content -LiteralPath '${marker}' -Value 'run'; 'one'; ` +
      `while (-not (Test-Path -LiteralPath '${gate}')) { Start-Sleep -Milliseconds 100 }; 'two'; Start-Sleep 1; 'three'`,
  });
  /** Resolves once the collection is attached and long-polling for output past 'one' (the host shows the session Connected). */
  const attached = (shellId: string) =>
    waitFor(
      async () => (await control().shells('win1')).some((s) => s.id.toUpperCase() === shellId.toUpperCase() && s.state === 'Connected'),
      'the collection to attach',
      30_000,
    );

  /**
   * Starts the gated command in a disconnected session and a collection of it, then, once the collection
   * waits past 'one', drops the next `drops` requests and opens the gate.
   */
  const collectThroughDrops = async (name: string, drops: number) => {
    const { marker, gate } = files(name);
    const c = gated(marker, gate, `psremoting-test-${name}`);
    const ref = await host.powershell((client, g) => startDisconnected(client, g, c, signal), signal);
    const log = recordingLog();
    const waiting = host.powershell((client, g) => collect(client, g, c, ref, { signal, log }), signal);
    await attached(ref.shellId);
    await new Promise((r) => setTimeout(r, 500));
    await control().injectFault('win1', { kind: 'drop', count: drops });
    writeFileSync(gate, 'go');
    return { marker, gate, c, ref, log, waiting };
  };

  afterEach(async () => {
    await control().clearFaults('win1');
  });

  test('wait: the dropped connections are reattached in the same call; the command ran once and every line arrives', async () => {
    // The Receive after 'two' is dropped, then the disconnect that follows it, then the first request of
    // the next attach: two failed attempts in a row.
    const { marker, gate, ref, log, waiting } = await collectThroughDrops('drop', 3);
    try {
      const r = await waiting;
      expect((await control().faults('win1')).pending).toEqual([]);
      expect(r.state).toBe('Completed');
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe('one\ntwo\nthree\n');
      expect(JSON.parse(r.outputJson)).toEqual(['one', 'two', 'three']);
      expect(readFileSync(marker, 'utf8').trim().split(/\r?\n/)).toEqual(['run']);
      // Two lines when the drops hit the Receive as planned; a loaded machine may shift them onto the attach.
      expect(log.lines.length).toBeGreaterThanOrEqual(1);
      expect(log.lines.length).toBeLessThanOrEqual(MAX_REATTACH_ATTEMPTS - 1);
      log.lines.forEach((line, i) =>
        expect(line).toMatch(new RegExp(`^lost the connection to the disconnected session; attaching again .*"attempt":${i + 1}`)),
      );
      // The collection that saw the end closed the session.
      expect((await control().shells('win1')).some((s) => s.id.toUpperCase() === ref.shellId.toUpperCase())).toBe(false);
    } finally {
      rmSync(marker, { force: true });
      rmSync(gate, { force: true });
    }
  });

  test('a connection that stays lost fails after the bounded attempts; the session lives on for the next collection', async () => {
    const { marker, gate, c, ref, log, waiting } = await collectThroughDrops('lost', 1000);
    try {
      const failure = await waiting.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(WsmanTransportError);
      expect(log.lines).toHaveLength(MAX_REATTACH_ATTEMPTS - 1);
      await control().clearFaults('win1');
      // What the failed call had received is gone with it (an apply that fails saves nothing), but the
      // command ran on in its session: the next collection gets the rest and the end, and it ran once.
      const rest = await host.powershell((client, g) => collect(client, g, c, ref, { signal }), signal);
      expect(rest.state).toBe('Completed');
      expect(rest.stdout).toMatch(/three\n$/);
      expect(readFileSync(marker, 'utf8').trim().split(/\r?\n/)).toEqual(['run']);
    } finally {
      rmSync(marker, { force: true });
      rmSync(gate, { force: true });
    }
  });
});
