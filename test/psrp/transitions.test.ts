import { ClientRunspacePool, MessageWriter, PsrpError, type ClientPipeline } from '../../src/psrp';
import { kindOf } from '../support/error-kind';

/**
 * The runspace pool and the pipeline refuse what their declared transitions (POOL_TRANSITIONS,
 * PIPELINE_TRANSITIONS) do not allow, from a caller or from the server, with a PsrpError of kind `state`,
 * and stay where they were.
 */

const writer = new MessageWriter();
const EMPTY = '00000000-0000-0000-0000-000000000000';

function fromServer(pool: ClientRunspacePool, type: 'RUNSPACEPOOL_STATE' | 'PIPELINE_STATE', data: string, pid = EMPTY): Buffer {
  return writer.encode({ destination: 'client', type, rpid: pool.id, pid, data }, 32768);
}

function opened(): ClientRunspacePool {
  const pool = new ClientRunspacePool();
  pool.open();
  pool.takeOutbound(Number.MAX_SAFE_INTEGER, null);
  pool.receive(fromServer(pool, 'RUNSPACEPOOL_STATE', '<Obj RefId="0"><MS><I32 N="RunspaceState">2</I32></MS></Obj>'));
  expect(pool.state).toBe('Opened');
  return pool;
}

function pipelineState(pool: ClientRunspacePool, p: ClientPipeline, state: number): Buffer {
  return fromServer(pool, 'PIPELINE_STATE', `<Obj RefId="0"><MS><I32 N="PipelineState">${state}</I32></MS></Obj>`, p.id);
}

const script = { statements: [[{ command: '1', isScript: true }]], noInput: true };

describe('runspace pool transitions refused', () => {
  it('opening twice', () => {
    const pool = new ClientRunspacePool();
    pool.open();
    expect(kindOf(() => pool.open())).toBe('state');
    expect(pool.state).toBe('Opening');
  });

  it('opening, or connecting, a pool that is open', () => {
    const pool = opened();
    expect(kindOf(() => pool.open())).toBe('state');
    expect(kindOf(() => pool.connect())).toBe('state');
    expect(pool.state).toBe('Opened');
  });

  it('reopening a closed pool', () => {
    const pool = opened();
    pool.closed();
    expect(pool.state).toBe('Closed');
    expect(kindOf(() => pool.open())).toBe('state');
    expect(pool.state).toBe('Closed');
  });

  it('invoking on a pool not yet open, or closed', () => {
    expect(kindOf(() => new ClientRunspacePool().createPipeline(script))).toBe('state');
    const pool = opened();
    pool.closed();
    expect(kindOf(() => pool.createPipeline(script))).toBe('state');
    expect(kindOf(() => pool.getCommandMetadata())).toBe('state');
    expect(kindOf(() => pool.setMaxRunspaces(2))).toBe('state');
    expect(pool.pipelineIds()).toEqual([]);
  });

  it('a server reporting a closed pool Opened again', () => {
    const pool = opened();
    pool.receive(fromServer(pool, 'RUNSPACEPOOL_STATE', '<Obj RefId="0"><MS><I32 N="RunspaceState">3</I32></MS></Obj>'));
    expect(pool.state).toBe('Closed');
    const again = fromServer(pool, 'RUNSPACEPOOL_STATE', '<Obj RefId="0"><MS><I32 N="RunspaceState">2</I32></MS></Obj>');
    expect(kindOf(() => pool.receive(again))).toBe('state');
    expect(pool.state).toBe('Closed');
  });
});

describe('pipeline transitions refused', () => {
  it('a Completed pipeline reported Running again', () => {
    const pool = opened();
    const p = pool.createPipeline(script);
    expect(p.state).toBe('Running');
    pool.receive(pipelineState(pool, p, 4));
    expect(p.state).toBe('Completed');
    expect(kindOf(() => pool.receive(pipelineState(pool, p, 1)))).toBe('state');
    expect(p.state).toBe('Completed');
  });

  it('a Completed pipeline moved to Running, Stopping or Failed by its caller', () => {
    const pool = opened();
    const p = pool.createPipeline(script);
    pool.receive(pipelineState(pool, p, 4));
    for (const to of ['Running', 'Stopping', 'Failed'] as const) expect(kindOf(() => p.machine.transition(to, 'test'))).toBe('state');
    expect(p.state).toBe('Completed');
  });

  it('a Stopped pipeline reported Completed', () => {
    const pool = opened();
    const p = pool.createPipeline(script);
    pool.stopping(p.id);
    expect(p.state).toBe('Stopping');
    pool.receive(pipelineState(pool, p, 3));
    expect(p.state).toBe('Stopped');
    expect(kindOf(() => pool.receive(pipelineState(pool, p, 4)))).toBe('state');
    expect(p.state).toBe('Stopped');
  });

  it('the refusal names the pipeline and both states', () => {
    const pool = opened();
    const p = pool.createPipeline(script);
    pool.receive(pipelineState(pool, p, 4));
    let error: unknown;
    try {
      p.machine.transition('Running', 'test');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PsrpError);
    expect(error instanceof PsrpError && error.message).toMatch(new RegExp(`${p.id}.*Completed.*Running`));
  });
});
