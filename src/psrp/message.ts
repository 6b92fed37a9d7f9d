import { PsrpError } from './errors';
import { bytesToGuid, guidToBytes } from './guid';
import { MessageType, messageTypeName, type MessageTypeName } from './message-types';

/**
 * A PSRP message (MS-PSRP 2.2.1):
 *
 *   offset 0  Destination  uint32 little-endian: 1 client, 2 server
 *   offset 4  MessageType  uint32 little-endian (message-types.ts)
 *   offset 8  RPID         16 bytes, .NET GUID order: the runspace pool
 *   offset 24 PID          16 bytes, .NET GUID order: the pipeline, zero for pool messages
 *   offset 40 Data         UTF-8 CLIXML of one object, possibly empty
 *
 * .NET peers start Data with a UTF-8 byte-order mark; pypsrp and psrpcore do not. Both are read.
 */

export const MESSAGE_HEADER_LENGTH = 40;

export const Destination = { client: 1, server: 2 } as const;
export type DestinationName = keyof typeof Destination;

export interface PsrpMessage {
  /** Who the message is for. */
  readonly destination: DestinationName;
  readonly type: MessageTypeName;
  /** Runspace pool id, lower-case text. */
  readonly rpid: string;
  /** Pipeline id, lower-case text; EMPTY_GUID for pool messages. */
  readonly pid: string;
  /** The CLIXML text (byte-order mark removed); '' when the message has no data. */
  readonly data: string;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface EncodeMessageOptions {
  /** Start Data with a UTF-8 byte-order mark, as .NET writes it. Default false, as pypsrp writes it. */
  readonly byteOrderMark?: boolean;
}

export function encodeMessage(message: PsrpMessage, options: EncodeMessageOptions = {}): Buffer {
  const data = Buffer.from(message.data, 'utf8');
  const bom = options.byteOrderMark === true && data.length > 0 ? UTF8_BOM : Buffer.alloc(0);
  const header = Buffer.alloc(MESSAGE_HEADER_LENGTH);
  header.writeUInt32LE(Destination[message.destination], 0);
  header.writeUInt32LE(MessageType[message.type], 4);
  guidToBytes(message.rpid).copy(header, 8);
  guidToBytes(message.pid).copy(header, 24);
  return Buffer.concat([header, bom, data]);
}

/** Reads one reassembled message. Unknown destinations and types, and invalid UTF-8, are refused. */
export function decodeMessage(bytes: Uint8Array): PsrpMessage {
  if (bytes.length < MESSAGE_HEADER_LENGTH) {
    throw new PsrpError('message', `a PSRP message is at least ${MESSAGE_HEADER_LENGTH} bytes, got ${bytes.length}`);
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const destinationValue = buf.readUInt32LE(0);
  const destination = destinationValue === Destination.client ? 'client' : destinationValue === Destination.server ? 'server' : undefined;
  if (!destination) throw new PsrpError('message', `unknown message destination ${destinationValue}`);
  const typeValue = buf.readUInt32LE(4);
  const type = messageTypeName(typeValue);
  if (!type) throw new PsrpError('message', `unknown message type 0x${typeValue.toString(16).padStart(8, '0')}`);
  let body = buf.subarray(MESSAGE_HEADER_LENGTH);
  if (body.subarray(0, 3).equals(UTF8_BOM)) body = body.subarray(3);
  let data: string;
  try {
    data = strictUtf8.decode(body);
  } catch (e) {
    throw new PsrpError('message', `${type} data is not valid UTF-8`, { cause: e });
  }
  return { destination, type, rpid: bytesToGuid(buf.subarray(8, 24)), pid: bytesToGuid(buf.subarray(24, 40)), data };
}
