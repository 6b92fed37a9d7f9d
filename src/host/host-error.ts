/**
 * The root of the host layer's errors: what src/host throws on purpose, with a typed kind so the provider
 * can tell an invalid address from a restart that did not finish without reading messages. Errors of the
 * layer below (WsmanError) pass through unwrapped.
 */
import { KindedError } from '../common';

export type HostErrorKind =
  /** A `host` value that is not a name, name:port or http(s)://…/wsman URL. */
  | 'invalid-address'
  /** Create of a session configuration whose name the host already has. */
  | 'endpoint-exists'
  /** WinRM did not answer again within the restart timeout. */
  | 'restart-timeout'
  /** After the restart the host does not report what was written. */
  | 'restart-unverified'
  /** A remote command ran past its timeout and was stopped. */
  | 'command-timeout'
  /** A plugin document or a call the host layer cannot act on (no Name, an unknown host). */
  | 'invalid-request'
  /** A file operation the host refused (missing rights, a folder in the way, a locked file): its reason follows. */
  | 'file-refused'
  /** A file read that would exceed its bound. */
  | 'file-too-large'
  /** A state machine of the layer was asked for a transition it does not declare. */
  | 'illegal-transition'
  /** A PowerShell data file (.pssc, .psrc, .psd1) holding something other than data, or malformed. */
  | 'invalid-data-file'
  /** A PowerShell session (runspace pool or pipeline) that did not open, connect or end as PSRP says it must. */
  | 'powershell-session'
  /** A PSRP command whose preparation (environment, working directory) the host refused. */
  | 'psrp-command'
  /** A disconnected session the host no longer has. */
  | 'session-gone'
  /** A local file that changed size while it was read to be sent. */
  | 'source-changed';

export class HostError extends KindedError<HostErrorKind> {
  override readonly name: string = 'HostError';
}
