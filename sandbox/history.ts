/**
 * The procedure calls a sandbox ran, newest last, bounded: a long-lived sandbox (`floe
 * sandbox`, a benchmark's thousand resumes) keeps the last `limit` calls and forgets older
 * ones, so its memory does not grow with every call. Tests and `floe simulate` read statement
 * counts and answers here.
 */
import type { CallRecord } from "./session";

/** Calls kept when SandboxOptions.callHistory is not given: far more than one test or simulation makes. */
export const DEFAULT_CALL_HISTORY = 1000;

export class CallHistory {
  private readonly kept: CallRecord[] = [];
  private total = 0;

  constructor(readonly limit: number = DEFAULT_CALL_HISTORY) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`the call history keeps a whole number of calls, at least 1 (got ${limit})`);
  }

  add(record: CallRecord): void {
    this.kept.push(record);
    this.total++;
    // One over the limit at most, so dropping the oldest is one shift.
    if (this.kept.length > this.limit) this.kept.shift();
  }

  /** The kept calls, oldest first (the last `limit` recorded). */
  get calls(): readonly CallRecord[] {
    return this.kept;
  }

  /** How many calls were ever recorded, forgotten ones included: a mark for {@link since}. */
  get recorded(): number {
    return this.total;
  }

  /** The kept calls recorded after `mark` (a value of {@link recorded} taken earlier), oldest first. */
  since(mark: number): CallRecord[] {
    const count = Math.min(this.total - mark, this.kept.length);
    return count <= 0 ? [] : this.kept.slice(this.kept.length - count);
  }

  /** The last kept call of `SCHEMA.NAME` at a depth (1: called from a session). */
  last(procedure: string, depth = 1): CallRecord | undefined {
    for (let i = this.kept.length - 1; i >= 0; i--) {
      const call = this.kept[i];
      if (call.depth === depth && call.procedure === procedure) return call;
    }
    return undefined;
  }
}
