/** What every handler receives besides its request. */
import type { Diagnostics } from '../diagnostics';
import type { Logger } from '../log/logger';

export interface Context {
  /** Aborted when terraform stops the provider (Ctrl-C) or cancels the call: stop work, return soon. */
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Errors and warnings for the user; errors fail the operation once the handler returns. */
  readonly diagnostics: Diagnostics;
}

/** Handlers that run after ConfigureProvider also get what the provider's configure returned. */
export interface ProviderContext<P> extends Context {
  readonly provider: P;
}

/** JSON-serialisable data terraform stores beside a resource's state, never shown to users. */
export type PrivateData = { readonly [key: string]: PrivateJson };
export type PrivateJson = null | boolean | number | string | readonly PrivateJson[] | { readonly [key: string]: PrivateJson };
