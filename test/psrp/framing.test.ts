import fc from 'fast-check';
import { join } from 'node:path';
import { readFixtures } from '../../scripts/conformance/fixture-reader';
import { recordedPayloads } from '../../scripts/conformance/psrp-payloads';
import {
  EMPTY_GUID,
  FragmentReader,
  MESSAGE_TYPE_NAMES,
  MessageReader,
  MessageType,
  MessageWriter,
  Reassembler,
  bytesToGuid,
  decodeMessage,
  deserializeClixml,
  encodeFragment,
  encodeMessage,
  fragmentMessage,
  guidToBytes,
  messageTypeName,
  readFragments,
  type PsrpMessage,
} from '../../src/psrp';
import { errorMessage } from '../../src/common';
import { kindOf } from '../support/error-kind';

const FIXTURES = join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'pypsrp');
const POOL = 'a1b2c3d4-e5f6-4789-8abc-def012345678';

function message(data: string, type: PsrpMessage['type'] = 'PIPELINE_OUTPUT'): PsrpMessage {
  return { destination: 'client', type, rpid: POOL, pid: '11111111-2222-3333-4444-555555555555', data };
}

describe('GUIDs in .NET byte order', () => {
  it('swaps the first three groups', () => {
    expect(guidToBytes('00112233-4455-6677-8899-aabbccddeeff').toString('hex')).toBe('33221100554477668899aabbccddeeff');
    expect(bytesToGuid(Buffer.from('33221100554477668899aabbccddeeff', 'hex'))).toBe('00112233-4455-6677-8899-aabbccddeeff');
  });
  it('round-trips and refuses non-GUIDs', () => {
    expect(bytesToGuid(guidToBytes(POOL.toUpperCase()))).toBe(POOL);
    expect(kindOf(() => guidToBytes('not-a-guid'))).toBe('message');
    expect(kindOf(() => bytesToGuid(Buffer.alloc(15)))).toBe('message');
  });
});

describe('message types', () => {
  it('declares every MS-PSRP type once with its number', () => {
    expect(MESSAGE_TYPE_NAMES).toHaveLength(33);
    expect(new Set(MESSAGE_TYPE_NAMES.map((n) => MessageType[n])).size).toBe(33);
    expect(MessageType.SESSION_CAPABILITY).toBe(0x00010002);
    expect(MessageType.PIPELINE_HOST_RESPONSE).toBe(0x00041101);
    expect(messageTypeName(0x0002100b)).toBe('RUNSPACEPOOL_INIT_DATA');
    expect(messageTypeName(0x00099999)).toBeUndefined();
  });
});

describe('messages', () => {
  it('encodes the header as MS-PSRP 2.2.1 lays it out', () => {
    const bytes = encodeMessage({ destination: 'server', type: 'SESSION_CAPABILITY', rpid: POOL, pid: EMPTY_GUID, data: '<Obj/>' });
    expect(bytes.readUInt32LE(0)).toBe(2);
    expect(bytes.readUInt32LE(4)).toBe(0x00010002);
    expect(bytes.subarray(8, 24)).toEqual(guidToBytes(POOL));
    expect(bytes.subarray(24, 40)).toEqual(Buffer.alloc(16));
    expect(bytes.subarray(40).toString()).toBe('<Obj/>');
  });
  it('writes a byte-order mark only when asked, and reads either', () => {
    const plain = encodeMessage(message('<S>é</S>'));
    const marked = encodeMessage(message('<S>é</S>'), { byteOrderMark: true });
    expect(marked.length).toBe(plain.length + 3);
    expect(decodeMessage(plain)).toEqual(message('<S>é</S>'));
    expect(decodeMessage(marked)).toEqual(message('<S>é</S>'));
    expect(encodeMessage(message(''), { byteOrderMark: true }).length).toBe(40);
  });
  it('refuses short headers, unknown destinations and types, and invalid UTF-8', () => {
    expect(kindOf(() => decodeMessage(Buffer.alloc(39)))).toBe('message');
    const bad = encodeMessage(message('x'));
    bad.writeUInt32LE(3, 0);
    expect(kindOf(() => decodeMessage(bad))).toBe('message');
    const unknown = encodeMessage(message('x'));
    unknown.writeUInt32LE(0x00041013, 4);
    expect(kindOf(() => decodeMessage(unknown))).toBe('message');
    expect(kindOf(() => decodeMessage(Buffer.concat([encodeMessage(message('')), Buffer.from([0xc3, 0x28])])))).toBe('message');
  });
});

describe('fragments', () => {
  it('lays out the 21-byte header and cuts a message at the fragment size', () => {
    const fragments = fragmentMessage(7n, Buffer.alloc(50, 1), 21 + 20);
    expect(fragments.map((f) => [f.fragmentId, f.start, f.end, f.blob.length])).toEqual([
      [0n, true, false, 20],
      [1n, false, false, 20],
      [2n, false, true, 10],
    ]);
    const wire = encodeFragment(fragments[0]!);
    expect(wire.readBigUInt64BE(0)).toBe(7n);
    expect(wire.readBigUInt64BE(8)).toBe(0n);
    expect(wire[16]).toBe(1);
    expect(wire.readUInt32BE(17)).toBe(20);
    expect(fragmentMessage(1n, Buffer.alloc(0), 100)).toEqual([
      { objectId: 1n, fragmentId: 0n, start: true, end: true, blob: Buffer.alloc(0) },
    ]);
    expect(kindOf(() => fragmentMessage(1n, Buffer.alloc(1), 21))).toBe('fragment');
  });

  it('gives each message the next ObjectId of its sender', () => {
    const writer = new MessageWriter();
    const ids = [writer.fragments(message('a'), 1000), writer.fragments(message('b'), 1000)].map((f) => f[0]!.objectId);
    expect(ids).toEqual([1n, 2n]);
  });

  it('reassembles interleaved messages split at any byte', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 300 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 22, max: 80 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
        (texts, fragmentSize, cuts) => {
          const writer = new MessageWriter();
          const perMessage = texts.map((t) => writer.fragments(message(t), fragmentSize));
          // Interleave: round-robin over the messages' fragments, keeping each message's order.
          const order = [];
          for (let i = 0; perMessage.some((f) => f.length > i); i += 1) for (const f of perMessage) if (f[i]) order.push(f[i]!);
          const wire = Buffer.concat(order.map(encodeFragment));
          const reader = new MessageReader();
          const got: PsrpMessage[] = [];
          let at = 0;
          for (let i = 0; at < wire.length; i += 1) {
            const n = cuts[i % cuts.length]!;
            got.push(...reader.push(wire.subarray(at, at + n)));
            at += n;
          }
          reader.finish();
          expect(reader.idle).toBe(true);
          expect(got.map((m) => m.data).sort()).toEqual([...texts].sort());
        },
      ),
    );
  });

  it('refuses hostile framing with a typed error', () => {
    const header = (blobLength: number, flags = 3): Buffer => {
      const b = Buffer.alloc(21);
      b.writeBigUInt64BE(1n, 0);
      b[16] = flags;
      b.writeUInt32BE(blobLength, 17);
      return b;
    };
    // A 1 GB blob length is refused from the header alone, before any memory is taken.
    expect(kindOf(() => new FragmentReader().push(header(1024 * 1024 * 1024)))).toBe('limit');
    expect(kindOf(() => readFragments(Buffer.concat([header(10), Buffer.alloc(5)])))).toBe('fragment');
    expect(kindOf(() => readFragments(header(0, 0x10)))).toBe('fragment');
    const r = new Reassembler();
    const [a, b, c] = fragmentMessage(9n, Buffer.alloc(30), 31);
    expect(kindOf(() => new Reassembler().add(b!))).toBe('fragment');
    r.add(a!);
    expect(kindOf(() => r.add(c!))).toBe('fragment');
    const again = new Reassembler();
    again.add(a!);
    expect(kindOf(() => again.add(a!))).toBe('fragment');
    const small = new Reassembler({ maxBlobLength: 100, maxMessageLength: 15, maxPendingMessages: 1 });
    small.add(a!);
    expect(kindOf(() => small.add(b!))).toBe('limit');
    const few = new Reassembler({ maxBlobLength: 100, maxMessageLength: 100, maxPendingMessages: 1 });
    few.add(a!);
    expect(kindOf(() => few.add(fragmentMessage(10n, Buffer.alloc(30), 31)[0]!))).toBe('limit');
  });
});

describe('recorded Windows traffic', () => {
  const payloads = readFixtures(FIXTURES).records.flatMap(recordedPayloads);

  it('finds PSRP payloads in the recordings', () => {
    expect(payloads.length).toBeGreaterThan(50);
  });

  it('decodes every recorded payload into whole messages of known types', () => {
    for (const p of payloads) {
      const messages = new MessageReader();
      const got = messages.push(p.bytes);
      messages.finish();
      expect({ where: `${p.file}#${p.index} ${p.side} ${p.element}`, idle: messages.idle, count: got.length > 0 }).toEqual({
        where: `${p.file}#${p.index} ${p.side} ${p.element}`,
        idle: true,
        count: true,
      });
    }
  });

  it('deserializes the CLIXML of every recorded message that has a body', () => {
    const failures: string[] = [];
    let read = 0;
    for (const p of payloads) {
      for (const m of new MessageReader().push(p.bytes)) {
        if (m.data === '') continue;
        try {
          deserializeClixml(m.data);
          read += 1;
        } catch (e) {
          failures.push(`${p.file}#${p.index} ${p.side} ${p.element} ${m.type}: ${errorMessage(e)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // 197 messages in the 18 PSRP recordings, of which two END_OF_PIPELINE_INPUT have no body.
    expect(read).toBe(195);
  });

  it('reads the creation payload of an open as SESSION_CAPABILITY then INIT_RUNSPACEPOOL', () => {
    const create = payloads.find((p) => p.file === 'test_psrp_open_runspace.yml' && p.element === 'creationXml')!;
    const got = new MessageReader().push(create.bytes);
    expect(got.map((m) => [m.destination, m.type, m.pid])).toEqual([
      ['server', 'SESSION_CAPABILITY', EMPTY_GUID],
      ['server', 'INIT_RUNSPACEPOOL', EMPTY_GUID],
    ]);
    expect(got[0]!.data).toContain('protocolversion');
  });
});
