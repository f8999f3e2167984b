/**
 * JavaScript stored procedures: the data that crosses between the host and a procedure's
 * node:vm context, and a synchronous runner for test doubles.
 *
 * A procedure body runs in a fresh context with the `snowflake` API built inside that context
 * (vm-context-api.js) and nothing of the host reachable; it reaches the host only through one
 * function that takes and returns JSON text. This module encodes and decodes that text. The
 * sandbox runs procedures in worker threads (vm-host.ts), so a runaway body never blocks other
 * sessions; `runJavaScriptProcedure` runs one in the calling thread instead, for callers that
 * must stay synchronous (the tests' fake Snowflake). In the calling thread, the caller's own
 * frames lie below the body's on the stack, and a body that installs Error.prepareStackTrace
 * sees the function of any that is not strict-mode code; in the sandbox's workers every such
 * frame is strict. Use the in-thread runner for code you trust as much as its caller.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS module typed with `export =` (vm-engine.d.cts), loaded as is by the workers too
import engine = require("./vm-engine.cjs");
import { SnowflakeError, type BindValue, type QueryResult } from "./types";

export type { Invocation, Outcome, WireArgument } from "./vm-engine.cjs";

/** A trace event a procedure added with `snowflake.addEvent`. */
export interface TraceEvent {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

export interface StatementExecutor {
  /**
   * Runs one statement synchronously; throws SnowflakeError. `events` are the trace events the
   * procedure added since its previous statement.
   */
  execute(sqlText: string, binds: readonly BindValue[], events: readonly TraceEvent[]): QueryResult;
}

export interface ProcedureArgument {
  readonly name: string;
  readonly value: unknown;
}

export interface RunOptions {
  /** Wall-clock limit for the whole call, nested calls included. Default 10 s. */
  readonly timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Arguments as they cross into a context: upper-case global names, JSON values, dates as milliseconds. */
export function encodeArguments(args: readonly ProcedureArgument[]): engine.WireArgument[] {
  return args.map((arg) => {
    const name = arg.name.toUpperCase();
    if (arg.value instanceof Date) return { name, date: arg.value.getTime() };
    return { name, value: arg.value === undefined ? null : toJsonValue(arg.value) };
  });
}

/** A statement request from a context: `{sql, binds, events}` with dates as `{"$date": ms}`. */
export function decodeRequest(text: string): { sql: string; binds: BindValue[]; events: TraceEvent[] } {
  const data = JSON.parse(text) as { sql?: unknown; binds?: unknown; events?: unknown };
  if (typeof data.sql !== "string" || !Array.isArray(data.binds)) throw new SnowflakeError("100183", "P0000", "Malformed statement request.");
  const events = data.events === undefined ? [] : data.events;
  if (!Array.isArray(events) || !events.every(isTraceEvent)) throw new SnowflakeError("100183", "P0000", "Malformed statement request.");
  const binds = data.binds.map((bind: unknown, i): BindValue => {
    if (bind === null || typeof bind === "string" || typeof bind === "number" || typeof bind === "boolean") return bind;
    const date = (bind as { $date?: unknown }).$date;
    if (typeof bind === "object" && typeof date === "number") return new Date(date);
    throw new SnowflakeError("100183", "P0000", `Invalid binds argument: bind ${i + 1} has an unsupported type.`);
  });
  return { sql: data.sql, binds, events };
}

function isTraceEvent(value: unknown): value is TraceEvent {
  const event = value as { name?: unknown; attributes?: unknown } | null;
  if (event === null || typeof event !== "object" || typeof event.name !== "string") return false;
  const attributes = event.attributes;
  if (attributes === null || typeof attributes !== "object" || Array.isArray(attributes)) return false;
  return Object.values(attributes).every((v) => typeof v === "string" || typeof v === "number" || typeof v === "boolean");
}

/** A statement's result as the context reads it: dates as milliseconds, binary as hex. */
export function encodeReply(result: QueryResult): string {
  return JSON.stringify({
    ok: true,
    columns: result.columns.map((c) => ({ name: c.name, type: c.type })),
    rows: result.rows.map((row) => row.map((value) => toWireValue(value))),
    rowsAffected: result.rowsAffected ?? null,
  });
}

/** A statement's failure as the context reads it; anything but a SnowflakeError is an internal error. */
export function encodeFailure(error: unknown): string {
  const failure = error instanceof SnowflakeError ? error : new SnowflakeError("000603", "XX000", `SQL execution internal error: ${error instanceof Error ? error.message : String(error)}`);
  return JSON.stringify({ ok: false, code: failure.code, state: failure.sqlState, message: failure.message });
}

/** The procedure's answer, or the error that fails its CALL. */
export function outcomeValue(outcome: engine.Outcome): unknown {
  if (outcome.kind === "error") throw new SnowflakeError(outcome.code, outcome.state, outcome.message);
  return outcome.value;
}

function toWireValue(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (value === undefined) return null;
  return value;
}

function toJsonValue(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v)) ?? "null");
}

/**
 * Runs `body` in this thread and returns what it returns, as a VARIANT. A JavaScript error
 * escaping the body becomes Snowflake's "JavaScript execution error" (100132); a body that does
 * not compile, 100131. The executor may run procedures itself (a CALL inside a procedure nests).
 */
export function runJavaScriptProcedure(
  procedure: string,
  body: string,
  args: readonly ProcedureArgument[],
  executor: StatementExecutor,
  options: RunOptions = {},
): unknown {
  const limitMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const budget: engine.Budget = { deadline: Date.now() + limitMs, limitMs, running: [] };
  const hostCall = (request: string): string => {
    try {
      const { sql, binds, events } = decodeRequest(request);
      return encodeReply(executor.execute(sql, binds, events));
    } catch (error) {
      return encodeFailure(error);
    }
  };
  return outcomeValue(engine.runProcedure({ procedure, body, args: encodeArguments(args) }, budget, hostCall));
}
