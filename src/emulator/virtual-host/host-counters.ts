/** Per-host request counters for tests and benchmarks (round trips per operation, auth handshakes). */
export class HostCounters {
  private byOperation: Record<string, number> = {};
  private authHandshakes = 0;
  private faults = 0;

  countOperation(op: string): void {
    this.byOperation[op] = (this.byOperation[op] ?? 0) + 1;
  }

  countAuthHandshake(): void {
    this.authHandshakes += 1;
  }

  countFault(): void {
    this.faults += 1;
  }

  snapshot(): { total: number; byOperation: Record<string, number>; authHandshakes: number; faults: number } {
    const total = Object.values(this.byOperation).reduce((a, b) => a + b, 0);
    return { total, byOperation: { ...this.byOperation }, authHandshakes: this.authHandshakes, faults: this.faults };
  }

  reset(): void {
    this.byOperation = {};
    this.authHandshakes = 0;
    this.faults = 0;
  }
}

/** Name under which a request is counted: the last segment of its Action (`Get`, `Receive`, ...). */
export function operationName(action: string | undefined, resourceUri: string | undefined): string {
  if (!action) return 'Unknown';
  if (resourceUri && action.startsWith(`${resourceUri}/`)) return 'Invoke';
  return action.slice(action.lastIndexOf('/') + 1) || 'Unknown';
}
