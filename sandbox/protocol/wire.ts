/**
 * Conversions between the sandbox's JavaScript values and the JSON wire format of Snowflake's
 * query-request endpoint, as snowflake-sdk 3.3.0 writes and reads it. Paths in comments are
 * relative to node_modules/snowflake-sdk/dist/lib.
 *
 * Pure functions only: server.ts decides when to call them and how to report what they throw.
 */
import { type BindValue, type QueryResult, type ResultColumn, type SnowflakeType, SnowflakeError, UnsupportedError } from "../types";

/** Thrown for results the backend should never have produced; the server reports it as 000603. */
export class BackendContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackendContractError";
  }
}

// ---------------------------------------------------------------------------------------------
// Binds
// ---------------------------------------------------------------------------------------------

interface WireBind {
  readonly type?: unknown;
  readonly value?: unknown;
}

/**
 * Decodes `bindings: {"1": {type, value}, ...}` into values in placeholder order.
 *
 * The driver numbers binds from 1 for both `?` and `:1` placeholders
 * (connection/statement.js, buildBindsMap), so the key order is the only order there is; which
 * placeholder syntax the text used is the backend's business.
 *
 * What the driver actually sends: booleans as BOOLEAN "true"/"false", integers as FIXED,
 * other numbers as REAL, objects and arrays as VARIANT (JSON text), and everything else,
 * including a JS Date (as its toJSON() ISO string), as TEXT. A Date therefore arrives as a
 * string, exactly as it reaches real Snowflake, which then casts it implicitly. The DATE and
 * TIMESTAMP_* types are decoded for clients that send them (JDBC-style epoch values).
 */
export function decodeBindings(bindings: unknown): BindValue[] {
  if (bindings === undefined || bindings === null) return [];
  if (typeof bindings !== "object" || Array.isArray(bindings)) {
    throw new BackendContractError("query-request 'bindings' must be an object keyed by position");
  }
  const entries = Object.entries(bindings as Record<string, unknown>);
  const byPosition = new Map<number, WireBind>();
  for (const [key, bind] of entries) {
    const position = Number(key);
    if (!Number.isInteger(position) || position < 1 || String(position) !== key) {
      throw new BackendContractError(`bind key '${key}' is not a 1-based position`);
    }
    if (typeof bind !== "object" || bind === null) {
      throw new BackendContractError(`bind ${key} is not an object with type and value`);
    }
    byPosition.set(position, bind as WireBind);
  }
  const values: BindValue[] = [];
  for (let position = 1; position <= byPosition.size; position++) {
    const bind = byPosition.get(position);
    if (bind === undefined) throw new BackendContractError(`bind positions are not contiguous: ${position} is missing`);
    values.push(decodeBind(position, bind));
  }
  return values;
}

function decodeBind(position: number, bind: WireBind): BindValue {
  const type = typeof bind.type === "string" ? bind.type.toUpperCase() : "TEXT";
  const value = bind.value;
  // Array binding (one statement, many rows) puts an array in every value.
  if (Array.isArray(value)) throw new UnsupportedError("array binds (bulk insert with an array of rows)");
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") {
    throw new BackendContractError(`bind ${position}: value must be a string or null, got ${typeof value}`);
  }
  switch (type) {
    case "TEXT":
      return value;
    case "FIXED":
    case "REAL": {
      const trimmed = value.trim();
      const number = Number(trimmed);
      if (trimmed === "" || (Number.isNaN(number) && trimmed !== "NaN")) {
        throw new SnowflakeError("100038", "22018", `Numeric value '${value}' is not recognized`);
      }
      return number;
    }
    case "BOOLEAN": {
      const lower = value.trim().toLowerCase();
      if (lower === "true" || lower === "1") return true;
      if (lower === "false" || lower === "0") return false;
      throw new SnowflakeError("100037", "22018", `Boolean value '${value}' is not recognized`);
    }
    case "DATE":
      // JDBC sends a DATE as milliseconds since the epoch at UTC midnight.
      return parseTemporalBind(position, value, 1);
    case "TIMESTAMP_NTZ":
    case "TIMESTAMP_LTZ":
    case "TIMESTAMP_TZ":
    case "TIMESTAMP":
      // Epoch nanoseconds; TIMESTAMP_TZ appends " <offset minutes + 1440>", which a Date
      // (an instant) has no place for, so only the instant is kept.
      return parseTemporalBind(position, value.split(" ")[0] ?? value, 1e-6);
    case "VARIANT":
    case "OBJECT":
    case "ARRAY":
      throw new UnsupportedError(`${type} binds (bind the JSON text as a string and use PARSE_JSON(?))`);
    default:
      throw new UnsupportedError(`${type} binds`);
  }
}

/** Epoch numbers scaled to milliseconds by `toMillis`, or an ISO-8601 string. */
function parseTemporalBind(position: number, value: string, toMillis: number): Date {
  const text = value.trim();
  const date = /^[+-]?\d+$/.test(text) ? new Date(Math.floor(Number(text) * toMillis)) : new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new SnowflakeError("100035", "22007", `Timestamp '${value}' is not recognized (bind ${position})`);
  }
  return date;
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

/** One entry of `rowtype`, in the shape Snowflake sends (connection/result/column.js reads it). */
export interface WireColumn {
  readonly name: string;
  readonly database: string;
  readonly schema: string;
  readonly table: string;
  readonly type: string;
  readonly nullable: boolean;
  readonly precision: number | null;
  readonly scale: number | null;
  readonly length: number | null;
  readonly byteLength: number | null;
  readonly collation: null;
}

export interface WireResult {
  readonly rowtype: WireColumn[];
  readonly rowset: (string | null)[][];
  /** Only for DML: the driver's getNumUpdatedRows() returns -1 unless this is a DML type id. */
  readonly statementTypeId?: number;
}

/**
 * Statement type ids the driver recognises as DML (connection/result/statement_type.js);
 * Result.getNumUpdatedRows (connection/result/result.js) sums every column of every row, but
 * only for these ids.
 */
const DML_TYPE_IDS: Readonly<Record<string, number>> = {
  INSERT: 0x3100,
  UPDATE: 0x3200,
  DELETE: 0x3300,
  MERGE: 0x3400,
};

/** Snowflake's own column names for DML counts, used when the backend gives no columns. */
const DML_COUNT_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  INSERT: ["number of rows inserted"],
  UPDATE: ["number of rows updated", "number of multi-joined rows updated"],
  DELETE: ["number of rows deleted"],
};

export function encodeResult(result: QueryResult, sqlText: string): WireResult {
  let columns: readonly ResultColumn[] = result.columns;
  let rows: readonly (readonly unknown[])[] = result.rows;
  let statementTypeId: number | undefined;

  if (result.rowsAffected !== undefined) {
    const affected = result.rowsAffected;
    if (!Number.isSafeInteger(affected) || affected < 0) {
      throw new BackendContractError(`rowsAffected must be a non-negative integer, got ${affected}`);
    }
    const keyword = leadingKeyword(sqlText);
    // A DML the server cannot classify (e.g. behind a CTE) is reported as an INSERT: any of the
    // DML ids makes the driver sum the counts, and the sum is all the driver exposes.
    statementTypeId = DML_TYPE_IDS[keyword] ?? DML_TYPE_IDS.INSERT;
    if (columns.length === 0) {
      const names = DML_COUNT_COLUMNS[keyword] ?? ["number of rows affected"];
      columns = names.map((name) => ({ name, type: "FIXED", nullable: false, precision: 19, scale: 0 }));
      rows = [names.map((_, index) => (index === 0 ? affected : 0))];
    } else {
      // The driver would report the sum of these cells, so a backend that names its own count
      // columns must agree with its own rowsAffected.
      let sum = 0;
      for (const row of rows) for (const cell of row) sum += Number(cell);
      if (sum !== affected) {
        throw new BackendContractError(`rowsAffected is ${affected} but the DML result columns add up to ${sum}`);
      }
    }
  }

  const rowtype = columns.map(encodeColumn);
  const rowset = rows.map((row, rowIndex) => {
    if (row.length !== columns.length) {
      throw new BackendContractError(`row ${rowIndex} has ${row.length} values for ${columns.length} columns`);
    }
    return columns.map((column, columnIndex) => encodeValue(column, row[columnIndex], rowIndex));
  });
  return statementTypeId === undefined ? { rowtype, rowset } : { rowtype, rowset, statementTypeId };
}

const MAX_TEXT = 16_777_216;
const MAX_BINARY = 8_388_608;

function encodeColumn(column: ResultColumn): WireColumn {
  const base = { name: column.name, database: "", schema: "", table: "", nullable: column.nullable, collation: null };
  switch (column.type) {
    case "FIXED":
      return { ...base, type: "fixed", precision: column.precision ?? 38, scale: column.scale ?? 0, length: null, byteLength: null };
    case "TIMESTAMP_NTZ":
      return { ...base, type: "timestamp_ntz", precision: 0, scale: timestampScale(column), length: null, byteLength: null };
    case "TEXT":
      return { ...base, type: "text", precision: null, scale: null, length: MAX_TEXT, byteLength: MAX_TEXT };
    case "BINARY":
      return { ...base, type: "binary", precision: null, scale: null, length: MAX_BINARY, byteLength: MAX_BINARY };
    case "VARIANT":
    case "OBJECT":
    case "ARRAY":
      // No `fields` entry: with it the driver would treat OBJECT/ARRAY as structured types and
      // expect typed field metadata (connection/result/data_types.js, isVariant).
      return { ...base, type: column.type.toLowerCase(), precision: null, scale: null, length: MAX_TEXT, byteLength: MAX_TEXT };
    case "REAL":
    case "BOOLEAN":
    case "DATE":
      return { ...base, type: column.type.toLowerCase(), precision: null, scale: null, length: null, byteLength: null };
    default:
      return assertNever(column.type);
  }
}

/** Snowflake's TIMESTAMP_NTZ defaults to 9 fractional digits; the backend may say fewer. */
function timestampScale(column: ResultColumn): number {
  const scale = column.scale;
  return scale !== undefined && Number.isInteger(scale) && scale >= 0 && scale <= 9 ? scale : 9;
}

/**
 * Encodes one cell as the string the driver converts back (connection/result/column.js):
 * numbers go through Number(), booleans accept "1"/"0", VARIANT/OBJECT/ARRAY through
 * JSON.parse, TIMESTAMP_NTZ is "<epoch seconds>.<fraction>" with `scale` digits, DATE is days
 * since the epoch, BINARY is hex (the BINARY_OUTPUT_FORMAT the server announces).
 */
function encodeValue(column: ResultColumn, value: unknown, rowIndex: number): string | null {
  if (value === null || value === undefined) return null;
  const fail = (expected: string): never => {
    const got = value instanceof Date ? "Date" : Array.isArray(value) ? "array" : typeof value;
    throw new BackendContractError(`column ${column.name} (${column.type}), row ${rowIndex}: expected ${expected}, got ${got}`);
  };
  switch (column.type) {
    case "FIXED":
      return encodeFixed(value, column.scale ?? 0, fail);
    case "REAL":
      // String(number) is the shortest text Number() maps back to the same double; the driver
      // passes "NaN" and "Infinity" to Number() too, where Snowflake's own "inf" would become NaN.
      if (typeof value !== "number") return fail("a number");
      return String(value);
    case "TEXT":
      if (typeof value !== "string") return fail("a string");
      return value;
    case "BOOLEAN":
      if (typeof value !== "boolean") return fail("a boolean");
      return value ? "1" : "0";
    case "VARIANT":
    case "OBJECT":
    case "ARRAY": {
      if (column.type === "OBJECT" && (typeof value !== "object" || Array.isArray(value) || value instanceof Date)) {
        return fail("a plain object");
      }
      if (column.type === "ARRAY" && !Array.isArray(value)) return fail("an array");
      let text: string | undefined;
      try {
        text = JSON.stringify(value);
      } catch (error) {
        return fail(`a JSON value (${(error as Error).message})`);
      }
      if (text === undefined) return fail("a JSON value");
      return text;
    }
    case "TIMESTAMP_NTZ":
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) return fail("a valid Date");
      return encodeEpochNanos(BigInt(value.getTime()) * 1_000_000n, timestampScale(column));
    case "DATE":
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) return fail("a valid Date");
      return String(Math.floor(value.getTime() / 86_400_000));
    case "BINARY":
      if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex").toUpperCase();
      if (typeof value === "string" && /^(?:[0-9a-fA-F]{2})*$/.test(value)) return value.toUpperCase();
      return fail("a Uint8Array or a hex string");
    default:
      return assertNever(column.type);
  }
}

function encodeFixed(value: unknown, scale: number, fail: (expected: string) => never): string {
  if (typeof value === "bigint") {
    return scale > 0 ? `${value}.${"0".repeat(scale)}` : value.toString();
  }
  if (typeof value === "string" && /^[+-]?\d+(?:\.\d+)?$/.test(value)) return value;
  if (typeof value !== "number" || !Number.isFinite(value)) return fail("a finite number, a bigint or a decimal string");
  // BigInt avoids the exponent notation String() uses from 1e21 up; toFixed rounds to the
  // column's scale as a NUMBER(p, s) cast would.
  if (scale === 0 && Number.isInteger(value)) return BigInt(value).toString();
  return value.toFixed(scale);
}

/** "<seconds>.<fraction>" with exactly `scale` fraction digits, truncated towards -infinity. */
function encodeEpochNanos(nanos: bigint, scale: number): string {
  const unit = 10n ** BigInt(9 - scale);
  let scaled = nanos / unit;
  if (nanos % unit !== 0n && nanos < 0n) scaled -= 1n;
  const negative = scaled < 0n;
  const magnitude = negative ? -scaled : scaled;
  const divisor = 10n ** BigInt(scale);
  const seconds = (magnitude / divisor).toString();
  const fraction = scale > 0 ? "." + (magnitude % divisor).toString().padStart(scale, "0") : "";
  return (negative ? "-" : "") + seconds + fraction;
}

function assertNever(type: never): never {
  throw new BackendContractError(`unknown column type ${String(type as SnowflakeType)}`);
}

// ---------------------------------------------------------------------------------------------
// Statement text
// ---------------------------------------------------------------------------------------------

/** The first keyword of a statement, upper case, after whitespace, comments and parentheses. */
export function leadingKeyword(sqlText: string): string {
  let index = 0;
  const text = sqlText;
  for (;;) {
    while (index < text.length && (/\s/.test(text[index] ?? "") || text[index] === "(")) index++;
    if (text.startsWith("--", index) || text.startsWith("//", index)) {
      const end = text.indexOf("\n", index);
      index = end === -1 ? text.length : end + 1;
    } else if (text.startsWith("/*", index)) {
      const end = text.indexOf("*/", index + 2);
      index = end === -1 ? text.length : end + 2;
    } else {
      break;
    }
  }
  const match = /^[A-Za-z_]+/.exec(text.slice(index));
  return match ? match[0].toUpperCase() : "";
}

/**
 * Which statements the driver routes to its file-transfer code: it looks only at the first
 * three characters of the trimmed text (util.js, isPutCommand / isGetCommand), comments and
 * all, so the server must use the same test to know which reply shape the driver will expect.
 */
export function driverFileCommand(sqlText: string): "PUT" | "GET" | undefined {
  const head = sqlText.trim().substring(0, 3).toUpperCase();
  return head === "PUT" || head === "GET" ? head : undefined;
}
