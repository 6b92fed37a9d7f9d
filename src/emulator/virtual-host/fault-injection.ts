/** Faults and latency injected into one host's WS-Man endpoint through the control API. */
export type InjectedFaultKind = 'drop' | 'http503' | 'slow';

export interface InjectedFault {
  readonly kind: InjectedFaultKind;
  /** For `slow`: how long the answer is held back. */
  readonly delayMs: number;
}

export class FaultInjection {
  latencyMs: number;
  private pending: Array<{ fault: InjectedFault; remaining: number }> = [];

  constructor(latencyMs: number) {
    this.latencyMs = latencyMs;
  }

  /** The next `count` requests get `fault`, after any already queued. */
  add(fault: InjectedFault, count: number): void {
    this.pending.push({ fault, remaining: count });
  }

  clear(): void {
    this.pending = [];
  }

  /** The fault for the request that just arrived, if any. */
  take(): InjectedFault | undefined {
    const head = this.pending[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) this.pending.shift();
    return head.fault;
  }

  describe(): { latencyMs: number; pending: Array<{ kind: InjectedFaultKind; delayMs: number; remaining: number }> } {
    return { latencyMs: this.latencyMs, pending: this.pending.map((p) => ({ ...p.fault, remaining: p.remaining })) };
  }
}
