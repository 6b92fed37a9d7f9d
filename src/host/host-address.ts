import { HostError } from './host-error';

/**
 * A resource's `host`: a name (`web1`), `name:port`, or a full `http(s)://name[:port]/wsman` URL. Names
 * and ports take the provider's scheme and its default port (5985 for http, 5986 for https).
 */
export interface HostAddress {
  /** The WS-Man endpoint URL, also the key of the host's one client. */
  readonly endpoint: string;
  /** The host as the user wrote it, for messages. */
  readonly label: string;
}

export type Scheme = 'http' | 'https';

const DEFAULT_PORT: Record<Scheme, number> = { http: 5985, https: 5986 };
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Returns the problem with a host value, or undefined when it is valid (plan-time validation). */
export function hostProblem(spec: string): string | undefined {
  const read = readHost(spec, 'http');
  return typeof read === 'string' ? read : undefined;
}

export function resolveHost(spec: string, scheme: Scheme, port?: number): HostAddress {
  const read = readHost(spec, scheme, port);
  if (typeof read === 'string') throw new HostError('invalid-address', read);
  return read;
}

/** The address, or the problem with the value as a message (a result, so validation needs no throw). */
function readHost(spec: string, scheme: Scheme, port?: number): HostAddress | string {
  const value = spec.trim();
  const label = redactUserInfo(value);
  if (value === '') return 'host must not be empty';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    const endpoint = fromUrl(value, label);
    return endpoint.problem ?? { endpoint: endpoint.url, label };
  }
  if (value.includes('@')) return `host "${label}" must not carry credentials; use the provider's username and password`;
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:\s]+)(?::(\d+))?$/.exec(value);
  if (!m) return `host "${label}" is not a name, name:port, or http(s)://…/wsman URL`;
  const name = m[1]!;
  const nameProblem = checkName(name, label);
  if (nameProblem !== undefined) return nameProblem;
  const p = m[2] === undefined ? (port ?? DEFAULT_PORT[scheme]) : readPort(m[2], label);
  if (typeof p === 'string') return p;
  return { endpoint: `${scheme}://${name.toLowerCase()}:${p}/wsman`, label };
}

/**
 * A user:password part never reaches a message. Everything up to the last '@' goes: a password may itself
 * hold '@' or '/', so URL rules cannot tell where it ends.
 */
function redactUserInfo(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*@/is, '$1***@');
}

function fromUrl(value: string, label: string): { url: string; problem?: undefined } | { problem: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: `host "${label}" is not a valid URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { problem: `host "${label}" must use http or https, not ${url.protocol.replace(':', '')}` };
  if (url.username || url.password)
    return { problem: `host "${label}" must not carry credentials; use the provider's username and password` };
  if (url.search || url.hash) return { problem: `host "${label}" must not have a query or fragment` };
  const scheme = url.protocol.slice(0, -1) as Scheme;
  const port = url.port === '' ? DEFAULT_PORT[scheme] : Number(url.port);
  const path = url.pathname === '/' ? '/wsman' : url.pathname;
  return { url: `${scheme}://${url.hostname}:${port}${path}` };
}

function checkName(name: string, spec: string): string | undefined {
  if (name.startsWith('[')) return undefined; // an IPv6 literal; URL parsing validates it when used
  return HOSTNAME.test(name) || IPV4.test(name) ? undefined : `host "${spec}" has an invalid host name "${name}"`;
}

function readPort(text: string, spec: string): number | string {
  const port = Number(text);
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? port : `host "${spec}" has an invalid port ${text} (1-65535)`;
}
