/**
 * Carries one KDC message to the first KDC of a realm that answers (RFC 4120 7.2): over UDP (one
 * datagram each way) for messages up to 1465 bytes, as MIT's udp_preference_limit does, else over TCP
 * (a 4-byte big-endian length before each message); a UDP answer of KRB_ERR_RESPONSE_TOO_BIG (52)
 * is asked again over TCP. Every attempt has a timeout; answers are bounded in size.
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { errorMessage } from '../../../common';
import type { KdcAddress } from './krb5-conf';
import { KerberosError } from './kerberos-error';
import { decodeKrbError, isKrbError } from './messages/krb-types';

const UDP_PREFERENCE_LIMIT = 1465;
const RESPONSE_TOO_BIG = 52;
/** A KDC reply carries tickets with PACs of a few KiB; 1 MiB is far beyond any real one. */
const MAX_REPLY_BYTES = 1024 * 1024;

export interface KdcSendOptions {
  readonly timeoutMs: number;
}

export async function sendToKdc(realm: string, kdcs: readonly KdcAddress[], message: Buffer, o: KdcSendOptions): Promise<Buffer> {
  const failures: string[] = [];
  for (const kdc of kdcs) {
    const order: Array<'udp' | 'tcp'> = kdc.transport ? [kdc.transport] : message.length <= UDP_PREFERENCE_LIMIT ? ['udp', 'tcp'] : ['tcp'];
    for (const proto of order) {
      try {
        const reply = proto === 'udp' ? await udpExchange(kdc, message, o.timeoutMs) : await tcpExchange(kdc, message, o.timeoutMs);
        if (proto === 'udp' && order.includes('tcp') && isKrbError(reply) && safeCode(reply) === RESPONSE_TOO_BIG) continue;
        return reply;
      } catch (e) {
        failures.push(`${kdc.host}:${kdc.port}/${proto}: ${errorMessage(e)}`);
      }
    }
  }
  const tried = failures.length > 0 ? failures.join('; ') : 'no KDC address';
  throw new KerberosError('kdc-unreachable', `KDC unreachable for realm ${realm} (${tried})`);
}

function safeCode(reply: Buffer): number | undefined {
  try {
    return decodeKrbError(reply).code;
  } catch {
    return undefined;
  }
}

/** One attempt: settles once, on the first answer, error or the timeout, and always closes its socket. */
function attempt(
  timeoutMs: number,
  close: () => void,
  start: (done: (err: Error | undefined, reply?: Buffer) => void) => void,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (err: Error | undefined, reply?: Buffer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      close();
      if (err) reject(err);
      else resolve(reply!);
    };
    const timer = setTimeout(() => done(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    start(done);
  });
}

const socketError = (e: NodeJS.ErrnoException): Error => new Error(e.code ?? e.message);

function udpExchange(kdc: KdcAddress, message: Buffer, timeoutMs: number): Promise<Buffer> {
  const socket = dgram.createSocket(net.isIPv6(kdc.host) ? 'udp6' : 'udp4');
  return attempt(
    timeoutMs,
    () => socket.close(),
    (done) => {
      socket.on('error', (e) => done(socketError(e)));
      socket.on('message', (msg) => done(undefined, msg));
      // A connected socket hears ICMP port-unreachable as ECONNREFUSED: a stopped KDC fails at once, not at the timeout.
      socket.connect(kdc.port, kdc.host, () => {
        socket.send(message, (e) => {
          if (e) done(e);
        });
      });
    },
  );
}

function tcpExchange(kdc: KdcAddress, message: Buffer, timeoutMs: number): Promise<Buffer> {
  const socket = net.connect({ host: kdc.host, port: kdc.port });
  return attempt(
    timeoutMs,
    () => socket.destroy(),
    (done) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let expected: number | undefined;
      socket.on('error', (e) => done(socketError(e)));
      socket.on('connect', () => {
        const length = Buffer.alloc(4);
        length.writeUInt32BE(message.length, 0);
        socket.write(Buffer.concat([length, message]));
      });
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (expected === undefined && size >= 4) {
          expected = Buffer.concat(chunks).readUInt32BE(0);
          // The high bit is reserved (RFC 4120 7.2.2); a set bit or a huge length is not a KDC answer.
          if (expected > MAX_REPLY_BYTES) return done(new Error(`reply length ${expected} is not plausible`));
        }
        if (expected !== undefined && size >= 4 + expected) done(undefined, Buffer.concat(chunks).subarray(4, 4 + expected));
      });
      socket.on('end', () => done(new Error('connection closed before a complete reply')));
    },
  );
}
