/**
 * How a PSRP command's results become the text and JSON a user reads: output objects as JSON (for
 * `jsondecode`), records rendered the way PowerShell's console prints them (error records with their
 * category line and FullyQualifiedErrorId, as Windows PowerShell's NormalView shows them), and a plain
 * rendering of output objects for endpoints that do not expose Out-String.
 */
import { PsObject, PsScalar, type ErrorRecordView, type PsValue, type PsrpEvent } from '../../psrp';

/** Objects nested deeper are written as their ToString (ConvertTo-Json's default depth is 2; state stays small). */
const MAX_JSON_DEPTH = 8;

/** One output object as JSON: primitives as themselves, collections as arrays/objects, objects as their properties. */
export function psValueToJson(v: PsValue | undefined, depth = 0): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v instanceof PsScalar) return v.toString();
  if (depth >= MAX_JSON_DEPTH) return v.toString();
  if (v.container === 'DCT')
    return Object.fromEntries(v.entries.map(([k, val]) => [String(psValueToJson(k, depth + 1)), psValueToJson(val, depth + 1)]));
  if (v.container !== undefined) return v.items.map((i) => psValueToJson(i, depth + 1));
  const props = [...v.adapted, ...v.extended];
  if (props.length > 0) return Object.fromEntries(props.map(([k, val]) => [k, psValueToJson(val, depth + 1)]));
  // Enums and wrapped primitives: ConvertTo-Json writes an enum as its number.
  if (v.value !== undefined) return psValueToJson(v.value, depth + 1);
  return v.toString();
}

/**
 * The output objects as one JSON array, within `maxBytes`: objects are kept from the first while the
 * array fits, so the value stays valid JSON; `dropped` says how many were left out.
 */
export function outputJson(values: readonly PsValue[], maxBytes: number): { json: string; dropped: number } {
  const parts: string[] = [];
  let size = 2;
  for (const v of values) {
    const part = JSON.stringify(psValueToJson(v));
    if (size + part.length + 1 > maxBytes) return { json: `[${parts.join(',')}]`, dropped: values.length - parts.length };
    parts.push(part);
    size += part.length + 1;
  }
  return { json: `[${parts.join(',')}]`, dropped: 0 };
}

/** Output objects as lines of their ToString, for endpoints without Out-String (primitives print their value). */
export function plainText(values: readonly PsValue[]): string {
  return (
    values
      .map((v) =>
        v === null ? '' : v instanceof PsObject ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : String(v),
      )
      .join('\n') + (values.length > 0 ? '\n' : '')
  );
}

/** An error record as PowerShell's console shows it (message, then the category and error id lines). */
export function renderErrorRecord(r: ErrorRecordView): string {
  const head = r.category.activity ? `${r.category.activity}: ${r.message}` : r.message;
  return `${head}\n    + CategoryInfo          : ${r.category.line}\n    + FullyQualifiedErrorId : ${r.fullyQualifiedErrorId}\n`;
}

/** The text a record event adds to stderr, in arrival order; undefined for events that are not records. */
export function recordText(e: PsrpEvent): string | undefined {
  switch (e.kind) {
    case 'error':
      return renderErrorRecord(e.record);
    case 'warning':
      return `WARNING: ${e.record.message}\n`;
    case 'verbose':
      return `VERBOSE: ${e.record.message}\n`;
    case 'debug':
      return `DEBUG: ${e.record.message}\n`;
    case 'information':
      return `${e.record.text}\n`;
    default:
      return undefined;
  }
}
