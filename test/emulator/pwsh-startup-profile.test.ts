/**
 * The pwsh processes the emulator starts neither write nor replay the .NET multicore-JIT startup profile
 * (`StartupProfileData-*` in PowerShell's cache folder): parallel pwsh processes corrupt that file, and every
 * pwsh that replays a corrupt one crashes with "Stack overflow." (src/emulator/powershell/pwsh-locator.ts).
 * Needs pwsh.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_USER, startEmulator, type EmulatorHandle } from '../../src/emulator';
import { locatePwsh, PWSH_MISSING_MESSAGE } from '../../src/emulator/powershell/pwsh-locator';
import { PowerShellSession } from '../../src/host';
import { WsmanClient } from '../../src/wsman';
import { createShell, runToCompletion, startCommand } from '../support/winrs';
import { TestClient } from '../support/wsman-test-client';

jest.setTimeout(120_000);

let cache: string;
let previous: string | undefined;
let emu: EmulatorHandle;

beforeAll(async () => {
  if (!locatePwsh()) throw new Error(PWSH_MISSING_MESSAGE);
  cache = mkdtempSync(join(tmpdir(), 'psremoting-pwsh-cache-'));
  // pwsh keeps its caches under $XDG_CACHE_HOME/powershell; the emulator hands its environment to pwsh.
  previous = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = cache;
  emu = await startEmulator({ allowUnencrypted: true, log: () => undefined });
});
afterAll(async () => {
  await emu?.stop();
  if (previous === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = previous;
  rmSync(cache, { recursive: true, force: true });
});

test('a PowerShell session and a WinRS powershell command leave no startup profile behind', async () => {
  const client = new WsmanClient({
    endpoint: emu.hosts[0]!.endpoint,
    auth: { kind: 'basic', username: DEFAULT_USER.name, password: DEFAULT_USER.password, allowUnencrypted: true },
    operationTimeoutMs: 30_000,
  });
  try {
    const session = await PowerShellSession.open(client, {});
    expect((await session.runScript('1 + 1')).output).toEqual([2]);
    await session.close();
  } finally {
    client.close();
  }
  const winrs = new TestClient(emu.hosts[0]!.endpoint);
  const shell = await createShell(winrs);
  const started = await startCommand(winrs, shell.shellId!, 'powershell -NoProfile -Command "1 + 1"');
  const out = await runToCompletion(winrs, shell.shellId!, started.commandId!);
  expect(out.stdout.trim()).toBe('2');
  // Both processes have exited (the session was closed, the command reported its exit code), where pwsh
  // writes the profile; pwsh made its cache folder, so it looked there.
  expect(readdirSync(join(cache, 'powershell')).filter((f) => f.startsWith('StartupProfileData'))).toEqual([]);
});
