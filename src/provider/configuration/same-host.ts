import { resolveHost, type Scheme } from '../../host';

/** Whether two `host` values name the same WS-Man endpoint under the provider's scheme and port. */
export function sameHost(a: string, b: string, scheme: Scheme, port: number | undefined): boolean {
  if (a === b) return true;
  try {
    return resolveHost(a, scheme, port).endpoint === resolveHost(b, scheme, port).endpoint;
  } catch {
    return false;
  }
}
