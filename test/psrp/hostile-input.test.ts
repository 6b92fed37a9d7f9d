import { ClientRunspacePool, MessageWriter, encodeFragment, fragmentMessage, encodeMessage, type PsrpMessage } from '../../src/psrp';
import { kindOf } from '../support/error-kind';

/**
 * A hostile or broken server, as the client meets it: whatever bytes arrive in a Receive, the runspace pool
 * answers with a typed PsrpError (kind fragment, message, clixml or limit), never a crash, a hang or memory in
 * proportion to what the peer claims (MS-PSRP 2.2.4 fragments, 2.2.1 messages, 2.2.5 CLIXML).
 */

const PIPELINE = '11111111-2222-4333-8444-555555555555';

/** An opened pool with one running pipeline, as after CREATE_PIPELINE. */
function openedPool(): ClientRunspacePool {
  const pool = new ClientRunspacePool();
  pool.open();
  pool.receive(server(pool, 'RUNSPACEPOOL_STATE', '<Obj RefId="0"><MS><I32 N="RunspaceState">2</I32></MS></Obj>'), undefined, {
    wholeFragments: true,
  });
  pool.createPipeline({ statements: [[{ command: 'Get-Date' }]] }, PIPELINE);
  return pool;
}

const writer = new MessageWriter();
function server(pool: ClientRunspacePool, type: PsrpMessage['type'], data: string, pid?: string): Buffer {
  return writer.encode({ destination: 'client', type, rpid: pool.id, pid: pid ?? '00000000-0000-0000-0000-000000000000', data }, 32 * 1024);
}

function output(pool: ClientRunspacePool, data: string): Buffer {
  return server(pool, 'PIPELINE_OUTPUT', data, PIPELINE);
}

const receive = (pool: ClientRunspacePool, bytes: Buffer) => () => pool.receive(bytes, PIPELINE, { wholeFragments: true });

describe('a hostile server meets a typed error', () => {
  it('accepts a well-formed output message (the baseline the cases below break)', () => {
    const pool = openedPool();
    expect(pool.receive(output(pool, '<S>fine</S>'), PIPELINE, { wholeFragments: true })).toEqual([
      { kind: 'output', pipelineId: PIPELINE, value: 'fine' },
    ]);
  });

  it('a truncated fragment: refused when the Stream element ends inside it', () => {
    const pool = openedPool();
    const whole = output(pool, '<S>cut short</S>');
    expect(kindOf(receive(pool, whole.subarray(0, whole.length - 4)))).toBe('fragment');
    // A header cut short too.
    expect(kindOf(receive(openedPool(), whole.subarray(0, 10)))).toBe('fragment');
  });

  it('an unknown message type', () => {
    const pool = openedPool();
    const bytes = encodeMessage({ destination: 'client', type: 'PIPELINE_OUTPUT', rpid: pool.id, pid: PIPELINE, data: '<S>x</S>' });
    bytes.writeUInt32LE(0x00041099, 4);
    const [fragment] = fragmentMessage(1n, bytes, 32 * 1024);
    expect(kindOf(receive(pool, encodeFragment(fragment!)))).toBe('message');
  });

  it('a 1 GB blob length, refused from the header before any memory is taken', () => {
    const pool = openedPool();
    const header = Buffer.alloc(21);
    header.writeBigUInt64BE(1n, 0);
    header[16] = 3;
    header.writeUInt32BE(1024 * 1024 * 1024, 17);
    const before = process.memoryUsage().arrayBuffers;
    // Not even wholeFragments: the 21 header bytes alone are enough to refuse.
    expect(kindOf(() => pool.receive(header, PIPELINE))).toBe('limit');
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
  });

  it('a message reassembled beyond the limit from many small fragments', () => {
    const pool = new ClientRunspacePool({ fragmentLimits: { maxBlobLength: 1024, maxMessageLength: 4096, maxPendingMessages: 4 } });
    pool.open();
    const big = encodeMessage({
      destination: 'client',
      type: 'PIPELINE_OUTPUT',
      rpid: pool.id,
      pid: PIPELINE,
      data: `<S>${'a'.repeat(8192)}</S>`,
    });
    const bytes = Buffer.concat(fragmentMessage(1n, big, 1024).map(encodeFragment));
    expect(kindOf(() => pool.receive(bytes, PIPELINE))).toBe('limit');
  });

  it('deep CLIXML nesting', () => {
    const pool = openedPool();
    const deep = '<Obj RefId="0"><LST>'.repeat(10_000) + '</LST></Obj>'.repeat(10_000);
    expect(kindOf(receive(pool, output(pool, deep)))).toBe('limit');
  });

  it('entity expansion: a DTD, an undeclared entity, and Refs standing for 2^40 values', () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><S>&lol2;</S>';
    const pool = openedPool();
    expect(kindOf(receive(pool, output(pool, laughs)))).toBe('clixml');
    const other = openedPool();
    expect(kindOf(receive(other, output(other, '<S>&xxe;</S>')))).toBe('clixml');
    let refs = '<Obj RefId="0"><LST><S>x</S><S>x</S></LST></Obj>';
    for (let i = 1; i < 40; i += 1) refs += `<Obj RefId="${i}"><LST><Ref RefId="${i - 1}" /><Ref RefId="${i - 1}" /></LST></Obj>`;
    const third = openedPool();
    expect(kindOf(receive(third, output(third, `<Obj RefId="top"><LST>${refs}</LST></Obj>`)))).toBe('limit');
  });

  it('a message addressed to the server, or to a pipeline the client never started', () => {
    const pool = openedPool();
    const toServer = writer.encode(
      { destination: 'server', type: 'PIPELINE_OUTPUT', rpid: pool.id, pid: PIPELINE, data: '<S/>' },
      32 * 1024,
    );
    expect(kindOf(receive(pool, toServer))).toBe('protocol');
    const stranger = server(pool, 'PIPELINE_OUTPUT', '<S/>', '99999999-2222-4333-8444-555555555555');
    expect(kindOf(() => pool.receive(stranger, undefined, { wholeFragments: true }))).toBe('protocol');
  });
});
