/**
 * An explicit finite-state machine: the states are a string union, the legal transitions are declared
 * once as a table, and every change goes through `transition`, which refuses an undeclared one and
 * reports every change to an optional observer (a layer's logger).
 *
 * Modelled on grpc-js `Subchannel.transitionToState` (packages/grpc-js/src/subchannel.ts), which names
 * the states a change may start from; here the table names, for each state, where it may go, so a
 * reader sees the whole machine in one place and the compiler checks that every state is listed.
 *
 * Each layer keeps its own error root: the machine does not throw an error class of its own but asks
 * the `refuse` factory of its owner for one (a WsmanError, an EmulatorError, a PsrpError…).
 */
export type TransitionTable<S extends string> = { readonly [K in S]: readonly S[] };

export interface StateMachineOptions<S extends string> {
  /** Names the machine in refusals and logs ("runspace pool 3F2A…", "restart coordinator"). */
  readonly name: string;
  readonly initial: S;
  readonly transitions: TransitionTable<S>;
  /** Builds the owner's typed error for an undeclared transition. */
  readonly refuse: (refusal: IllegalTransition<S>) => Error;
  /** Told of every transition that happened (for logs). */
  readonly observe?: (change: StateChange<S>) => void;
}

export interface IllegalTransition<S extends string> {
  readonly machine: string;
  readonly from: S;
  readonly to: S;
  readonly reason?: string;
}

export interface StateChange<S extends string> {
  readonly machine: string;
  readonly from: S;
  readonly to: S;
  readonly reason?: string;
}

export class StateMachine<S extends string> {
  private current: S;

  constructor(private readonly options: StateMachineOptions<S>) {
    this.current = options.initial;
  }

  get state(): S {
    return this.current;
  }

  /** True when the machine is in one of `states`. Reads through a method, so narrowing never outlives an await. */
  is(...states: readonly S[]): boolean {
    return states.includes(this.current);
  }

  canTransition(to: S): boolean {
    return this.options.transitions[this.current].includes(to);
  }

  /** Moves to `to`, or throws the owner's error when the table does not allow it from the current state. */
  transition(to: S, reason?: string): void {
    const from = this.current;
    if (!this.options.transitions[from].includes(to)) {
      throw this.options.refuse({ machine: this.options.name, from, to, reason });
    }
    this.current = to;
    this.options.observe?.({ machine: this.options.name, from, to, reason });
  }
}

/** The message of a refusal, the same wording in every layer. */
export function describeIllegalTransition<S extends string>(refusal: IllegalTransition<S>): string {
  const why = refusal.reason === undefined ? '' : ` (${refusal.reason})`;
  return `${refusal.machine}: illegal transition ${refusal.from} -> ${refusal.to}${why}`;
}
