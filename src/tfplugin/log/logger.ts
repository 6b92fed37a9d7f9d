/**
 * Logs to stderr as hclog JSON lines, which terraform parses and re-logs at their level under
 * TF_LOG / TF_LOG_PROVIDER. stdout is never used: it belongs to the go-plugin handshake. Every string
 * in a line passes through safeText (secrets masked, control sequences removed, length capped):
 * terraform prints the decoded text to the terminal.
 */
import { safeText } from './safe-text';

/** Per string in a log line: a whole SOAP document fits, a hostile multi-megabyte text does not. */
const MAX_LOGGED_CHARS = 16_384;

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LEVELS)[number];
export type LogThreshold = LogLevel | 'off';
export type LogFields = Record<string, unknown>;

export interface Logger {
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  enabled(level: LogLevel): boolean;
  /** A logger that adds these fields (e.g. the RPC and resource type) to every line. */
  with(fields: LogFields): Logger;
}

/** TF_LOG_PROVIDER wins over TF_LOG; "JSON" means trace; an unrecognised value means trace, as terraform does. */
export function thresholdFromEnv(env: NodeJS.ProcessEnv = process.env): LogThreshold {
  const raw = (env.TF_LOG_PROVIDER || env.TF_LOG || '').trim().toLowerCase();
  if (raw === '' || raw === 'off') return 'off';
  return (LEVELS as readonly string[]).includes(raw) ? (raw as LogLevel) : 'trace';
}

/** hclog's layout wants microseconds: 2006-01-02T15:04:05.000000Z07:00. */
const timestamp = (): string => new Date().toISOString().replace('Z', '000Z');

export function createLogger(opts: {
  module: string;
  threshold?: LogThreshold;
  write?: (line: string) => void;
  fields?: LogFields;
}): Logger {
  const threshold = opts.threshold ?? thresholdFromEnv();
  const min = threshold === 'off' ? Infinity : LEVELS.indexOf(threshold);
  const write = opts.write ?? ((line: string) => process.stderr.write(line));
  const base = opts.fields ?? {};
  const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVELS.indexOf(level) < min) return;
    const entry = { '@level': level, '@message': message, '@module': opts.module, '@timestamp': timestamp(), ...base, ...fields };
    write(JSON.stringify(entry, jsonSafe) + '\n');
  };
  return {
    trace: (m, f) => emit('trace', m, f),
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    enabled: (level) => LEVELS.indexOf(level) >= min,
    with: (fields) => createLogger({ ...opts, threshold, fields: { ...base, ...fields } }),
  };
}

/** JSON.stringify replacer; reads the holder's raw value because Buffer's toJSON runs first. */
function jsonSafe(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (raw instanceof Uint8Array) return `<${raw.length} bytes>`;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return safeText(value.stack ?? value.message, MAX_LOGGED_CHARS);
  if (typeof value === 'string') return safeText(value, MAX_LOGGED_CHARS);
  return value;
}
