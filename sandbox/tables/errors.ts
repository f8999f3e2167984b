/**
 * DuckDB failures → Snowflake-shaped errors. Code that catches and branches on Snowflake codes
 * (100038 bad number, 100072 NOT NULL violation, ...) should behave here as it will in an
 * account, so each DuckDB error class is given the code Snowflake uses for the same situation.
 * The DuckDB text is kept in the message: it is what explains the failure when the mapping is
 * only approximate.
 */
import { SnowflakeError, UnsupportedError } from "../types";

function firstLine(message: string): string {
  return message.split("\n")[0]!.trim();
}

function quotedValue(message: string): string | undefined {
  return (
    /string ['"](.*?)['"] to/.exec(message)?.[1] ??
    /value to \w+: "(.*?)"/.exec(message)?.[1] ??
    /format: "(.*?)"/.exec(message)?.[1]
  );
}

export function fromDuckDB(message: string): SnowflakeError {
  const line = firstLine(message);
  const duck = ` (DuckDB: ${line})`;
  const body = line.replace(/^[\w ]+ Error: /, "");

  if (/^INTERRUPT Error/.test(line)) return new SnowflakeError("000604", "57014", "SQL execution canceled" + duck);
  if (/^TransactionContext Error: Current transaction is aborted/.test(line)) {
    return new UnsupportedError(
      "continuing a transaction after one of its statements failed (Snowflake keeps the transaction open; " +
        "the DuckDB engine has aborted it, so ROLLBACK first)",
    );
  }
  if (/^Constraint Error: NOT NULL constraint failed/.test(line)) {
    return new SnowflakeError("100072", "22000", "NULL result in a non-nullable column" + duck);
  }
  if (/^Constraint Error: CHECK constraint failed/.test(line)) {
    return new SnowflakeError("100078", "22000", "String is too long and would be truncated" + duck);
  }
  if (/Malformed JSON/.test(line)) return new SnowflakeError("100069", "22P02", "Error parsing JSON: " + body + duck);
  if (/More than one row returned by a subquery/.test(line)) {
    return new SnowflakeError("090150", "22000", "Single-row subquery returns more than one row." + duck);
  }
  if (/^Invalid Input Error: Division by zero/.test(line)) return new SnowflakeError("100051", "22012", "Division by zero" + duck);
  if (/^Invalid Input Error: Failed to cast variant value to (OBJECT|ARRAY)/.test(line)) {
    return new SnowflakeError("100070", "22000", body + duck);
  }
  if (/^Conversion Error/.test(line)) {
    const value = quotedValue(line);
    if (/timestamp/i.test(line)) return new SnowflakeError("100035", "22007", `Timestamp '${value ?? "?"}' is not recognized` + duck);
    if (/\bdate\b/i.test(line)) return new SnowflakeError("100040", "22007", `Date '${value ?? "?"}' is not recognized` + duck);
    if (/BOOL/.test(line)) return new SnowflakeError("100037", "22018", `Boolean value '${value ?? "?"}' is not recognized` + duck);
    if (/out of range|overflow/i.test(line)) return new SnowflakeError("100039", "22003", "Numeric value out of range" + duck);
    return new SnowflakeError("100038", "22018", `Numeric value '${value ?? "?"}' is not recognized` + duck);
  }
  if (/^Out of Range Error/.test(line)) return new SnowflakeError("100039", "22003", "Numeric value out of range" + duck);
  // The last form comes from the explicit alias every projection item gets: `SELECT "X" AS "X"`
  // with no column X reads to DuckDB as a reference to the alias being defined.
  if (/^Binder Error: (Referenced column|Values list .* does not have a column|Referenced table|Column ".*" referenced that exists in the SELECT clause)/.test(line)) {
    const name = /"([^"]+)"/.exec(line)?.[1] ?? "?";
    return new SnowflakeError("000904", "42000", `SQL compilation error:\ninvalid identifier '${name}'` + duck);
  }
  if (/^Binder Error: (No function matches|Cannot compare|Could not choose|Cannot mix|No operator matches)/.test(line)) {
    return new SnowflakeError("001044", "42P13", "SQL compilation error:\nInvalid argument types: " + body + duck);
  }
  if (/^Binder Error/.test(line)) return new SnowflakeError("001003", "42000", "SQL compilation error:\n" + body + duck);
  if (/^Catalog Error/.test(line)) return new SnowflakeError("002003", "02000", "SQL compilation error:\n" + body + duck);
  if (/^Parser Error/.test(line)) {
    // The translator produced SQL DuckDB cannot read: a sandbox bug, reported as such.
    return new SnowflakeError("001003", "42000", "SQL compilation error:\nfloe sandbox produced invalid DuckDB SQL" + duck);
  }
  return new SnowflakeError("100000", "22000", body + duck);
}
