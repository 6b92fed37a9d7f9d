/** Diagnostics (and errors thrown by handlers) as protocol messages. */
import type { Diagnostic as DiagnosticProto } from '../generated/tfplugin6';
import type { DeepPartial } from '../protobuf/wire';
import { CtyCodecError } from '../cty/codec-error';
import { DiagnosticError, type AttributePath, type Diagnostic, type Diagnostics } from '../diagnostics';
import { safeText } from '../log/safe-text';

const SEVERITY = { error: 1, warning: 2 } as const;

/** Diagnostics quote hosts; terraform prints them whole, so they are bounded and cleaned here, once for all. */
const MAX_SUMMARY_CHARS = 300;
const MAX_DETAIL_CHARS = 8_000;

export function pathProto(path: AttributePath) {
  return {
    steps: path.map((s) =>
      typeof s === 'string' ? { attributeName: s } : typeof s === 'number' ? { elementKeyInt: s } : { elementKeyString: s.key },
    ),
  };
}

export function diagnosticsProto(diags: Diagnostics): DeepPartial<DiagnosticProto>[] {
  return diags.items.map((d: Diagnostic) => ({
    severity: SEVERITY[d.severity],
    summary: safeText(d.summary, MAX_SUMMARY_CHARS),
    detail: safeText(d.detail ?? '', MAX_DETAIL_CHARS),
    ...(d.path ? { attribute: pathProto(d.path) } : {}),
  }));
}

/** An error thrown by a handler, as the diagnostic the user sees. */
export function errorDiagnostic(diags: Diagnostics, err: unknown, what: string, signal: AbortSignal): void {
  if (err instanceof DiagnosticError) return diags.error(err.summary, err.detail, err.path);
  const message = err instanceof Error ? err.message : String(err);
  if (signal.aborted) return diags.error(`${what} was interrupted`, `Terraform asked the provider to stop: ${message}`);
  if (err instanceof CtyCodecError) return diags.error(`${what}: invalid value`, message);
  diags.error(`${what} failed`, message);
}
