/**
 * Load: 50 concurrent clients for LOAD_SECONDS (default 60) — 25 run WinRS commands, 25 write their own
 * plugin documents — against one host whose MaxShellsPerUser is 20. No crash, no lost write, the shell
 * quota enforced with the captured fault code. Runs under `npm run test:interop`.
 */
import { ACTION, RESOURCE_URI } from '../../src/wsman/soap';
import { NS } from '../../src/wsman/xml';
import { startEmulator } from '../../src/emulator';
import { TestClient, faultCode } from '../support/wsman-test-client';
import { createShell, runToCompletion, startCommand } from '../support/winrs';

const SECONDS = Number(process.env.LOAD_SECONDS ?? '60');
const QUOTA = 20;

test(`50 clients for ${SECONDS}s: no crash, no lost write, quotas enforced`, async () => {
  const emu = await startEmulator({ allowUnencrypted: true, restartMs: 200, log: () => undefined });
  const host = emu.virtualHosts[0]!;
  const endpoint = emu.hosts[0]!.endpoint;
  try {
    const admin = new TestClient(endpoint);
    await admin.send(ACTION.Put, RESOURCE_URI.configWinrs, {
      xml: `<cfg:Winrs xmlns:cfg="${NS.cfg}"><cfg:MaxShellsPerUser>${QUOTA}</cfg:MaxShellsPerUser></cfg:Winrs>`,
    });
    await host.restart();
    const got = await admin.send(ACTION.Get, RESOURCE_URI.configPlugin, undefined, { selectors: { Name: 'microsoft.powershell' } });
    const template = got.text.slice(
      got.text.indexOf('<PlugInConfiguration'),
      got.text.indexOf('</PlugInConfiguration>') + '</PlugInConfiguration>'.length,
    );

    const end = Date.now() + SECONDS * 1000;
    let maxShells = 0;
    const sampler = setInterval(() => (maxShells = Math.max(maxShells, host.shells.size)), 20);
    let commands = 0;
    let quotaRefusals = 0;
    const unexpected: string[] = [];

    const shellWorker = async (): Promise<void> => {
      const c = new TestClient(endpoint);
      while (Date.now() < end) {
        const shell = await createShell(c);
        if (shell.status !== 200) {
          if (faultCode(shell) === 2150859173) quotaRefusals += 1;
          else unexpected.push(`create: ${shell.status}`);
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        const cmd = await startCommand(c, shell.shellId!, 'echo', ['load']);
        const out = await runToCompletion(c, shell.shellId!, cmd.commandId!);
        if (out.stdout !== 'load\n' || out.exitCode !== 0) unexpected.push(`output: ${JSON.stringify(out)}`);
        commands += 1;
        await c.send(ACTION.Delete, RESOURCE_URI.shellCmd, undefined, { selectors: { ShellId: shell.shellId! } });
      }
    };
    const lastWritten = new Map<string, number>();
    const writerWorker = async (i: number): Promise<void> => {
      const c = new TestClient(endpoint);
      const name = `load.${i}`;
      const doc = (n: number): string =>
        template.replace(/microsoft\.powershell/g, name).replace('MaxShells="2147483647"', `MaxShells="${n}"`);
      const created = await c.send(ACTION.Create, RESOURCE_URI.configPlugin, { xml: doc(1) }, { selectors: { Name: name } });
      if (created.status !== 200) unexpected.push(`create plugin: ${created.status}`);
      for (let n = 2; Date.now() < end; n++) {
        const put = await c.send(ACTION.Put, RESOURCE_URI.configPlugin, { xml: doc(n) }, { selectors: { Name: name } });
        if (put.status === 200) lastWritten.set(name, n);
        else unexpected.push(`put: ${put.status}`);
      }
    };
    await Promise.all([...Array.from({ length: 25 }, () => shellWorker()), ...Array.from({ length: 25 }, (_, i) => writerWorker(i))]);
    clearInterval(sampler);

    expect(unexpected).toEqual([]);
    expect(commands).toBeGreaterThan(25);
    expect(maxShells).toBeLessThanOrEqual(QUOTA);
    expect(quotaRefusals).toBeGreaterThan(0);
    for (const [name, n] of lastWritten) {
      const read = await admin.send(ACTION.Get, RESOURCE_URI.configPlugin, undefined, { selectors: { Name: name } });
      expect(read.text).toContain(`MaxShells="${n}"`);
    }
    expect(lastWritten.size).toBe(25);
  } finally {
    await emu.stop();
  }
});
