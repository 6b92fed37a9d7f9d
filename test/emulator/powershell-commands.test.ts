/**
 * WinRS command lines that start powershell.exe run real PowerShell 7 (needs pwsh: PSREMOTING_PWSH, PATH or
 * .tools/pwsh), and a Restart-Service WinRM among them is the emulated host's restart.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { locatePwsh, PWSH_MISSING_MESSAGE } from '../../src/emulator/powershell/pwsh-locator';
import { powershellArguments, splitWindowsCommandLine } from '../../src/emulator/powershell/powershell-command-line';
import { startEmulator, type EmulatorHandle } from '../../src/emulator';
import { TestClient } from '../support/wsman-test-client';
import { createShell, runToCompletion, startCommand } from '../support/winrs';
import { waitFor } from '../support/wait-for';

const encode = (script: string): string => Buffer.from(script, 'utf16le').toString('base64');

describe('powershell.exe command lines', () => {
  test('Windows switches pass on; the ones pwsh refuses here are dropped; -Command takes the rest of the line', () => {
    expect(
      powershellArguments([
        'powershell.exe -NoProfile -NonInteractive -WindowStyle Hidden -Version 5.1 -ExecutionPolicy Bypass -EncodedCommand QQA=',
      ]),
    ).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', 'QQA=']);
    expect(
      powershellArguments(['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', '/c', 'Get-Date', '-Format', 'o']),
    ).toEqual(['-c', 'Get-Date', '-Format', 'o']);
    expect(powershellArguments(['cmd.exe', '/c', 'dir'])).toBeUndefined();
    expect(splitWindowsCommandLine('a "b c" d\\"e f\\\\"g h"')).toEqual(['a', 'b c', 'd"e', 'f\\g h']);
  });
});

describe('against the emulator', () => {
  let emu: EmulatorHandle;
  let c: TestClient;
  beforeAll(async () => {
    if (!locatePwsh()) throw new Error(PWSH_MISSING_MESSAGE);
    emu = await startEmulator({ allowUnencrypted: true, restartMs: 200, log: () => undefined });
    c = new TestClient(emu.hosts[0]!.endpoint);
  });
  afterAll(() => emu?.stop());

  test('output, exit code and the CLIXML error stream on stderr come from real PowerShell', async () => {
    const shell = await createShell(c);
    const cmd = await startCommand(
      c,
      shell.shellId!,
      `powershell.exe -NoProfile -NonInteractive -EncodedCommand ${encode('"v=$($PSVersionTable.PSVersion)"; Write-Error "boom"; exit 7')}`,
    );
    const r = await runToCompletion(c, shell.shellId!, cmd.commandId!);
    expect(r.stdout).toBe('v=7.6.9\n');
    expect(r.exitCode).toBe(7);
    expect(r.stderr).toMatch(
      /^#< CLIXML\r?\n<Objs Version="1.1.0.1" xmlns="http:\/\/schemas.microsoft.com\/powershell\/2004\/04"><S S="Error">Write-Error: boom_x000A_<\/S><\/Objs>/,
    );
  });

  test('Restart-Service WinRM in a powershell command line restarts the emulated WinRM and runs nothing else', async () => {
    const host = emu.virtualHosts[0]!;
    const before = host.restarts;
    const shell = await createShell(c);
    const marker = path.join(os.tmpdir(), `psremoting-not-run-${process.pid}`);
    const cmd = await startCommand(
      c,
      shell.shellId!,
      `powershell -NoProfile -EncodedCommand ${encode(`New-Item -ItemType File '${marker}'; Restart-Service -Name WinRM -Force`)}`,
    );
    expect(cmd.status).toBe(200);
    await waitFor(() => host.restarts === before + 1 && host.serviceState === 'Running', 'the WinRM restart', 20000);
    expect(fs.existsSync(marker)).toBe(false);
  });
});
