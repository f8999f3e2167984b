/**
 * The part of Snowflake's JavaScript stored-procedure API that floe's procedures use, and the
 * one adapter from it to `SqlRunner`. Compiled into the stored procedures.
 */

export interface SnowflakeResultSet {
  next(): boolean;
  getColumnValue(column: number | string): unknown;
}

export interface SnowflakeStatement {
  execute(): SnowflakeResultSet;
  getColumnCount(): number;
  getColumnName(column: number): string;
  getNumRowsAffected(): number;
}

export interface SnowflakeCommand {
  sqlText: string;
  binds?: unknown[];
}

/** Attributes of a trace event: Snowflake records them in the event table when tracing is on. */
export type TraceAttributes = Readonly<Record<string, string | number | boolean>>;

/** The `snowflake` object Snowflake gives every JavaScript procedure. */
export interface SnowflakeApi {
  createStatement(command: SnowflakeCommand): SnowflakeStatement;
  execute(command: SnowflakeCommand): SnowflakeResultSet;
  /** Adds a trace event to the procedure's span; a no-op unless the account traces. */
  addEvent(name: string, attributes?: TraceAttributes): void;
}

/** The name of the trace event that tags each lifecycle statement with what it is for. */
export const STATEMENT_EVENT = "floe.statement";

/**
 * What a lifecycle statement is for, as the code that issues it says (lifecycle/sql-ports.ts),
 * sent as a {@link STATEMENT_EVENT} trace event just before the statement: a reader of the
 * statements (`floe simulate`, the tests, an account's event table) learns each one's purpose
 * from its caller, never by recognising SQL text. Values are names and statuses, never
 * configuration or procedure arguments.
 */
export type StatementTag =
  /** The first read of a call: privileges held, the status row and, with Task Reactor, the instances. */
  | { readonly step: "read"; readonly privileges: string; readonly instances: boolean }
  | { readonly step: "status read" }
  /** A compare-and-set of the status fields; `expected*` are left out when they were not set. */
  | {
      readonly step: "status write";
      readonly status: string;
      readonly configurationStatus?: string;
      readonly expectedStatus?: string;
      readonly expectedConfigurationStatus?: string;
    }
  | { readonly step: "call"; readonly procedure: string }
  | { readonly step: "queue command"; readonly instance: string; readonly command: string }
  | { readonly step: "resume task"; readonly instance: string }
  | { readonly step: "streams recreation recorded"; readonly instance: string }
  | { readonly step: "stream recreate"; readonly instance: string; readonly stream: string }
  | { readonly step: "scheduler"; readonly action: "resume" | "suspend" }
  | { readonly step: "config save"; readonly key: string }
  | { readonly step: "config read"; readonly key: string }
  | { readonly step: "prerequisite update"; readonly id: string; readonly completed: boolean }
  | { readonly step: "prerequisites complete" };

export type SqlRow = Record<string, unknown>;

/**
 * Runs statements synchronously. Every call is one statement (one round trip) inside Snowflake;
 * a tag says what the statement is for (see {@link StatementTag}).
 */
export interface SqlRunner {
  /** Runs a statement and returns its rows. */
  query(sqlText: string, binds?: readonly unknown[], tag?: StatementTag): SqlRow[];
  /** Runs a DML statement and returns the number of rows it changed. */
  update(sqlText: string, binds?: readonly unknown[], tag?: StatementTag): number;
}

/** Runs one statement, sent after the trace event that tags it. */
function execute(snowflake: SnowflakeApi, sqlText: string, binds: readonly unknown[] | undefined, tag: StatementTag | undefined) {
  if (tag !== undefined) snowflake.addEvent(STATEMENT_EVENT, tag);
  const command: SnowflakeCommand = { sqlText: sqlText };
  if (binds !== undefined && binds.length > 0) command.binds = binds.slice();
  const statement = snowflake.createStatement(command);
  return { statement: statement, resultSet: statement.execute() };
}

/**
 * Runs a query through the `snowflake` object: rows come back as objects keyed by the column
 * names Snowflake reports (upper case unless quoted).
 */
export function queryRows(snowflake: SnowflakeApi, sqlText: string, binds?: readonly unknown[], tag?: StatementTag): SqlRow[] {
  const { statement, resultSet } = execute(snowflake, sqlText, binds, tag);
  const names: string[] = [];
  const count = statement.getColumnCount();
  for (let i = 1; i <= count; i++) names.push(statement.getColumnName(i));
  const rows: SqlRow[] = [];
  while (resultSet.next()) {
    const row: SqlRow = {};
    for (let i = 0; i < names.length; i++) row[names[i]] = resultSet.getColumnValue(i + 1);
    rows.push(row);
  }
  return rows;
}

/** The reading half of a SqlRunner, for a procedure that only reads: its body carries no update. */
export function queryRunner(snowflake: SnowflakeApi): Pick<SqlRunner, "query"> {
  return { query: (sqlText, binds, tag) => queryRows(snowflake, sqlText, binds, tag) };
}

/** Adapts the `snowflake` object to SqlRunner. */
export function snowflakeRunner(snowflake: SnowflakeApi): SqlRunner {
  return { ...queryRunner(snowflake), update: (sqlText, binds, tag) => execute(snowflake, sqlText, binds, tag).statement.getNumRowsAffected() };
}
