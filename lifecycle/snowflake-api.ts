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

/** The `snowflake` object Snowflake gives every JavaScript procedure. */
export interface SnowflakeApi {
  createStatement(command: SnowflakeCommand): SnowflakeStatement;
  execute(command: SnowflakeCommand): SnowflakeResultSet;
}

export type SqlRow = Record<string, unknown>;

/** Runs statements synchronously. Every call is one statement (one round trip) inside Snowflake. */
export interface SqlRunner {
  /** Runs a statement and returns its rows. */
  query(sqlText: string, binds?: readonly unknown[]): SqlRow[];
  /** Runs a DML statement and returns the number of rows it changed. */
  update(sqlText: string, binds?: readonly unknown[]): number;
}

function command(sqlText: string, binds: readonly unknown[] | undefined): SnowflakeCommand {
  const result: SnowflakeCommand = { sqlText: sqlText };
  if (binds !== undefined && binds.length > 0) result.binds = binds.slice();
  return result;
}

/**
 * Adapts the `snowflake` object to SqlRunner: rows come back as objects keyed by the column
 * names Snowflake reports (upper case unless quoted).
 */
export function snowflakeRunner(snowflake: SnowflakeApi): SqlRunner {
  return {
    query(sqlText: string, binds?: readonly unknown[]): SqlRow[] {
      const statement = snowflake.createStatement(command(sqlText, binds));
      const resultSet = statement.execute();
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
    },
    update(sqlText: string, binds?: readonly unknown[]): number {
      const statement = snowflake.createStatement(command(sqlText, binds));
      statement.execute();
      return statement.getNumRowsAffected();
    },
  };
}
