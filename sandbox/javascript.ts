/**
 * Runs the body of a JavaScript stored procedure the way Snowflake does: as the body of a
 * function, in a fresh global scope, with the synchronous `snowflake` object, the arguments as
 * upper-case globals, and a time limit. Statements the body runs go to a StatementExecutor,
 * which may itself run procedures (a CALL inside a procedure nests).
 */
import * as vm from "node:vm";
import { SnowflakeError, type BindValue, type QueryResult } from "./types";

export interface StatementExecutor {
  /** Runs one statement synchronously; throws SnowflakeError. */
  execute(sqlText: string, binds: readonly BindValue[]): QueryResult;
}

export interface ProcedureArgument {
  readonly name: string;
  readonly value: unknown;
}

export interface RunOptions {
  /** Wall-clock limit for the whole call, nested calls included. Default 10 s. */
  readonly timeoutMs?: number;
}

/** Snowflake answers a procedure that returns a Promise or a function with an error; so do we. */
function checkReturn(value: unknown, procedure: string): void {
  if (value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function") {
    throw new SnowflakeError("100132", "P0000", `JavaScript execution error: ${procedure} returned a Promise; procedures must return synchronously.`);
  }
  if (typeof value === "function") {
    throw new SnowflakeError("100132", "P0000", `JavaScript execution error: ${procedure} returned a function.`);
  }
}

/** Copies a value into the outer realm as JSON-compatible data (a VARIANT). */
function toVariant(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v)) ?? "null");
}

const BIND_TYPES = new Set(["string", "number", "boolean"]);

/**
 * Runs `body` and returns what it returns, as a VARIANT. A JavaScript error escaping the body
 * becomes Snowflake's "JavaScript execution error" (100132); an SQL error the body did not
 * catch keeps its own code.
 */
export function runJavaScriptProcedure(
  procedure: string,
  body: string,
  args: readonly ProcedureArgument[],
  executor: StatementExecutor,
  options: RunOptions = {},
): unknown {
  const context = vm.createContext(Object.create(null) as object, { name: procedure });
  // Objects handed to the body must be built with the body's own constructors, or
  // `instanceof Error` / `instanceof Date` are false inside the procedure.
  const realm = vm.runInContext("({ Error, Date, JSON, Object })", context) as {
    Error: ErrorConstructor;
    Date: DateConstructor;
    JSON: JSON;
    Object: ObjectConstructor;
  };
  const inside = (value: unknown): unknown => {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) return new realm.Date(value.getTime());
    if (typeof value === "object") return realm.JSON.parse(JSON.stringify(value));
    return value;
  };
  const sqlError = (e: unknown): Error => {
    const error = new realm.Error(e instanceof Error ? e.message : String(e)) as Error & { code?: string; state?: string };
    if (e instanceof SnowflakeError) {
      error.code = e.code;
      error.state = e.sqlState;
    }
    return error;
  };
  const toBinds = (binds: unknown): BindValue[] => {
    if (binds === undefined || binds === null) return [];
    if (!Array.isArray(binds)) throw sqlError(new SnowflakeError("100183", "P0000", "Bind variables must be given as an array."));
    return binds.map((b, i) => {
      if (b === undefined) throw sqlError(new SnowflakeError("100183", "P0000", `Invalid binds argument: bind ${i + 1} is undefined.`));
      if (b === null || BIND_TYPES.has(typeof b)) return b as BindValue;
      if (b instanceof Date || Object.prototype.toString.call(b) === "[object Date]") return new Date((b as Date).getTime());
      throw sqlError(new SnowflakeError("100183", "P0000", `Invalid binds argument: bind ${i + 1} has unsupported type ${typeof b}.`));
    });
  };

  const makeResultSet = (result: QueryResult, queryId: string) => {
    let row = -1;
    const columnIndex = (column: unknown): number => {
      if (typeof column === "number") {
        if (column < 1 || column > result.columns.length || !Number.isInteger(column)) {
          throw sqlError(new SnowflakeError("100185", "P0000", `Invalid column index ${column}.`));
        }
        return column - 1;
      }
      const index = result.columns.findIndex((c) => c.name === String(column) || c.name === String(column).toUpperCase());
      if (index < 0) throw sqlError(new SnowflakeError("100185", "P0000", `Given column name/index does not exist: ${String(column)}.`));
      return index;
    };
    const value = (column: unknown): unknown => {
      if (row < 0 || row >= result.rows.length) throw sqlError(new SnowflakeError("100183", "P0000", "ResultSet is empty or not prepared (call next() first)."));
      return result.rows[row][columnIndex(column)];
    };
    return {
      next: () => {
        row++;
        return row < result.rows.length;
      },
      getColumnValue: (column: unknown) => inside(value(column)),
      getColumnValueAsString: (column: unknown) => {
        const v = value(column);
        if (v === null || v === undefined) return "";
        if (v instanceof Date) return v.toISOString().replace("T", " ").replace("Z", "");
        return typeof v === "object" ? JSON.stringify(v) : String(v);
      },
      getColumnCount: () => result.columns.length,
      getColumnName: (column: number) => result.columns[columnIndex(column)].name,
      getRowCount: () => result.rows.length,
      getQueryId: () => queryId,
      getNumRowsAffected: () => result.rowsAffected ?? -1,
    };
  };

  let counter = 0;
  const run = (sqlText: unknown, binds: unknown): { result: QueryResult; queryId: string } => {
    if (typeof sqlText !== "string" || sqlText.trim().length === 0) {
      throw sqlError(new SnowflakeError("100183", "P0000", "sqlText must be a non-empty string."));
    }
    const bound = toBinds(binds);
    try {
      counter++;
      return { result: executor.execute(sqlText, bound), queryId: `${procedure}-${counter}` };
    } catch (e) {
      throw sqlError(e);
    }
  };

  const commandOf = (command: unknown): { sqlText?: unknown; binds?: unknown } => {
    if (command === null || typeof command !== "object") throw sqlError(new SnowflakeError("100183", "P0000", "Expected an object {sqlText, binds}."));
    return command as { sqlText?: unknown; binds?: unknown };
  };

  const snowflake = {
    execute: (command: unknown) => {
      const { sqlText, binds } = commandOf(command);
      const { result, queryId } = run(sqlText, binds);
      return makeResultSet(result, queryId);
    },
    createStatement: (command: unknown) => {
      const { sqlText, binds } = commandOf(command);
      let executed: { result: QueryResult; queryId: string } | undefined;
      const needsRun = () => {
        if (executed === undefined) throw sqlError(new SnowflakeError("100183", "P0000", "Statement has not been executed yet."));
        return executed;
      };
      return {
        execute: () => {
          executed = run(sqlText, binds);
          return makeResultSet(executed.result, executed.queryId);
        },
        getSqlText: () => sqlText,
        getColumnCount: () => needsRun().result.columns.length,
        getColumnName: (column: number) => {
          const columns = needsRun().result.columns;
          if (column < 1 || column > columns.length) throw sqlError(new SnowflakeError("100185", "P0000", `Invalid column index ${column}.`));
          return columns[column - 1].name;
        },
        getColumnType: (column: number) => needsRun().result.columns[column - 1]?.type.toLowerCase(),
        getRowCount: () => needsRun().result.rows.length,
        getNumRowsAffected: () => needsRun().result.rowsAffected ?? -1,
        getQueryId: () => needsRun().queryId,
      };
    },
    log: () => undefined,
    addEvent: () => undefined,
    setSpanAttribute: () => undefined,
  };

  const globals = context as Record<string, unknown>;
  globals.snowflake = snowflake;
  for (const arg of args) globals[arg.name.toUpperCase()] = inside(arg.value);

  let script: vm.Script;
  try {
    script = new vm.Script(`(function () {\n${body}\n})()`, { filename: `${procedure}.js`, lineOffset: -1 });
  } catch (e) {
    throw new SnowflakeError("100131", "P0000", `JavaScript compilation error: ${(e as Error).message}`);
  }
  let returned: unknown;
  try {
    returned = script.runInContext(context, { timeout: options.timeoutMs ?? 10_000, displayErrors: false });
  } catch (e) {
    // As in Snowflake, anything escaping the body (an SQL error it did not catch included)
    // fails the CALL with a JavaScript execution error that quotes the cause.
    const message = String((e as { message?: unknown })?.message ?? e);
    if (message.startsWith("Script execution timed out")) {
      throw new SnowflakeError("100132", "P0000", `JavaScript execution error: ${procedure} did not finish within ${options.timeoutMs ?? 10_000} ms.`);
    }
    throw new SnowflakeError("100132", "P0000", `JavaScript execution error: Uncaught ${message} in ${procedure}.`);
  }
  checkReturn(returned, procedure);
  return toVariant(returned);
}
