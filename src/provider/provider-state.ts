/** What every handler gets as ctx.provider once the provider block is configured. */
import type { HostPool } from '../host';
import type { DeclaredEndpoints } from './declared-endpoints';

export interface ProviderState {
  /**
   * The hosts of this configuration, created on first use (a configuration that only calls functions
   * needs no credentials). Reading it throws a DiagnosticError when the provider block is incomplete or
   * not yet known.
   */
  readonly pool: HostPool;
  /** False while the provider block holds values known only after apply (terraform plans before it has them). */
  readonly configKnown: boolean;
  /** allow_stale_state: an unreachable host gives a warning and the last known state instead of an error. */
  readonly allowStaleState: boolean;
  /**
   * Whether two `host` values name the same WS-Man endpoint ("web1", "WEB1", "web1:5985" and
   * "http://web1:5985/wsman" do under the default scheme); false while the provider block is not known.
   */
  sameHost(a: string, b: string): boolean;
  /** The session configurations planned so far in this operation, for checks against what is declared. */
  readonly declaredEndpoints: DeclaredEndpoints;
}
