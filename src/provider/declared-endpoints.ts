/**
 * Session configurations declared in this configuration, as their plans saw them, for the plan-time
 * checks of other resources on the same endpoint (a disconnected command's idle timeout against the
 * endpoint's MaxIdleTimeout). Terraform plans a resource only after every resource it depends on, and
 * all of them in the one provider process of the operation, so a command that depends on its endpoint
 * (through depends_on or a reference, which it needs anyway to run after the endpoint is in place) finds
 * the endpoint's declared values here, even before the first apply made them the host's. A command
 * that does not depend on it may be planned first and falls back to what the host reports.
 *
 * It also keeps the endpoints terraform's state holds, as this operation refreshed or planned them: a
 * tainted endpoint (a create whose verification failed) or one marked with -replace is planned again as
 * a create with no prior state, and the endpoint found on the host is then the one the replacement
 * deletes first, not one terraform did not create.
 */
import { isUnknown, type Value } from '../tfplugin';

/** A declared setting: its value, `unknown` until apply, or `unset` (left to the host). */
export type DeclaredValue = number | 'unknown' | 'unset';

interface Entry {
  readonly host: string;
  readonly name: string;
  readonly maxIdleTimeoutSec: DeclaredValue;
}

export class DeclaredEndpoints {
  /**
   * By host key and lower-cased name (WinRM endpoint names are case-insensitive): a fleet plan looks up
   * every endpoint once, so a pairwise search over thousands of endpoints would grow as their square.
   */
  private readonly declared = new Map<string, Entry>();
  private readonly held = new Set<string>();

  /** `hostKey`: one spelling for every way of writing the same host (configuration/same-host.ts). */
  constructor(private readonly hostKey: (host: string) => string) {}

  /** Records what a session configuration's plan declares (a later plan of the same endpoint replaces it). */
  declare(host: string, name: string, maxIdleTimeoutSec: Value): void {
    const value: DeclaredValue = isUnknown(maxIdleTimeoutSec)
      ? 'unknown'
      : typeof maxIdleTimeoutSec === 'number'
        ? maxIdleTimeoutSec
        : 'unset';
    this.declared.set(this.key(host, name), { host, name, maxIdleTimeoutSec: value });
  }

  /** The endpoint's declaration, when one was planned in this operation. */
  find(host: string, name: string): Entry | undefined {
    return this.declared.get(this.key(host, name));
  }

  /** Records an endpoint terraform's state holds (seen by a refresh or by a plan with prior state). */
  hold(host: string, name: string): void {
    this.held.add(this.key(host, name));
  }

  /** Whether terraform's state holds the endpoint, as far as this operation has seen. */
  holds(host: string, name: string): boolean {
    return this.held.has(this.key(host, name));
  }

  private key(host: string, name: string): string {
    return `${this.hostKey(host)}\n${name.toLowerCase()}`;
  }
}
