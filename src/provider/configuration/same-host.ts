import { resolveHost, type Scheme } from '../../host';

/**
 * One spelling for every way of writing the same host under the provider's scheme and port: its WS-Man
 * endpoint URL (`win1`, `WIN1:5985` and `http://win1:5985/wsman` alike); a value that is no host address
 * keys as itself. Lets per-host records be looked up in a map instead of compared pairwise.
 */
export function hostKey(spec: string, scheme: Scheme, port: number | undefined): string {
  try {
    return resolveHost(spec, scheme, port).endpoint;
  } catch {
    return spec;
  }
}

/** Whether two `host` values name the same WS-Man endpoint under the provider's scheme and port. */
export function sameHost(a: string, b: string, scheme: Scheme, port: number | undefined): boolean {
  return a === b || hostKey(a, scheme, port) === hostKey(b, scheme, port);
}
