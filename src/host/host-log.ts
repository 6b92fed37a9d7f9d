/** What the host layer logs through; the provider passes its terraform-visible logger. */
export interface HostLog {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export const silentLog: HostLog = { debug() {}, info() {}, warn() {} };
