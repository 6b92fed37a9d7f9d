/**
 * Diagnostics: what a handler tells the user, as errors or warnings, optionally at an attribute path
 * (terraform then points at that argument in the configuration).
 *
 * A path is a list of steps: a string is an attribute (or block) name, a number a list/tuple index, and
 * { key } a map key — ['triggers', { key: 'version' }], ['rule', 0, 'port']. Set elements have no key:
 * stop a path at the set.
 */

export type PathStep = string | number | { readonly key: string };
export type AttributePath = readonly PathStep[];

/** A path as a person reads it: `quotas.max_sessions`, `environment["PATH"]`, `commands[0]`. */
export function pathText(path: AttributePath): string {
  return path
    .map((s, i) => (typeof s === 'object' ? `[${JSON.stringify(s.key)}]` : typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join('');
}

export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly path?: AttributePath;
}

export class Diagnostics {
  readonly items: Diagnostic[] = [];

  error(summary: string, detail?: string, path?: AttributePath): void {
    this.add('error', summary, detail, path);
  }

  warning(summary: string, detail?: string, path?: AttributePath): void {
    this.add('warning', summary, detail, path);
  }

  private add(severity: Diagnostic['severity'], summary: string, detail?: string, path?: AttributePath): void {
    this.items.push({ severity, summary, ...(detail ? { detail } : {}), ...(path ? { path } : {}) });
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

/** Thrown by a handler to stop with one error diagnostic (optionally at a path). */
export class DiagnosticError extends Error {
  constructor(
    readonly summary: string,
    readonly detail?: string,
    readonly path?: AttributePath,
  ) {
    super(detail ? `${summary}: ${detail}` : summary);
    this.name = 'DiagnosticError';
  }
}

/** Thrown by a provider function; `argument` is the zero-based index of the offending argument. */
export class FunctionError extends Error {
  constructor(
    message: string,
    readonly argument?: number,
  ) {
    super(message);
    this.name = 'FunctionError';
  }
}
