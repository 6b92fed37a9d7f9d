/**
 * Session configurations declared in this configuration, as their plans saw them, for the plan-time
 * checks of other resources on the same endpoint (a disconnected command's idle timeout against the
 * endpoint's MaxIdleTimeout). Terraform plans a resource only after every resource it depends on, and
 * all of them in the one provider process of the operation, so a command that depends on its endpoint
 * (through depends_on or a reference, which it needs anyway to run after the endpoint is in place) finds
 * the endpoint's declared values here, even before the first apply made them the host's. A command
 * that does not depend on it may be planned first and falls back to what the host reports.
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
  private entries: Entry[] = [];

  constructor(private readonly sameHost: (a: string, b: string) => boolean) {}

  /** Records what a session configuration's plan declares (a later plan of the same endpoint replaces it). */
  declare(host: string, name: string, maxIdleTimeoutSec: Value): void {
    const value: DeclaredValue = isUnknown(maxIdleTimeoutSec)
      ? 'unknown'
      : typeof maxIdleTimeoutSec === 'number'
        ? maxIdleTimeoutSec
        : 'unset';
    this.entries = [...this.entries.filter((e) => !this.matches(e, host, name)), { host, name, maxIdleTimeoutSec: value }];
  }

  /** The endpoint's declaration, when one was planned in this operation; WinRM endpoint names are case-insensitive. */
  find(host: string, name: string): Entry | undefined {
    return this.entries.find((e) => this.matches(e, host, name));
  }

  private matches(e: Entry, host: string, name: string): boolean {
    return e.name.toLowerCase() === name.toLowerCase() && this.sameHost(e.host, host);
  }
}
