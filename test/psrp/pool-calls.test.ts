import {
  ClientRunspacePool,
  MessageReader,
  MessageWriter,
  PsObject,
  commandTypesValue,
  readCommandMetadata,
  serializeClixml,
  deserializeClixml,
  toPlain,
  psDictionary,
  psEnum,
  psPropertyBag,
  type PsrpMessage,
} from '../../src/psrp';
import { kindOf } from '../support/error-kind';

/** The pool-level calls of the sans-IO client: runspace counts (MS-PSRP 3.1.4.6/3.1.4.7) and command discovery (3.1.4.5). */

const writer = new MessageWriter();
const EMPTY = '00000000-0000-0000-0000-000000000000';

function opened(): ClientRunspacePool {
  const pool = new ClientRunspacePool();
  pool.open();
  pool.takeOutbound(Number.MAX_SAFE_INTEGER, null);
  const state = writer.encode(
    {
      destination: 'client',
      type: 'RUNSPACEPOOL_STATE',
      rpid: pool.id,
      pid: EMPTY,
      data: '<Obj RefId="0"><MS><I32 N="RunspaceState">2</I32></MS></Obj>',
    },
    32768,
  );
  pool.receive(state);
  return pool;
}

function sent(pool: ClientRunspacePool, target: string | null): PsrpMessage[] {
  const out = pool.takeOutbound(Number.MAX_SAFE_INTEGER, target);
  return out ? new MessageReader().push(out.bytes) : [];
}

function availability(pool: ClientRunspacePool, ci: bigint, response: string): Buffer {
  return writer.encode(
    {
      destination: 'client',
      type: 'RUNSPACE_AVAILABILITY',
      rpid: pool.id,
      pid: EMPTY,
      data: `<Obj RefId="0"><MS>${response}<I64 N="ci">${ci}</I64></MS></Obj>`,
    },
    32768,
  );
}

describe('runspace counts', () => {
  it('keeps a new maximum only when the server accepts it', () => {
    const pool = opened();
    const ci = pool.setMaxRunspaces(4);
    const [m] = sent(pool, null);
    expect([m?.type, m?.data]).toEqual([
      'SET_MAX_RUNSPACES',
      `<Obj RefId="0"><MS><I32 N="MaxRunspaces">4</I32><I64 N="ci">${ci}</I64></MS></Obj>`,
    ]);
    expect(pool.maxRunspaces).toBe(1);
    pool.receive(availability(pool, ci, '<B N="SetMinMaxRunspacesResponse">true</B>'));
    expect(pool.maxRunspaces).toBe(4);
    const refused = pool.setMinRunspaces(9);
    expect(sent(pool, null)[0]?.type).toBe('SET_MIN_RUNSPACES');
    pool.receive(availability(pool, refused, '<B N="SetMinMaxRunspacesResponse">false</B>'));
    expect(pool.minRunspaces).toBe(1);
  });

  it('asks for the free runspaces and reports the count', () => {
    const pool = opened();
    const ci = pool.getAvailableRunspaces();
    expect(sent(pool, null)[0]?.type).toBe('GET_AVAILABLE_RUNSPACES');
    expect(pool.receive(availability(pool, ci, '<I64 N="SetMinMaxRunspacesResponse">3</I64>'))).toEqual([
      { kind: 'runspaceAvailability', callId: ci, response: 3n },
    ]);
  });

  it('refuses counts that are not positive Int32s, and calls before the pool is open', () => {
    expect(kindOf(() => opened().setMaxRunspaces(0))).toBe('protocol');
    expect(kindOf(() => opened().setMinRunspaces(2 ** 31))).toBe('protocol');
    expect(kindOf(() => new ClientRunspacePool().getAvailableRunspaces())).toBe('state');
  });
});

describe('command discovery', () => {
  it('sends GET_COMMAND_METADATA on its own pipeline, with the names, types and modules asked for', () => {
    const pool = opened();
    const p = pool.getCommandMetadata({
      names: ['Get-*'],
      commandTypes: ['Cmdlet', 'Alias'],
      modules: ['Microsoft.PowerShell.Management'],
    });
    expect(p.state).toBe('Running');
    const out = pool.takeOutbound(Number.MAX_SAFE_INTEGER, p.id);
    expect(out?.pipelineId).toBe(p.id);
    const [m] = new MessageReader().push(out!.bytes);
    expect([m?.type, m?.pid]).toEqual(['GET_COMMAND_METADATA', p.id]);
    expect(toPlain(deserializeClixml(m!.data))).toEqual({
      Name: ['Get-*'],
      CommandType: 9,
      Namespace: ['Microsoft.PowerShell.Management'],
      FullyQualifiedModule: null,
      ArgumentList: null,
    });
    expect(m!.data).toContain('<ToString>Alias, Cmdlet</ToString><I32>9</I32>');
  });

  it('writes the CommandTypes flags as .NET does and reads a CommandMetadata back', () => {
    expect(serializeClixml(commandTypesValue(['Function', 'Alias']))).toContain('<ToString>Alias, Function</ToString><I32>3</I32>');
    const metadata = psPropertyBag({
      Name: 'gci',
      Namespace: 'Microsoft.PowerShell.Management',
      HelpUri: '',
      CommandType: psEnum('System.Management.Automation.CommandTypes', 'Alias', 1),
      ResolvedCommandName: 'Get-ChildItem',
      Parameters: psDictionary([['Path', new PsObject({ typeNames: [] })]]),
    });
    expect(readCommandMetadata(deserializeClixml(serializeClixml(metadata)))).toEqual({
      name: 'gci',
      commandType: 'Alias',
      namespace: 'Microsoft.PowerShell.Management',
      resolvedCommandName: 'Get-ChildItem',
      helpUri: undefined,
      parameters: ['Path'],
    });
    expect(kindOf(() => readCommandMetadata('not an object'))).toBe('clixml');
  });
});
