import { WsmanError } from './errors';

export interface ProviderFault {
  /** e.g. "Shell provider", "Shell cmd plugin", "WMI Provider". */
  readonly provider?: string;
  /** e.g. `%systemroot%\system32\WsmSvc.dll`. */
  readonly path?: string;
  /** Code of the provider's inner WSManFault, when it has one. */
  readonly code?: number;
  readonly machine?: string;
  readonly message?: string;
}

export interface WsmanFaultFields {
  /** SOAP Code value as written, e.g. `s:Sender` / `s:Receiver`. */
  readonly soapCode?: string;
  /** Subcode as written, e.g. `w:InvalidSelectors`. */
  readonly subcode?: string;
  /** Local part of the subcode, e.g. `InvalidSelectors`, `TimedOut`, `AccessDenied`. */
  readonly subcodeName?: string;
  /** s:Reason text. */
  readonly reason?: string;
  /** f:WSManFault Code (or the WMI error_Code when only an MSFT_WmiError is given). */
  readonly code?: number;
  readonly machine?: string;
  /** f:Message text, the provider's message, or the reason, in that order. */
  readonly faultMessage?: string;
  /** w:FaultDetail URI, e.g. `.../faultDetail/UnexpectedSelectors`. */
  readonly faultDetail?: string;
  readonly providerFault?: ProviderFault;
  /** The response Action (`.../wsman/fault`, `.../addressing/fault`, `.../enumeration/fault`). */
  readonly action?: string;
}

// The fields are declared once, in WsmanFaultFields, and merged into the class (set in the constructor).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface WsmanFault extends WsmanFaultFields {}

/** A SOAP fault a WS-Management host answered with (usually with HTTP 500). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class WsmanFault extends WsmanError {
  override readonly name = 'WsmanFault';

  constructor(fields: WsmanFaultFields) {
    super(describe(fields));
    Object.assign(this, fields);
  }
}

function describe(f: WsmanFaultFields): string {
  const what = f.subcodeName ?? f.soapCode ?? 'fault';
  const code = f.code === undefined ? '' : ` (code ${f.code})`;
  const at = f.machine ? ` on ${f.machine}` : '';
  const text = (f.faultMessage ?? f.reason ?? '').trim();
  return `WS-Management ${what}${code}${at}${text ? `: ${text}` : ''}`;
}
