/**
 * Types shared by the parts of the embedded Snowflake sandbox: the table store (DuckDB and the
 * Snowflake-to-DuckDB translation), the catalog/executor, and the HTTP protocol server that the
 * real snowflake-sdk driver talks to.
 */

/** Column types as Snowflake reports them in a result's row type (lower case on the wire). */
export type SnowflakeType =
  | "FIXED"
  | "REAL"
  | "TEXT"
  | "BOOLEAN"
  | "VARIANT"
  | "OBJECT"
  | "ARRAY"
  | "TIMESTAMP_NTZ"
  | "DATE"
  | "BINARY";

export interface ResultColumn {
  /** The name Snowflake reports: upper case unless quoted in the query. */
  readonly name: string;
  readonly type: SnowflakeType;
  readonly nullable: boolean;
  /** FIXED only. */
  readonly precision?: number;
  readonly scale?: number;
}

/**
 * A statement's result with JavaScript values: FIXED and REAL as numbers, TEXT as strings,
 * BOOLEAN as booleans, VARIANT/OBJECT/ARRAY as parsed JSON values, TIMESTAMP_NTZ and DATE as
 * Date objects (UTC wall-clock), NULL as null.
 */
export interface QueryResult {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly (readonly unknown[])[];
  /** For DML: rows inserted + updated + deleted. */
  readonly rowsAffected?: number;
}

/** A bind value as the driver or a procedure passes it. */
export type BindValue = string | number | boolean | null | Date;

/** An error with Snowflake's shape: 6-digit code, SQL state, message. */
export class SnowflakeError extends Error {
  readonly code: string;
  readonly sqlState: string;
  constructor(code: string, sqlState: string, message: string) {
    super(message);
    this.name = "SnowflakeError";
    this.code = code;
    this.sqlState = sqlState;
  }
}

/** The sandbox's answer to anything it does not implement: never accepted and ignored. */
export class UnsupportedError extends SnowflakeError {
  constructor(what: string) {
    super("000002", "0A000", "unsupported by the floe sandbox: " + what);
    this.name = "UnsupportedError";
  }
}

/** Snowflake's "does not exist or not authorized" (002003, 02000). */
export function objectNotFound(kind: string, name: string): SnowflakeError {
  return new SnowflakeError("002003", "02000", `SQL compilation error:\n${kind} '${name}' does not exist or not authorized.`);
}

/** Snowflake's generic compilation error (001003, 42000) for text it cannot parse. */
export function syntaxError(detail: string): SnowflakeError {
  return new SnowflakeError("001003", "42000", "SQL compilation error:\n" + detail);
}
