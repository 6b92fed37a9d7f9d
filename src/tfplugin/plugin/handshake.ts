/**
 * go-plugin's side of the handshake (hashicorp/go-plugin v1.6 as terraform 1.11 uses it): the magic
 * cookie that proves terraform started us, the protocol version, the socket, and the one stdout line
 * terraform reads to find and trust the server.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
const PROTOCOL_VERSION = 6;
const CORE_PROTOCOL_VERSION = 1;
const MAX_SOCKET_PATH = 100; // sockaddr_un allows 108 bytes; keep a margin

export class HandshakeError extends Error {}

/** Refuses to run unless started by terraform (go-plugin's rule); the message says what this is. */
export function checkMagicCookie(env: NodeJS.ProcessEnv, binary: string): void {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    throw new HandshakeError(
      `${binary} is a Terraform provider plugin: terraform starts it, it is not meant to be run directly.\n` +
        'Use it from a Terraform configuration (see the README for installing it into a local mirror).',
    );
  }
}

/** Terraform offers "5,6" (or "6,5"); we speak 6 only. No offer at all means the default, 6. */
export function negotiateProtocol(env: NodeJS.ProcessEnv): number {
  const offered = (env.PLUGIN_PROTOCOL_VERSIONS ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (offered.length && !offered.includes(String(PROTOCOL_VERSION))) {
    throw new HandshakeError(
      `this provider speaks plugin protocol ${PROTOCOL_VERSION}; terraform offered ${offered.join(',')} (terraform >= 1.0 needed)`,
    );
  }
  return PROTOCOL_VERSION;
}

/** A fresh directory only we can enter (mkdtemp makes it 0700), and the socket path inside it. */
export function makeSocketPath(env: NodeJS.ProcessEnv): { dir: string; socket: string } {
  let base = env.PLUGIN_UNIX_SOCKET_DIR || tmpdir();
  if (join(base, 'pluginXXXXXX', 'grpc.sock').length > MAX_SOCKET_PATH) base = '/tmp';
  const dir = mkdtempSync(join(base, 'plugin'));
  return { dir, socket: join(dir, 'grpc.sock') };
}

/** CORE|APP|network|address|protocol|cert, plus go-plugin's multiplexing field when terraform asks. */
export function handshakeLine(env: NodeJS.ProcessEnv, socket: string, certField: string): string {
  const fields = [CORE_PROTOCOL_VERSION, PROTOCOL_VERSION, 'unix', socket, 'grpc', certField];
  if (env.PLUGIN_MULTIPLEX_GRPC) fields.push('false'); // we serve no multiplexed broker connections
  return `${fields.join('|')}\n`;
}
