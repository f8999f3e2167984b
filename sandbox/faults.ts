/**
 * Fault injection for tests: make the Nth statement that matches a pattern fail, or wait, or
 * run something first; make the Nth evaluation of a system function, or the Nth access to a
 * table or view, fail. This is how the tests put a failure at every phase of RESUME_CONNECTOR
 * and PAUSE_CONNECTOR, and interleave two calls at a chosen point, through the real driver.
 *
 * It is a property of the Sandbox object and nothing else: no statement, function or setting
 * reaches it from SQL or from the HTTP endpoint, and an empty plan (the default) costs one
 * array check per statement.
 */
import { SnowflakeError } from "./types";

export type FaultSite =
  /** A statement whose text (trimmed, without its final `;`) matches. */
  | { readonly statement: RegExp }
  /** An evaluation of a catalog function, e.g. `SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT`. */
  | { readonly function: string }
  /** A read or write of a table or view, named `SCHEMA.NAME` (in any database). */
  | { readonly relation: string };

/** Where a statement came from. */
export interface FaultEvent {
  readonly text: string;
  /** 0 for a session's own statement, N inside a procedure called N deep. */
  readonly depth: number;
  /** The procedure issuing it (`SCHEMA.NAME`), when depth > 0. */
  readonly procedure?: string;
}

export interface FaultSpec {
  readonly at: FaultSite;
  /** Which matching occurrence fires, 1 being the first. Default 1. Each fault fires once. */
  readonly nth?: number;
  /** Statements only: runs before the statement, which waits for a returned promise. */
  readonly before?: (event: FaultEvent) => void | Promise<void>;
  /** Fail with this error; `true` fails with an injected internal error. Default: true unless `before` is given. */
  readonly fail?: SnowflakeError | boolean;
}

export interface InjectedFault {
  /** How many matching occurrences have been seen so far. */
  readonly seen: number;
  readonly fired: boolean;
  remove(): void;
}

interface Entry extends InjectedFault {
  readonly spec: FaultSpec;
  seen: number;
  fired: boolean;
}

export class Faults {
  private readonly entries: Entry[] = [];

  inject(spec: FaultSpec): InjectedFault {
    const entry: Entry = {
      spec,
      seen: 0,
      fired: false,
      remove: () => {
        const index = this.entries.indexOf(entry);
        if (index >= 0) this.entries.splice(index, 1);
      },
    };
    this.entries.push(entry);
    return entry;
  }

  clear(): void {
    this.entries.splice(0);
  }

  /** Before a statement runs: throws, or returns a promise to wait for, or nothing. */
  beforeStatement(event: FaultEvent): void | Promise<void> {
    if (this.entries.length === 0) return undefined;
    const due = this.due((site) => "statement" in site && site.statement.test(event.text));
    if (due.length === 0) return undefined;
    const waits: Promise<void>[] = [];
    for (const entry of due) {
      const waited = entry.spec.before?.(event);
      if (waited instanceof Promise) waits.push(waited);
    }
    const failure = due.map((entry) => failureOf(entry.spec, event.text)).find((e) => e !== undefined);
    if (waits.length === 0) {
      if (failure !== undefined) throw failure;
      return undefined;
    }
    return Promise.all(waits).then(() => {
      if (failure !== undefined) throw failure;
    });
  }

  /** When a catalog function is evaluated. */
  atFunction(name: string): void {
    this.failSync((site) => "function" in site && site.function.toUpperCase() === name.toUpperCase(), `the function ${name}`);
  }

  /** When a table or view is read or written. */
  atRelation(schema: string, name: string): void {
    this.failSync((site) => "relation" in site && site.relation.toUpperCase() === `${schema}.${name}`.toUpperCase(), `${schema}.${name}`);
  }

  private failSync(match: (site: FaultSite) => boolean, what: string): void {
    if (this.entries.length === 0) return;
    for (const entry of this.due(match)) {
      entry.spec.before?.({ text: what, depth: -1 });
      const failure = failureOf(entry.spec, what);
      if (failure !== undefined) throw failure;
    }
  }

  private due(match: (site: FaultSite) => boolean): Entry[] {
    const due: Entry[] = [];
    for (const entry of this.entries) {
      if (entry.fired || !match(entry.spec.at)) continue;
      entry.seen++;
      if (entry.seen === (entry.spec.nth ?? 1)) {
        entry.fired = true;
        due.push(entry);
      }
    }
    return due;
  }
}

function failureOf(spec: FaultSpec, what: string): SnowflakeError | undefined {
  const fail = spec.fail ?? spec.before === undefined;
  if (fail === false) return undefined;
  if (fail instanceof SnowflakeError) return fail;
  return new SnowflakeError("000603", "XX000", `SQL execution internal error: injected fault at ${what.length > 80 ? what.slice(0, 77) + "..." : what}`);
}
