import { spawn } from 'node:child_process';
import { DEFAULT_USER, startEmulator, type EmulatorHandle } from '../../src/emulator';
import { locatePwsh, PWSH_MISSING_MESSAGE } from '../../src/emulator/powershell/pwsh-locator';
import { descendants, effectiveQuota, readProcessTable } from '../../src/emulator/powershell/session-quotas';
import { PowerShellSession } from '../../src/host';
import { registerDocument } from '../../src/host/session-configuration/plugin-documents';
import { toPlain } from '../../src/psrp';
import { RESOURCE_URI, WsmanClient, type WsmanAuth } from '../../src/wsman';
import { pluginConfigSpec } from '../../src/wsman/config';
import { waitFor } from '../support/wait-for';

/**
 * MaxProcessesPerShell and MaxMemoryPerShellMB on a PowerShell endpoint bridged to pwsh -s, as far as the
 * emulator observes them (src/emulator/powershell/session-quotas.ts): the session's own allocations fail
 * beyond the memory quota, and processes it starts beyond either quota are killed.
 */
jest.setTimeout(120_000);

describe('the effective quota', () => {
  it('is the smaller of the plugin and global values, 0 and 2147483647 meaning unlimited', () => {
    expect(effectiveQuota(15, 25)).toBe(15);
    expect(effectiveQuota(2147483647, 25)).toBe(25);
    expect(effectiveQuota(0, 2147483647)).toBeUndefined();
    expect(effectiveQuota(undefined, undefined)).toBeUndefined();
  });
});

describe('the process table', () => {
  it('finds the processes below a process', async () => {
    const child = spawn('sleep', ['30']);
    try {
      await new Promise((r) => child.once('spawn', r));
      const below = descendants(readProcessTable(), process.pid).map((p) => p.pid);
      expect(below).toContain(child.pid);
      expect(descendants(readProcessTable(), child.pid!)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('a session under quotas', () => {
  let emu: EmulatorHandle;
  let session: PowerShellSession;
  const clients: WsmanClient[] = [];
  const BASIC: WsmanAuth = { kind: 'basic', username: DEFAULT_USER.name, password: DEFAULT_USER.password, allowUnencrypted: true };
  const client = (): WsmanClient => {
    const c = new WsmanClient({ endpoint: emu.hosts[0]!.endpoint, auth: BASIC, operationTimeoutMs: 30_000, receiveTimeoutMs: 3_000 });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    if (!locatePwsh()) throw new Error(PWSH_MISSING_MESSAGE);
    emu = await startEmulator({ allowUnencrypted: true, restartMs: 200, log: () => undefined });
    const c = client();
    const doc = registerDocument('psrp.quotas', { max_processes_per_session: 3, max_memory_per_session_mb: 300 });
    await c.create(RESOURCE_URI.configPlugin, { Name: 'psrp.quotas' }, pluginConfigSpec(doc));
    await c.startProcess('powershell.exe -Command "Restart-Service WinRM"');
    await waitFor(
      async () => {
        session = (await PowerShellSession.open(client(), { configurationName: 'psrp.quotas' }).catch(() => undefined))!;
        return session !== undefined;
      },
      'the endpoint with quotas after the restart',
      30_000,
    );
  }, 90_000);
  afterAll(async () => {
    await session?.close();
    for (const c of clients) c.close();
    await emu?.stop();
  });

  it('MaxProcessesPerShell 3: pwsh and two processes it started live on; the youngest beyond them are killed', async () => {
    const r = await session.runScript(
      `$started = 1..4 | ForEach-Object { Start-Process sleep -ArgumentList 60 -PassThru; Start-Sleep -Milliseconds 50 }
       $deadline = (Get-Date).AddSeconds(30)
       while (@($started | Where-Object { -not $_.HasExited }).Count -gt 2 -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 200 }
       @($started | ForEach-Object { if ($_.HasExited) { $_.ExitCode } else { 'running' } })
       $started | Where-Object { -not $_.HasExited } | Stop-Process`,
    );
    expect(r.state).toBe('Completed');
    // SIGKILL shows as exit code 137 (128 + 9).
    expect(r.output.map(toPlain)).toEqual(['running', 'running', 137, 137]);
  });

  it('MaxMemoryPerShellMB 300: an allocation of the session beyond it fails in the pipeline', async () => {
    const r = await session.runScript('$big = [byte[]]::new(400MB); $big.Length');
    expect(r.state).toBe('Failed');
    expect(r.reason?.message).toMatch(/OutOfMemory|insufficient memory/i);
    // The session lives on.
    expect((await session.runScript('1 + 1')).output).toEqual([2]);
  });

  it('MaxMemoryPerShellMB 300: a process the session started is killed when the tree grows beyond it', async () => {
    const r = await session.runScript(
      // dd fills a 400 MiB buffer from /dev/zero, then blocks writing it to a sleep that never reads: it holds the
      // memory until killed. (Its output is a pipe: a child writing to pwsh's own stdout would corrupt the session.)
      `$psi = [System.Diagnostics.ProcessStartInfo]::new('sh')
       $psi.ArgumentList.Add('-c')
       $psi.ArgumentList.Add('dd if=/dev/zero bs=400M count=1 status=none | sleep 60')
       $sh = [System.Diagnostics.Process]::Start($psi)
       $seen = $false; $gone = $false
       $deadline = (Get-Date).AddSeconds(60)
       while (-not $gone -and (Get-Date) -lt $deadline) {
         $dd = @(Get-Process -Name dd -ErrorAction Ignore | Where-Object { $_.Parent.Id -eq $sh.Id })
         if ($dd.Count -gt 0) { $seen = $true } elseif ($seen) { $gone = $true }
         Start-Sleep -Milliseconds 200
       }
       if (-not $sh.HasExited) { $sh.Kill($true) }
       "dd seen: $seen, dd gone: $gone"`,
    );
    expect(r.state).toBe('Completed');
    expect(r.output).toEqual(['dd seen: True, dd gone: True']);
  });
});
