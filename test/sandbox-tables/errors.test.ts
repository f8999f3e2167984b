/** DuckDB error text → Snowflake code/state, as the table store reports run-time failures. */
import { describe, expect, it } from "vitest";

import { fromDuckDB } from "../../sandbox/tables/errors";
import { UnsupportedError } from "../../sandbox/types";

describe("fromDuckDB", () => {
  it.each([
    ['Conversion Error: Could not convert string "abc" to DECIMAL(38,0)', "100038", "22018", "Numeric value 'abc' is not recognized"],
    ["Conversion Error: Could not convert string 'x' to INT32", "100038", "22018", "Numeric value 'x' is not recognized"],
    ["Conversion Error: invalid date field format: \"nope\", expected format is (YYYY-MM-DD)", "100040", "22007", "Date"],
    ["Conversion Error: invalid timestamp field format: \"nope\"", "100035", "22007", "Timestamp"],
    ["Constraint Error: NOT NULL constraint failed: T.ID", "100072", "22000", "NULL result in a non-nullable column"],
    ["Constraint Error: CHECK constraint failed on table T with expression CHECK((length(S) <= 3))", "100078", "22000", "too long"],
    ['Invalid Input Error: Malformed JSON at byte 1 of input: unexpected character.  Input: "{bad"', "100069", "22P02", "Error parsing JSON"],
    ["Invalid Input Error: Division by zero", "100051", "22012", "Division by zero"],
    ["Invalid Input Error: More than one row returned by a subquery used as an expression", "090150", "22000", "Single-row subquery"],
    ["Out of Range Error: Overflow in multiplication of DECIMAL(18) (1 * 2)", "100039", "22003", "out of range"],
    ['Binder Error: Referenced column "NOPE" not found in FROM clause!', "000904", "42000", "invalid identifier 'NOPE'"],
    ["Binder Error: No function matches the given name and argument types 'lower(INTEGER)'.", "001044", "42P13", "Invalid argument types"],
    ["Catalog Error: Table with name X does not exist!", "002003", "02000", "does not exist"],
    ["INTERRUPT Error: Interrupted!", "000604", "57014", "SQL execution canceled"],
    ["Parser Error: syntax error at or near \"x\"", "001003", "42000", "invalid DuckDB SQL"],
    ["IO Error: something else entirely", "100000", "22000", "something else entirely"],
  ])("%s → %s", (message, code, state, text) => {
    const error = fromDuckDB(message + "\n\nLINE 1: ...");
    expect([error.code, error.sqlState]).toEqual([code, state]);
    expect(error.message).toContain(text);
    expect(error.message).toContain("DuckDB: " + message);
  });

  it("reports an aborted DuckDB transaction as a sandbox limitation", () => {
    expect(fromDuckDB("TransactionContext Error: Current transaction is aborted (please ROLLBACK)")).toBeInstanceOf(UnsupportedError);
  });
});
