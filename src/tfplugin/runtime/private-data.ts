/** Private state travels as opaque bytes; handlers see JSON objects. Empty bytes = empty object. */
import type { PrivateData } from '../contracts/context';
import { EMPTY_BYTES } from '../protobuf/wire';

export function decodePrivate(bytes: Uint8Array): PrivateData {
  if (!bytes.length) return {};
  const parsed: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new TypeError('private state is not a JSON object');
  return parsed as PrivateData;
}

export function encodePrivate(data: PrivateData): Uint8Array {
  return Object.keys(data).length ? Buffer.from(JSON.stringify(data), 'utf8') : EMPTY_BYTES;
}
