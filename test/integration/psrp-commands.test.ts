/**
 * Commands over PSRP inside an endpoint, and commands in disconnected sessions, against the emulator's
 * real PowerShell: rendered output, JSON, records on stderr, the exit code rule, a refusal, and a
 * disconnected command found by name and collected from a fresh client, and probed without losing output.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../src/emulator';
import {
  collect,
  commandOf,
  findSession,
  probeCommand,
  runPsrpCommand,
  SessionGoneError,
  startDisconnected,
  type Host,
  type HostPool,
} from '../../src/host';
import { emulatorPool } from '../support/host-pool';
import { waitFor } from '../support/wait-for';

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
