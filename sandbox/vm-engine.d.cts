/** Types of vm-engine.cjs (plain JavaScript, shared by the procedure worker and the in-thread runner). */

/** A procedure argument as it crosses into a context: a JSON value, or a date as epoch milliseconds. */
export type WireArgument = { readonly name: string; readonly value: unknown } | { readonly name: string; readonly date: number };

export interface Invocation {
  /** `SCHEMA.NAME`, used in messages and as the script's file name. */
  readonly procedure: string;
  readonly body: string;
  readonly args: readonly WireArgument[];
}

export type Outcome = { readonly kind: "value"; readonly value: unknown } | { readonly kind: "error"; readonly code: string; readonly state: string; readonly message: string };

/** One time limit shared by a call and every call it makes. */
export interface Budget {
  /** Epoch milliseconds. */
  readonly deadline: number;
  /** The limit, for messages. */
  readonly limitMs: number;
  /** Procedures being run, outermost first. */
  readonly running: string[];
  /** Set once the limit expired: the innermost procedure that was running. */
  ranOutIn?: string;
}

export declare function runProcedure(invocation: Invocation, budget: Budget, hostCall: (request: string) => string): Outcome;
export declare const RUN_KEY: string;
