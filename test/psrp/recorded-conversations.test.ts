import { join } from 'node:path';
import { readFixtures, type FixtureRecord } from '../../scripts/conformance/fixture-reader';
import { RecordedConversation } from '../../scripts/conformance/psrp-conversation';
import { PowerShellSession, RunningPipeline, listPowerShellSessions } from '../../src/host';
import { PsObject, toPlain } from '../../src/psrp';
import { FAULT_CODE, WsmanClient, WsmanFault, type WsmanClientOptions } from '../../src/wsman';

/**
 * Our client driven through Windows' recorded PowerShell conversations (../shared/fixtures/pypsrp):
 * every request it builds is structurally equal to the recorded one, and it reaches the recorded result.
 * All 18 PSRP recordings are replayed.
 */
const FIXTURES = join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'pypsrp');
const all = readFixtures(FIXTURES).records;
/** `name` without `test_`, e.g. `client_execute_ps`; a bare scenario name is a `psrp_` one. */
const recording = (name: string): FixtureRecord[] => {
  const file = name.startsWith('client_') ? `test_${name}.yml` : `test_psrp_${name}.yml`;
  const records = all.filter((r) => r.file === file);
  if (records.length === 0) throw new Error(`no recording ${file} in ${FIXTURES}`);
  return records;
};

function replay(
  name: string,
  options: Partial<Pick<WsmanClientOptions, 'operationTimeoutMs' | 'receiveTimeoutMs'>> = {},
): { conversation: RecordedConversation; client: WsmanClient; newClient: () => WsmanClient } {
  const records = recording(name);
  const conversation = new RecordedConversation(records);
  const first = records[0]!.request!;
  const to = /<(?:\w+:)?To>([^<]*)</.exec(first)?.[1] ?? 'http://localhost:5985/wsman';
  // Another client process on the same recording (what connects to a session left disconnected).
  const newClient = (): WsmanClient =>
    new WsmanClient({
      endpoint: to,
      auth: { kind: 'basic', username: 'replay', password: 'replay', allowUnencrypted: true },
      transport: conversation,
      ...options,
    });
  return { conversation, client: newClient(), newClient };
}

/** Every request matched its recorded one and the whole recording was used. */
function expectReplayed(conversation: RecordedConversation): void {
  expect(conversation.differences).toEqual([]);
  expect(conversation.remaining).toBe(0);
}

const legacy = { terminateFinishedCommands: false } as const;

describe('recorded PowerShell conversations', () => {
  it('open_runspace: opens and closes a pool', async () => {
    const { conversation, client } = replay('open_runspace');
    const session = await PowerShellSession.open(client, legacy);
    expect(session.pool.state).toBe('Opened');
    expect(toPlain(session.pool.applicationPrivateData)).toMatchObject({ PSVersionTable: { PSVersion: '5.1.14393.2248' } });
    await session.close();
    expect(session.pool.state).toBe('Closed');
    expectReplayed(conversation);
  });

  it('with_input: pipeline input of a string, a number, a hashtable and an array, and debug records', async () => {
    const { conversation, client } = replay('with_input');
    const session = await PowerShellSession.open(client, legacy);
    const script = `begin {
                $DebugPreference = 'Continue'
                Write-Debug "Start Block"
            }
            process {
                $input
            }
            end {
                Write-Debug "End Block"
            }`;
    const result = await session.invoke(
      { statements: [[{ command: script, isScript: true }]] },
      { input: ['1', 2, { a: 'b' }, ['a', 'b']] },
    );
    expect(result.state).toBe('Completed');
    expect(result.output.map(toPlain)).toEqual(['1', 2, { a: 'b' }, ['a', 'b']]);
    expect(result.debug.map((d) => d.message)).toEqual(['Start Block', 'End Block']);
    await session.close();
    expectReplayed(conversation);
  });

  const executePs = (command: string) => ({
    statements: [
      [
        { command: 'Invoke-Expression', parameters: [{ name: 'Command', value: command }] },
        { command: 'Out-String', parameters: [{ name: 'Stream', value: null }] },
      ],
    ],
  });

  it('client_execute_ps: Invoke-Expression | Out-String -Stream returns lines of text', async () => {
    const { conversation, client } = replay('client_execute_ps');
    const session = await PowerShellSession.open(client, legacy);
    const result = await session.invoke(executePs('$serv = Get-Service -Name winrm; $serv.Name; $serv.Status; $serv'));
    expect(result.state).toBe('Completed');
    expect(result.output.slice(0, 2)).toEqual(['winrm', 'Running']);
    expect(result.progress.map((p) => p.activity)).toEqual(['Preparing modules for first use.']);
    await session.close();
    expectReplayed(conversation);
  });

  it('client_execute_ps_failure: an unknown command fails the pipeline with its error record', async () => {
    const { conversation, client } = replay('client_execute_ps_failure');
    const session = await PowerShellSession.open(client, legacy);
    const result = await session.invoke(executePs('Get-ServiceTypo -Name winrm'));
    expect(result.state).toBe('Failed');
    expect(result.reason?.fullyQualifiedErrorId).toBe('CommandNotFoundException,Microsoft.PowerShell.Commands.InvokeExpressionCommand');
    expect(result.reason?.category.name).toBe('ObjectNotFound');
    await session.close();
    expectReplayed(conversation);
  });

  it('error_failed: a terminating Write-Error after output', async () => {
    const { conversation, client } = replay('error_failed');
    const session = await PowerShellSession.open(client, legacy);
    const result = await session.runScript("$ErrorActionPreference = 'Stop'; Write-Output before; Write-Error error; Write-Output after");
    expect(result.state).toBe('Failed');
    expect(result.output).toEqual(['before']);
    expect(result.reason?.message).toBe('error');
    expect(result.reason?.fullyQualifiedErrorId).toBe('Microsoft.PowerShell.Commands.WriteErrorException');
    await session.close();
    expectReplayed(conversation);
  });

  it('run_protocol_version_2.3: the error stream merged into output', async () => {
    const { conversation, client } = replay('run_protocol_version_2.3');
    const session = await PowerShellSession.open(client, legacy);
    const script =
      'begin {\n    $DebugPreference = \'Continue\'\n    Write-Debug "Start Block"\n    Write-Error "error"\n}\nprocess {\n    $input\n}\nend {\n    Write-Debug "End Block"\n}';
    const result = await session.invoke(
      { statements: [[{ command: script, isScript: true, mergeToOutput: ['error'] }]] },
      { input: ['message 1', 2, ['3', 3]] },
    );
    expect(result.state).toBe('Completed');
    expect(
      result.output.map((o) =>
        o instanceof PsObject && o.isType('System.Management.Automation.ErrorRecord') ? `error: ${o.toString()}` : toPlain(o),
      ),
    ).toEqual(['error: error', 'message 1', 2, ['3', 3]]);
    await session.close();
    expectReplayed(conversation);
  });

  it('multiple_invocations: one pool runs a pipeline, then another, each closed on the host when done', async () => {
    const { conversation, client } = replay('multiple_invocations');
    // pypsrp signalled terminate to each finished command, as PowerShell's own client does (our default).
    const session = await PowerShellSession.open(client);
    for (let i = 0; i < 2; i += 1) {
      const result = await session.runScript('1+1');
      expect([result.state, result.output]).toEqual(['Completed', [2]]);
    }
    await session.close();
    expectReplayed(conversation);
  });

  it('no_profile: WINRS_NOPROFILE on the shell', async () => {
    const { conversation, client } = replay('no_profile');
    const session = await PowerShellSession.open(client, { ...legacy, noProfile: true });
    const result = await session.runScript('$env:USERPROFILE.ToUpperInvariant()');
    expect(result.state).toBe('Completed');
    expect(result.output).toHaveLength(1);
    await session.close();
    expectReplayed(conversation);
  });
});

describe('recorded long polls and endpoints', () => {
  it('long_running_cmdlet: Receives answered w:TimedOut are asked again until the output comes', async () => {
    // pypsrp ran this one with a 5 s OperationTimeout on every request, so that a 10 s sleep outlasts two Receives.
    const { conversation, client } = replay('long_running_cmdlet', { operationTimeoutMs: 5000, receiveTimeoutMs: 5000 });
    const session = await PowerShellSession.open(client, legacy);
    const result = await session.invoke({
      statements: [[{ command: 'Start-Sleep', parameters: [{ name: 'Seconds', value: 10 }] }], [{ command: 'echo hi', isScript: true }]],
    });
    expect([result.state, result.output]).toEqual(['Completed', ['hi']]);
    await session.close();
    // Create, two pool Receives, Command, two timed-out Receives, the Receive with output, Delete.
    expectReplayed(conversation);
  });

  it('with_jea_configuration: a JEA endpoint runs what its role allows and refuses the rest', async () => {
    const { conversation, client } = replay('with_jea_configuration');
    const session = await PowerShellSession.open(client, { ...legacy, configurationName: 'JEARole' });
    expect(session.shell.resourceUri).toBe('http://schemas.microsoft.com/powershell/JEARole');
    const allowed = await session.invoke({
      statements: [[{ command: 'Get-Item', parameters: [{ name: 'Path', value: 'WSMan:\\localhost\\Service\\AllowUnencrypted' }] }]],
    });
    expect(allowed.state).toBe('Completed');
    // Windows wrote the config leaf as an object holding the leaf itself (its adapted Name and Value) and the provider's notes.
    const item = allowed.output[0];
    expect(item instanceof PsObject && item.isType('Microsoft.WSMan.Management.WSManConfigLeafElement')).toBe(true);
    expect(toPlain(item)).toMatchObject({ PSChildName: 'AllowUnencrypted' });
    const leaf = (item as PsObject).value;
    expect(leaf instanceof PsObject ? [leaf.get('Name'), leaf.get('Value')] : leaf).toEqual(['AllowUnencrypted', 'true']);
    const refused = await session.invoke({
      statements: [
        [{ command: 'Get-Item', parameters: [{ name: 'Path', value: 'C:\\Windows' }] }],
        [{ command: 'Set-Item -Path WSMan:\\localhost\\Service\\AllowUnencrypted -Value $false', isScript: true }],
      ],
    });
    // The role has no FileSystem provider (an error record), and no language for the script (the pipeline fails).
    expect(refused.state).toBe('Failed');
    expect(refused.output).toEqual([]);
    expect(refused.errors.map((e) => [e.fullyQualifiedErrorId, e.category.name])).toEqual([
      ['ProviderNotFound,Microsoft.PowerShell.Commands.GetItemCommand', 'ObjectNotFound'],
    ]);
    expect(refused.reason?.fullyQualifiedErrorId).toBe('ScriptsNotAllowed');
    await session.close();
    expectReplayed(conversation);
  });

  it('receive_failure: a Receive of a command the host does not know fails with its fault', async () => {
    const { conversation, client } = replay('receive_failure');
    const session = await PowerShellSession.open(client, legacy);
    // A pipeline the host never started (pypsrp asked for the output of a PowerShell it never invoked).
    const unknown = session.pool.adoptPipeline('d1bf48da-b26c-4f4a-be52-b382ac20dd1f');
    session.pool.pipelineConnected(unknown.id);
    const running = new RunningPipeline(session, unknown, undefined);
    const failure = await running.result.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(WsmanFault);
    expect(failure).toMatchObject({ code: FAULT_CODE.invalidSelectors, subcodeName: 'InvalidSelectors' });
    await session.close();
    expectReplayed(conversation);
  });
});

describe('recorded liveness probes (a Get of the shell, as pypsrp is_alive)', () => {
  const idle = { ...legacy, idleTimeoutMs: 60_000 } as const;

  it('is_alive_http_error: alive, then not once the connection fails', async () => {
    const { conversation, client } = replay('is_alive_http_error');
    const session = await PowerShellSession.open(client, idle);
    expect(await session.isAlive({ operationTimeoutMs: 5000 })).toBe(true);
    expect(await session.isAlive({ operationTimeoutMs: 5000 })).toBe(false);
    expectReplayed(conversation);
  });

  it('is_alive_invalid_selectors: alive, then not once the host no longer knows the shell', async () => {
    const { conversation, client } = replay('is_alive_invalid_selectors');
    const session = await PowerShellSession.open(client, idle);
    expect(await session.isAlive()).toBe(true);
    expect(await session.isAlive()).toBe(false);
    expectReplayed(conversation);
  });

  it("is_alive_other_wsman_error: any other fault is the caller's to see", async () => {
    const { conversation, client } = replay('is_alive_other_wsman_error');
    const session = await PowerShellSession.open(client, idle);
    // pypsrp sent OperationTimeout PT-1S, which no caller of ours can (durations are checked): the header is
    // compared as volatile, and the recorded fault is what the host answered.
    const failure = await session.isAlive().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(WsmanFault);
    expect(failure).toMatchObject({ code: FAULT_CODE.invalidMessageInformationHeader, subcodeName: 'InvalidMessageInformationHeader' });
    await session.close();
    expectReplayed(conversation);
  });

  it('is_alive_state_disconnected: alive while Connected, not once the host reports it Disconnected', async () => {
    const { conversation, client } = replay('is_alive_state_disconnected');
    const session = await PowerShellSession.open(client, idle);
    expect(await session.isAlive()).toBe(true);
    expect(await session.isAlive()).toBe(false);
    expectReplayed(conversation);
  });
});

describe('a nested command', () => {
  it('nested_command: a nested pipeline reads a variable of the running one, which is then stopped', async () => {
    const { conversation, client } = replay('nested_command');
    const session = await PowerShellSession.open(client, legacy);
    // pypsrp never received the endless pipeline's output: it is started without a Receive loop.
    const endless = await session.start(
      { statements: [[{ command: '$i = 0; while ($true) { $i++ }', isScript: true }]] },
      { detached: true },
    );
    const nested = await session.invoke({
      statements: [[{ command: 'Get-Variable', parameters: [{ name: 'Name', value: 'i' }] }]],
      isNested: true,
    });
    expect(nested.state).toBe('Completed');
    const variable = nested.output[0];
    expect(variable instanceof PsObject && variable.isType('System.Management.Automation.PSVariable')).toBe(true);
    expect(toPlain(variable)).toMatchObject({ Name: 'i', Value: 376241 });
    await endless.stop();
    expect(endless.pipeline.state).toBe('Stopping');
    await session.close();
    // pypsrp then spelled the stop signal `ctrl_c`; MS-PSRP 3.1.5.3.7 and PowerShell's plugin spell it `crtl_c`
    // (what we send; PowerShell's WSManPluginShellSession treats any other code as a close of the command).
    expect(conversation.differences).toEqual([
      'test_psrp_nested_command.yml#6 body /Body/Signal/Code: text "powershell/signal/ctrl_c" != "powershell/signal/crtl_c"',
    ]);
    expect(conversation.remaining).toBe(0);
  });
});

describe('recorded disconnected sessions', () => {
  it('disconnected_commands: two sessions left running, listed, connected from a new client, their output collected', async () => {
    const { conversation, client } = replay('disconnected_commands');
    const script = "Write-Output 'a'; Start-Sleep -Seconds 5; Write-Output 'b'";
    for (let i = 0; i < 2; i += 1) {
      const s = await PowerShellSession.open(client, legacy);
      await s.start({ statements: [[{ command: script, isScript: true }]] }, { detached: true });
      await s.disconnect();
      expect(s.pool.state).toBe('Disconnected');
    }
    const listed = await listPowerShellSessions(client, { withCommands: true });
    expect(listed.map((s) => [s.state, s.commands?.map((c) => c.state)])).toEqual([
      ['Disconnected', ['Running']],
      ['Disconnected', ['Running']],
    ]);
    const attached: PowerShellSession[] = [];
    for (const s of listed) {
      const session = await PowerShellSession.connect(client, { shellId: s.shellId, ...legacy });
      expect(toPlain(session.pool.applicationPrivateData)).toMatchObject({ PSVersionTable: { PSEdition: 'Desktop' } });
      const result = await (await session.connectPipeline(s.commands![0]!.commandId)).result;
      expect([result.state, result.output]).toEqual(['Completed', ['a', 'b']]);
      attached.push(session);
    }
    // pypsrp reconnected each pool before deleting it; the recording keeps that order.
    for (const session of attached) {
      await session.shell.reconnect();
      await session.close();
    }
    expectReplayed(conversation);
  });

  it('disconnect_runspaces: idle pools disconnected, reconnected, listed and connected from a new client', async () => {
    const { conversation, client, newClient } = replay('disconnect_runspaces');
    const first = await PowerShellSession.open(client, legacy);
    await first.disconnect();
    await first.reconnect();
    expect(first.pool.state).toBe('Opened');
    await first.disconnect();
    const second = await PowerShellSession.open(client, legacy);
    await second.disconnect();
    const other = newClient();
    const listed = await listPowerShellSessions(other, { withCommands: true });
    expect(listed.map((s) => [s.state, s.commands])).toEqual([
      ['Disconnected', []],
      ['Disconnected', []],
    ]);
    const attached = [];
    for (const s of listed) {
      const session = await PowerShellSession.connect(other, { shellId: s.shellId, ...legacy });
      expect([session.pool.state, session.pool.minRunspaces, session.pool.maxRunspaces]).toEqual(['Opened', 1, 1]);
      attached.push(session);
    }
    for (const session of attached) await session.close();
    expectReplayed(conversation);
  });
});
