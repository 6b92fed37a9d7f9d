import type { Envelope } from '../../wsman/soap';
import type { XmlNodeSpec } from '../../wsman/xml';
import type { VirtualHost } from '../virtual-host/virtual-host';

/** One authenticated WS-Man request as an operation handler sees it. */
export interface RequestContext {
  readonly env: Envelope;
  readonly host: VirtualHost;
  /** The authenticated user name (reported as shell Owner). */
  readonly user: string;
  readonly clientIp: string;
  /** Resolves when the client's connection closes (a long-poll may stop waiting). */
  readonly aborted: Promise<void>;
}

export interface OperationResult {
  readonly body: ReadonlyArray<XmlNodeSpec>;
  /** Defaults to the request Action + "Response". */
  readonly action?: string;
  /** Runs once the answer has been written (e.g. the WinRM restart a WMI call asked for). */
  readonly afterResponse?: () => void;
}

/** A selector value looked up case-insensitively by name, as WinRM matches selector names. */
export function selector(env: Envelope, name: string): string | undefined {
  return byNameIgnoreCase(env.selectors, name);
}

/** An option value looked up case-insensitively by name. */
export function option(env: Envelope, name: string): string | undefined {
  return byNameIgnoreCase(env.options, name)?.value;
}

function byNameIgnoreCase<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  const want = name.toLowerCase();
  return Object.entries(record).find(([k]) => k.toLowerCase() === want)?.[1];
}
