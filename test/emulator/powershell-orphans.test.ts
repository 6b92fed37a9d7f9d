/**
 * No pwsh outlives the emulator, even when it is SIGKILLed: the pwsh -s of a PowerShell session ends when its
 * stdin closes, and a WinRS powershell command dies with the emulator (parent-death signal). Needs pwsh.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmulatorControl } from '../../src/emulator';
import { locatePwsh, PWSH_MISSING_MESSAGE } from '../../src/emulator/powershell/pwsh-locator';
import { isAlive, startEmulatorCli } from '../support/emulator-cli';
import { TestClient } from '../support/wsman-test-client';
import { PsrpTestClient } from '../support/psrp-shell';
import { createShell, startCommand } from '../support/winrs';
import { waitFor } from '../support/wait-for';

test('SIGKILL of the emulator: every pwsh it started (sessions with a running pipeline, a WinRS pwsh command) ends', async () => {
  const pwsh = locatePwsh();
  if (!pwsh) throw new Error(PWSH_MISSING_MESSAGE);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'psremoting-orphans-'));
  const { child, line } = await startEmulatorCli(tmp, ['--allow-unencrypted', '--state-dir', tmp], {
    ...process.env,
    PSREMOTING_PWSH: pwsh.path,
  });
  const pids: number[] = [];
  try {
    const info = JSON.parse(line) as { hosts: Array<{ endpoint: string }>; control: string };
    const c = new TestClient(info.hosts[0]!.endpoint);
    const ps = new PsrpTestClient(c);
    for (let i = 0; i < 2; i++) {
      const shell = await ps.create();
      await ps.receivePoolUntilState(shell.shellId);
      await ps.command(shell, 'Start-Sleep -Seconds 600');
    }
    const winrs = await createShell(c);
    await startCommand(c, winrs.shellId!, 'pwsh -NoProfile -Command "Start-Sleep -Seconds 600"');
    await waitFor(async () => {
      const shells = await new EmulatorControl(info.control).shells('win1');
      pids.splice(
        0,
        pids.length,
        ...shells.flatMap((s) => [s.pwshPid, ...s.commands.map((x) => x.pid)]).filter((p): p is number => p !== undefined),
      );
      return pids.length === 3;
    }, 'three pwsh processes');
    expect(pids.every(isAlive)).toBe(true);
    child.kill('SIGKILL');
    await waitFor(() => !pids.some(isAlive), 'every pwsh to end after the emulator was killed', 30000);
  } finally {
    child.kill('SIGKILL');
    for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
  }
}, 120000);
