/**
 * The cdktf example end to end: `cdktf synth` gives the expected terraform JSON, and `cdktf deploy`
 * against three emulated hosts converges: the patch run it left in a disconnected session is collected,
 * every line of it, by the first apply after it ended, and the next plan is empty.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_USER } from '../../src/emulator';
import { cdktfStackDir, stateFile } from '../../examples/cdktf/cli-env';
import { cdktfE2E, must } from '../support/cdktf-e2e';
import { repoRoot } from '../support/terraform';
import { waitFor } from '../support/wait-for';
import { SOURCE_ADDRESS } from '../../src/provider/identity';

describe('cdktf example', () => {
  const e2e = cdktfE2E({
    tmpPrefix: 'cdktf-',
    appDir: repoRoot,
    env: (emulator) => ({ PSREMOTING_HOSTS: emulator.hosts.map((h) => h.endpoint).join(',') }),
  });
  const { cdktf, emulator, workdir } = e2e;

  it('synthesizes the provider, the endpoints, the import blocks and the commands', async () => {
    const synth = await cdktf(['synth'], 120_000);
    expect(synth).toMatchObject({ code: 0 });
    const raw = readFileSync(join(cdktfStackDir(workdir()), 'cdk.tf.json'), 'utf8');
    expect(raw).not.toContain(DEFAULT_USER.password);
    const stack = JSON.parse(raw);
    const hosts = emulator()
      .hosts.map((h) => h.endpoint)
      .sort();
    const byHost = <T extends Record<string, unknown>>(rows: T[]): T[] =>
      [...rows].sort((a, b) => String(a.host).localeCompare(String(b.host)));

    expect(stack.terraform.required_providers.psremoting).toEqual({ source: SOURCE_ADDRESS, version: '0.1.0' });
    expect(stack.terraform.backend.local.path).toBe(stateFile(workdir()));
    expect(stack.provider.psremoting).toEqual([{ auth: 'ntlm' }]);

    const endpoints = Object.values<Record<string, unknown>>(stack.resource.psremoting_session_configuration);
    const withoutMetadata = ({ '//': _, ...rest }: Record<string, unknown>) => rest;
    const ops = byHost(endpoints.filter((e) => e.name === 'Ops.Restricted').map(withoutMetadata));
    expect(ops).toEqual(
      hosts.map((host) => ({
        host,
        name: 'Ops.Restricted',
        idle_timeout_sec: 3600,
        max_idle_timeout_sec: 7200,
        output_buffering_mode: 'Drop',
        max_sessions_per_user: 5,
        max_concurrent_users: 10,
        max_memory_per_session_mb: 512,
      })),
    );
    expect(byHost(endpoints.filter((e) => e.name === 'microsoft.powershell').map(withoutMetadata))).toEqual(
      hosts.map((host) => ({ host, name: 'microsoft.powershell', idle_timeout_sec: 5400 })),
    );
    expect(stack.import.map((i: { id: string }) => i.id).sort()).toEqual(hosts.map((h) => `${h}/microsoft.powershell`));

    const all = Object.values<Record<string, unknown>>(stack.resource.psremoting_command);
    const commands = byHost(all.filter((c) => c.shell === 'cmd'));
    expect(commands.map((c) => [c.host, c.shell, c.command])).toEqual(hosts.map((h) => [h, 'cmd', 'echo configured']));
    expect(all.every((c) => (c.depends_on as string[]).length === (c.shell === 'cmd' ? 1 : 2))).toBe(true);
    const psrp = all.filter((c) => c.configuration_name === 'Ops.Restricted');
    expect(psrp.map((c) => [c.host, c.disconnected ?? null])).toEqual([
      [emulator().hosts[0]!.endpoint, null],
      [emulator().hosts[0]!.endpoint, { idle_timeout_sec: 3600, output_buffering_mode: 'Block', wait: false }],
    ]);
  }, 120_000);

  it('deploys to the emulated hosts and converges: the next plan is empty', async () => {
    must(await cdktf(['deploy', '--auto-approve', '--skip-provider-lock']), 'cdktf deploy');
    const stack = cdktfStackDir(workdir());
    // The patch run the deploy left running is collected by the first apply after it ended (a plan only looks).
    const patch = () =>
      (
        JSON.parse(readFileSync(stateFile(workdir()), 'utf8')) as {
          resources: { type: string; instances: { attributes: { session_name: string | null; status: string; stdout: string } }[] }[];
        }
      ).resources
        .filter((r) => r.type === 'psremoting_command')
        .flatMap((r) => r.instances.map((i) => i.attributes))
        .find((a) => a.session_name !== null);
    await waitFor(
      async () => {
        must(await e2e.terraform(['apply', '-auto-approve', '-no-color'], stack), 'terraform apply');
        return patch()?.status !== 'running';
      },
      'the patch run to be collected',
      120_000,
    );
    expect(patch()).toMatchObject({ status: 'completed', stdout: 'patch started\npatch applied\n' });

    const plan = await e2e.terraform(['plan', '-detailed-exitcode', '-no-color'], stack);
    expect({ code: plan.code, tail: plan.output.slice(-1500) }).toMatchObject({ code: 0 });

    const state = JSON.parse(readFileSync(stateFile(workdir()), 'utf8'));
    const commands = state.resources.filter((r: { type: string }) => r.type === 'psremoting_command');
    const outputs = commands.flatMap((r: { instances: { attributes: { stdout: string; exit_code: number; shell: string } }[] }) =>
      r.instances.filter((i) => i.attributes.shell === 'cmd').map((i) => [i.attributes.exit_code, i.attributes.stdout.trim()]),
    );
    expect(outputs).toEqual(emulator().hosts.map(() => [0, 'configured']));
    expect(state.resources.filter((r: { type: string }) => r.type === 'psremoting_session_configuration')).toHaveLength(
      2 * emulator().hosts.length,
    );
  }, 300_000);
});
