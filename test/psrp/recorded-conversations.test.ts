import { join } from 'node:path';
import { readFixtures, type FixtureRecord } from '../../scripts/conformance/fixture-reader';
import { RecordedConversation } from '../../scripts/conformance/psrp-conversation';
import { PowerShellSession } from '../../src/host';
import { toPlain } from '../../src/psrp';
import { WsmanClient } from '../../src/wsman';

/**
 * Our client driven through Windows' recorded PowerShell conversations (../shared/fixtures/pypsrp):
 * every request it builds is structurally equal to the recorded one, and it reaches the recorded result.
 */
const FIXTURES = join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'pypsrp');
const all = readFixtures(FIXTURES).records;
const recording = (name: string): FixtureRecord[] => all.filter((r) => r.file === `test_psrp_${name}.yml`);

function replay(name: string): { conversation: RecordedConversation; client: WsmanClient } {
  const records = recording(name);
  const conversation = new RecordedConversation(records);
  const first = records[0]!.request!;
  const to = /<(?:\w+:)?To>([^<]*)</.exec(first)?.[1] ?? 'http://localhost:5985/wsman';
  const client = new WsmanClient({
    endpoint: to,
    auth: { kind: 'basic', username: 'replay', password: 'replay', allowUnencrypted: true },
    transport: conversation,
    maxEnvelopeSize: 153600,
  });
  return { conversation, client };
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
    expect(conversation.differences).toEqual([]);
    expect(conversation.remaining).toBe(0);
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
    const result = await session.invoke({ statements: [[{ command: script, isScript: true }]] }, { input: ['1', 2, { a: 'b' }, ['a', 'b']] });
    expect(result.state).toBe('Completed');
    expect(result.output.map(toPlain)).toEqual(['1', 2, { a: 'b' }, ['a', 'b']]);
    expect(result.debug.map((d) => d.message)).toEqual(['Start Block', 'End Block']);
    await session.close();
    expect(conversation.differences).toEqual([]);
    expect(conversation.remaining).toBe(0);
  });
});
