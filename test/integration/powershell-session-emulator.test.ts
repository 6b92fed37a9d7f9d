import { DEFAULT_USER, startEmulator, type EmulatorHandle } from '../../src/emulator';
import { locatePwsh, PWSH_MISSING_MESSAGE } from '../../src/emulator/powershell/pwsh-locator';
import { PowerShellSession, type PipelineResult } from '../../src/host';
import { registerDocument } from '../../src/host/session-configuration/plugin-documents';
import { PsObject, psDictionary, stringProperty, toPlain } from '../../src/psrp';
import { RESOURCE_URI, WsmanClient, WsmanFault, enumerateShellCommands, enumerateShells, type WsmanAuth } from '../../src/wsman';
import { el, NS } from '../../src/wsman/xml';
import { pluginConfigSpec } from '../../src/wsman/config';
import { emulatorPool } from '../support/host-pool';
import { waitFor } from '../support/wait-for';

/**
 * The PowerShell session of the host layer against real PowerShell 7.6.9, through the emulator's
 * WS-Man endpoints (each shell bridged to its own `pwsh -s`).
 */
jest.setTimeout(120_000);

let emu: EmulatorHandle;
const clients: WsmanClient[] = [];

const BASIC: WsmanAuth = { kind: 'basic', username: DEFAULT_USER.name, password: DEFAULT_USER.password, allowUnencrypted: true };
const NTLM: WsmanAuth = { kind: 'ntlm', username: DEFAULT_USER.name, password: DEFAULT_USER.password };

function client(auth: WsmanAuth = BASIC): WsmanClient {
  const c = new WsmanClient({ endpoint: emu.hosts[0]!.endpoint, auth, operationTimeoutMs: 30_000, receiveTimeoutMs: 3_000 });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  if (!locatePwsh()) throw new Error(PWSH_MISSING_MESSAGE);
  emu = await startEmulator({ allowUnencrypted: true, restartMs: 200, log: () => undefined });
}, 60_000);
afterAll(async () => {
  for (const c of clients) c.close();
  await emu?.stop();
});

const texts = (r: PipelineResult): unknown[] => r.output.map(toPlain);

describe('a PowerShell session on microsoft.powershell', () => {
  let session: PowerShellSession;
  beforeAll(async () => {
    session = await PowerShellSession.open(client(), { name: 'psrp-tests' });
  });
  afterAll(() => session?.close());

  it('opens a runspace pool in real PowerShell', () => {
    expect(session.pool.state).toBe('Opened');
    expect(toPlain(session.pool.applicationPrivateData)).toMatchObject({ PSVersionTable: { PSVersion: '7.6.9' } });
  });

  it('runs scripts and commands with parameters', async () => {
    expect(texts(await session.runScript('param($a, $b) $a * $b', { parameters: { a: 6, b: 7 } }))).toEqual([42]);
    const cmd = await session.invoke({
      statements: [
        [
          {
            command: 'Write-Output',
            parameters: [
              { name: 'InputObject', value: ['x', 'y'] },
              { name: 'NoEnumerate', value: true },
            ],
          },
        ],
      ],
    });
    expect(texts(cmd)).toEqual([['x', 'y']]);
    const two = await session.invoke({
      statements: [
        [{ command: "'first'", isScript: true }],
        [{ command: 'Get-Date' }, { command: 'Select-Object', parameters: [{ name: 'ExpandProperty', value: 'Year' }] }],
      ],
    });
    expect(two.output[0]).toBe('first');
    expect(typeof two.output[1]).toBe('number');
  });

  it('takes pipeline input of strings, numbers, hashtables and arrays', async () => {
    const r = await session.invoke(
      { statements: [[{ command: '$input | ForEach-Object { $_ }', isScript: true }]] },
      { input: ['s', 5, 2.5, { k: 'v' }, ['a', 'b']] },
    );
    expect(texts(r)).toEqual(['s', 5, 2.5, { k: 'v' }, 'a', 'b']);
  });

  it('streams every output stream, and an error record with its category', async () => {
    const seen: string[] = [];
    const r = await session.runScript(
      "$VerbosePreference='Continue'; $DebugPreference='Continue'; 'out'; Write-Verbose v; Write-Debug d; Write-Warning w; Write-Information i; Write-Host h; Write-Progress -Activity a -Status s; Get-Item /nonexistent-psremoting",
      { onEvent: (e) => seen.push(e.kind) },
    );
    expect(r.state).toBe('Completed');
    expect(texts(r)).toEqual(['out']);
    expect([r.verbose[0]?.message, r.debug[0]?.message, r.warnings[0]?.message]).toEqual(['v', 'd', 'w']);
    expect(r.information.map((i) => i.text)).toEqual(['i', 'h']);
    expect(r.progress.length).toBeGreaterThan(0);
    expect(r.errors[0]).toMatchObject({
      fullyQualifiedErrorId: 'PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand',
      category: { name: 'ObjectNotFound' },
    });
    expect(seen).toContain('pipelineState');
  });

  it('reports a terminating error as Failed with its record', async () => {
    const r = await session.runScript("throw [System.InvalidOperationException]::new('boom')");
    expect(r.state).toBe('Failed');
    expect(r.reason).toMatchObject({ message: 'boom', exceptionType: 'System.InvalidOperationException' });
  });

  it('carries unicode both ways', async () => {
    const text = 'é ✓ 😀 Ω _x0041_ \t tab';
    const r = await session.runScript('param($t) $t; $t.Length', { parameters: { t: text } });
    expect(texts(r)).toEqual([text, text.length]);
  });

  it('receives 10 MB of output across many Receives and sends 1 MB of input across many Sends', async () => {
    const big = await session.runScript("1..10 | ForEach-Object { 'x' * 1048576 }");
    expect(big.output).toHaveLength(10);
    expect(big.output.every((o) => typeof o === 'string' && o.length === 1048576)).toBe(true);
    const chunk = 'y'.repeat(1024);
    const input = Array.from({ length: 1024 }, () => chunk);
    const r = await session.invoke(
      { statements: [[{ command: '$n = 0; foreach ($s in $input) { $n += $s.Length }; $n', isScript: true }]] },
      { input },
    );
    expect(texts(r)).toEqual([1024 * 1024]);
  });

  it('stops an endless loop', async () => {
    const running = await session.start({ statements: [[{ command: 'while ($true) { Start-Sleep -Milliseconds 50 }', isScript: true }]] });
    await new Promise((r) => setTimeout(r, 500));
    await running.stop();
    const r = await running.result;
    expect(r.state).toBe('Stopped');
  });

  it('answers nothing interactive: a prompt fails at once', async () => {
    const r = await session.runScript("Read-Host 'name'");
    expect(r.state).toBe('Failed');
  });
});

describe('host calls over WS-Man', () => {
  it('answers Read-Host with the host responder, on the pr stream', async () => {
    const session = await PowerShellSession.open(client(), {
      hostResponder: (call) => {
        if (call.method !== 'Prompt') return { error: `no ${call.method}` };
        const fields = call.parameters[2];
        return { result: psDictionary([[fields instanceof PsObject ? (stringProperty(fields.items[0], 'name') ?? '') : '', 'alice']]) };
      },
    });
    try {
      const r = await session.runScript('$n = Read-Host \'name\'; "hello $n"');
      expect(texts(r)).toEqual(['hello alice']);
    } finally {
      await session.close();
    }
  });
});

describe('sessions over NTLM with sealing', () => {
  it('opens, runs and closes', async () => {
    const session = await PowerShellSession.open(client(NTLM));
    try {
      expect(texts(await session.runScript('2 + 2'))).toEqual([4]);
    } finally {
      await session.close();
    }
  });
});

describe('a custom endpoint', () => {
  it('opens a session on a registered session configuration', async () => {
    const c = client();
    await c.create(RESOURCE_URI.configPlugin, { Name: 'psrp.custom' }, pluginConfigSpec(registerDocument('psrp.custom', {})));
    // Plugins take effect when WinRM restarts (the emulator restarts it like Windows, out of band).
    await c.startProcess('powershell.exe -Command "Restart-Service WinRM"');
    let session: PowerShellSession | undefined;
    await waitFor(
      async () => {
        session = await PowerShellSession.open(client(), { configurationName: 'psrp.custom' }).catch(() => undefined);
        return session !== undefined;
      },
      'the custom endpoint after the restart',
      30_000,
    );
    if (!session) throw new Error('unreachable');
    try {
      expect(session.shell.resourceUri).toBe('http://schemas.microsoft.com/powershell/psrp.custom');
      expect(texts(await session.runScript('$PSSenderInfo.ConfigurationName'))).toHaveLength(1);
    } finally {
      await session.close();
    }
  });
});

describe('disconnected sessions', () => {
  it('disconnects with Block, reconnects, and the pipeline finishes with its output', async () => {
    const session = await PowerShellSession.open(client(), { name: 'block' });
    const running = await session.start({
      statements: [[{ command: '1..3 | ForEach-Object { Start-Sleep -Milliseconds 300; $_ }', isScript: true }]],
    });
    await session.disconnect({ bufferMode: 'Block', idleTimeoutMs: 60_000 });
    expect(session.pool.state).toBe('Disconnected');
    const info = await session.shell.get();
    expect([info.state, info.bufferMode]).toEqual(['Disconnected', 'Block']);
    await expect(running.result).rejects.toThrow();
    const resumed = await session.reconnect();
    expect(session.pool.state).toBe('Opened');
    const r = await resumed[0]!.result;
    expect(r.state).toBe('Completed');
    expect(texts(r)).toEqual([1, 2, 3].slice(3 - r.output.length));
    await session.close();
  });

  it('connects from a second client to a session left disconnected (Drop), like Receive-PSSession', async () => {
    const first = await PowerShellSession.open(client(), { name: 'drop' });
    const running = await first.start({ statements: [[{ command: "Start-Sleep -Milliseconds 500; 'done'", isScript: true }]] });
    await first.disconnect({ bufferMode: 'Drop', idleTimeoutMs: 120_000 });
    const second = client();
    const listed = (await enumerateShells(second)).find((s) => s.shellId === first.shellId);
    expect(listed).toMatchObject({ state: 'Disconnected', bufferMode: 'Drop' });
    const commands = await enumerateShellCommands(second, first.shellId);
    expect(commands.map((c) => c.commandId.toLowerCase())).toContain(running.id);
    const attached = await PowerShellSession.connect(second, { shellId: first.shellId });
    expect(attached.pool.state).toBe('Opened');
    const pipeline = await attached.connectPipeline(running.commandId);
    const r = await pipeline.result;
    expect(r.state).toBe('Completed');
    expect(texts(r)).toEqual(['done']);
    expect(texts(await attached.runScript("'still usable'"))).toEqual(['still usable']);
    await attached.close();
  });

  it('a disconnected session expires after its IdleTimeout', async () => {
    const session = await PowerShellSession.open(client(), { name: 'expiring' });
    await session.disconnect({ idleTimeoutMs: 1_000 });
    await waitFor(
      async () => !(await enumerateShells(client())).some((s) => s.shellId === session.shellId),
      'the idle session to expire',
      60_000,
    );
    await expect(PowerShellSession.connect(client(), { shellId: session.shellId })).rejects.toThrow(WsmanFault);
  });
});

describe('sessions through the host layer', () => {
  it('share the host client and its cap, run several pipelines at once, and are listed with their state and commands', async () => {
    const hosts = emulatorPool({ maxConcurrencyPerHost: 2 });
    const host = hosts.host(emu.hosts[0]!.endpoint);
    const signal = new AbortController().signal;
    const session = await host.openPowerShell({ name: 'via-host', maxRunspaces: 3 }, signal);
    try {
      const results = await Promise.all([1, 2, 3].map((n) => session.runScript(`Start-Sleep -Milliseconds 200; ${n} * 10`)));
      expect(results.map((r) => r.output[0])).toEqual([10, 20, 30]);
      const busy = await session.start({ statements: [[{ command: 'Start-Sleep -Seconds 30', isScript: true }]] });
      const listed = (await host.powerShellSessions(signal)).find((s) => s.shellId === session.shellId);
      expect(listed).toMatchObject({ configurationName: 'Microsoft.PowerShell', state: 'Connected' });
      expect(listed?.commands?.map((c) => c.commandId.toLowerCase())).toContain(busy.id);
      await busy.stop();
      expect((await busy.result).state).toBe('Stopped');
    } finally {
      await session.close();
    }
    expect((await host.powerShellSessions(signal)).some((s) => s.shellId === session.shellId)).toBe(false);
  });

  it("pack each request to the host's MaxEnvelopeSizekb, so a script larger than one envelope still runs", async () => {
    const admin = client();
    const setEnvelopeKb = (kb: number) =>
      admin.put(RESOURCE_URI.config, undefined, el('cfg:Config', [['xmlns:cfg', NS.cfg]], el('cfg:MaxEnvelopeSizekb', null, String(kb))));
    const signal = new AbortController().signal;
    const run = async (session: PowerShellSession): Promise<{ budget: number; echoed: unknown }> => {
      try {
        const big = 'x'.repeat(100_000);
        const r = await session.runScript(`param($s) $s.Length`, { parameters: { s: big } });
        return { budget: session.fragmentBudget, echoed: r.output[0] };
      } finally {
        await session.close();
      }
    };
    // Through openPowerShell, and as the command, probe and disconnected sessions open one inside Host.powershell.
    const budgetsWith = async (kb: number) => {
      await setEnvelopeKb(kb);
      const host = () => emulatorPool().host(emu.hosts[0]!.endpoint);
      const opened = await run(await host().openPowerShell({ name: `envelope-${kb}` }, signal));
      const inWork = await host().powershell(
        async (c, gate) => run(await PowerShellSession.open(c, { name: `work-${kb}`, gate, signal })),
        signal,
      );
      return [opened, inWork];
    };
    try {
      const small = await budgetsWith(40);
      const usual = await budgetsWith(150);
      // Base64 in the envelope: a fragment gets at most 3/4 of the envelope.
      for (const s of small) expect(s.budget).toBeLessThan((40 * 1024 * 3) / 4);
      for (const u of usual) expect(u.budget).toBeGreaterThan((100 * 1024 * 3) / 4);
      expect([...small, ...usual].map((r) => r.echoed)).toEqual([100_000, 100_000, 100_000, 100_000]);
    } finally {
      await setEnvelopeKb(150);
    }
  });
});
