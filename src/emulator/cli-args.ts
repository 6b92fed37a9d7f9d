/** Command-line options of `psremoting-emulator` (documented in README.md). */
import type { EmulatorOptions } from './emulator';
import type { UserCredential } from './http/basic-auth';
import { EmulatorError } from './emulator-error';
import { parseCertMapping, type CertMapping } from './http/client-certificates';

export const USAGE = `usage: psremoting-emulator [--hosts N | --host NAME ...] [--port-base P] [--auth basic,ntlm]
  [--user NAME:PASSWORD[:GROUP,GROUP] ...] [--tls] [--client-ca FILE ...]
  [--cert-mapping SUBJECT:ISSUER_THUMBPRINT:USER ...] [--kerberos-keytab FILE] [--allow-unencrypted] [--state-dir DIR] [--latency-ms MS] [--restart-ms MS]`;

export function parseCliArgs(argv: readonly string[]): EmulatorOptions {
  const hosts: string[] = [];
  const users: UserCredential[] = [];
  const clientCaFiles: string[] = [];
  const certMappings: CertMapping[] = [];
  let count: number | undefined;
  const o: { -readonly [K in keyof EmulatorOptions]: EmulatorOptions[K] } = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new EmulatorError('invalid-option', `${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--hosts':
        count = int(flag, value(), 1);
        break;
      case '--host':
        hosts.push(value());
        break;
      case '--port-base':
        o.portBase = int(flag, value(), 0);
        break;
      case '--auth': {
        const kinds = value()
          .split(',')
          .map((s) => s.trim().toLowerCase());
        for (const k of kinds)
          if (k !== 'basic' && k !== 'ntlm') throw new EmulatorError('invalid-option', `--auth accepts basic and ntlm, got ${k}`);
        o.auth = kinds as Array<'basic' | 'ntlm'>;
        break;
      }
      case '--user': {
        users.push(parseUser(value()));
        break;
      }
      case '--tls':
        o.tls = true;
        break;
      case '--client-ca':
        clientCaFiles.push(value());
        break;
      case '--cert-mapping':
        certMappings.push(parseCertMapping(value()));
        break;
      case '--kerberos-keytab':
        o.kerberosKeytab = value();
        break;
      case '--allow-unencrypted':
        o.allowUnencrypted = true;
        break;
      case '--state-dir':
        o.stateDir = value();
        break;
      case '--latency-ms':
        o.latencyMs = int(flag, value(), 0);
        break;
      case '--restart-ms':
        o.restartMs = int(flag, value(), 0);
        break;
      default:
        throw new EmulatorError('invalid-option', `unknown option ${flag}`);
    }
  }
  if (count !== undefined && hosts.length > 0) throw new EmulatorError('invalid-option', 'use either --hosts or --host, not both');
  if (count !== undefined) o.hosts = Array.from({ length: count }, (_, i) => `win${i + 1}`);
  else if (hosts.length > 0) o.hosts = hosts;
  if (users.length > 0) o.users = users;
  if (clientCaFiles.length > 0) o.clientCaFiles = clientCaFiles;
  if (certMappings.length > 0) o.certMappings = certMappings;
  return o;
}

function int(flag: string, v: string, min: number): number {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > 65535 * 1000)
    throw new EmulatorError('invalid-option', `${flag} needs a whole number >= ${min}, got ${v}`);
  return Number(v);
}

/**
 * `NAME:PASSWORD` (an administrator, as before groups existed) or `NAME:PASSWORD:GROUP,GROUP` (exactly those
 * groups; empty = none). With two colons or more the last one starts the groups, so a password holding `:`
 * is written with its groups after it (`ops:pa:ss:Administrators`).
 */
export function parseUser(v: string): UserCredential {
  const colon = v.indexOf(':');
  if (colon <= 0) throw new EmulatorError('invalid-option', '--user takes NAME:PASSWORD[:GROUP,GROUP]');
  const name = v.slice(0, colon);
  const rest = v.slice(colon + 1);
  const last = rest.lastIndexOf(':');
  if (last < 0) return { name, password: rest };
  const groups = rest
    .slice(last + 1)
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g !== '');
  return { name, password: rest.slice(0, last), groups };
}
