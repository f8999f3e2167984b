/**
 * The sandbox's HTTP protocol layer through the real snowflake-sdk driver (harness.ts): result
 * sets as the driver reads them, and binds as the backend receives them.
 */
import { describe, expect, it } from "vitest";
import { connect, destroy, execute } from "../../snowflake/driver";
import { executeError } from "../helpers/driver";
import { useProtocolServer, ALL_TYPES, ALL_TYPES_EXPECTED, comparable, SELECT_ONE } from "./harness";

const h = useProtocolServer();
const { backend, post, rawLogin, tokenHeader } = h;

describe("results", () => {
  it("hands back every SnowflakeType exactly, NULL included", async () => {
    backend.answer("SELECT ALL TYPES", ALL_TYPES);
    const { statement, rows } = await execute(h.connection, "SELECT ALL TYPES");
    expect(rows.map(comparable)).toStrictEqual(ALL_TYPES_EXPECTED);
    // Not only equal-looking: the driver made real Dates and Buffers.
    expect(rows[0]?.TS_COL).toBeInstanceOf(Date);
    expect(rows[0]?.DATE_COL).toBeInstanceOf(Date);
    expect(Buffer.isBuffer(rows[0]?.BIN_COL)).toBe(true);

    const columns = statement.getColumns() ?? [];
    expect(columns.map((c) => [c.getName(), c.getType()])).toEqual([
      ["FIX_NEG", "fixed"],
      ["FIX_BIG", "fixed"],
      ["REAL_COL", "real"],
      ["TEXT_COL", "text"],
      ["BOOL_COL", "boolean"],
      ["VARIANT_COL", "variant"],
      ["OBJECT_COL", "object"],
      ["ARRAY_COL", "array"],
      ["TS_COL", "timestamp_ntz"],
      ["DATE_COL", "date"],
      ["BIN_COL", "binary"],
    ]);
    expect(columns[0]?.getScale()).toBe(2);
    expect(columns[0]?.getPrecision()).toBe(10);
    expect(statement.getNumRows()).toBe(3);
    expect(statement.getQueryId()).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps the wire text the driver formats from (fixed scale, timestamp, binary as hex)", async () => {
    backend.answer("SELECT ALL TYPES", ALL_TYPES);
    const strings = await new Promise<Record<string, unknown>[]>((resolve, reject) => {
      h.connection.execute({
        sqlText: "SELECT ALL TYPES",
        fetchAsString: ["Number", "Date", "Buffer", "Boolean"],
        complete: (error, _statement, rows) => (error ? reject(error) : resolve((rows ?? []) as Record<string, unknown>[])),
      });
    });
    expect(strings[0]).toMatchObject({
      FIX_NEG: "-1234.50",
      FIX_BIG: "9007199254740991",
      BOOL_COL: "TRUE",
      TS_COL: "2024-02-29 23:59:58.123",
      DATE_COL: "2024-02-29",
      BIN_COL: "0001ABFF",
    });
  });

  it("truncates timestamps to the column's scale and dates to the day, towards the past", async () => {
    backend.answer("SELECT COARSE", {
      columns: [
        { name: "TS0", type: "TIMESTAMP_NTZ", nullable: false, scale: 0 },
        { name: "D", type: "DATE", nullable: false },
      ],
      rows: [
        [new Date(-1500), new Date(Date.UTC(1969, 11, 31, 18, 0, 0))],
        [new Date(1500), new Date(Date.UTC(2024, 0, 1, 23, 59, 59, 999))],
      ],
    });
    const { statement, rows } = await execute(h.connection, "SELECT COARSE");
    expect(rows.map(comparable)).toStrictEqual([
      { TS0: { date: "1969-12-31T23:59:58.000Z" }, D: { date: "1969-12-31T00:00:00.000Z" } },
      { TS0: { date: "1970-01-01T00:00:01.000Z" }, D: { date: "2024-01-01T00:00:00.000Z" } },
    ]);
    expect(statement.getColumn("TS0")?.getScale()).toBe(0);
  });

  it("reports rows affected by DML through getNumUpdatedRows", async () => {
    backend.answer("INSERT INTO T VALUES (1), (2), (3)", { columns: [], rows: [], rowsAffected: 3 });
    backend.answer("UPDATE T SET X = 1", { columns: [], rows: [], rowsAffected: 2 });
    backend.answer("/* tidy */ DELETE FROM T", { columns: [], rows: [], rowsAffected: 0 });
    backend.answer("MERGE INTO T USING S ON T.ID = S.ID WHEN MATCHED THEN DELETE", {
      columns: [
        { name: "number of rows inserted", type: "FIXED", nullable: false, precision: 19, scale: 0 },
        { name: "number of rows deleted", type: "FIXED", nullable: false, precision: 19, scale: 0 },
      ],
      rows: [[4, 5]],
      rowsAffected: 9,
    });
    backend.answer("SELECT 1", SELECT_ONE);

    const insert = await execute(h.connection, "INSERT INTO T VALUES (1), (2), (3)");
    expect(insert.statement.getNumUpdatedRows()).toBe(3);
    expect(insert.rows).toEqual([{ "number of rows inserted": 3 }]);

    const update = await execute(h.connection, "UPDATE T SET X = 1");
    expect(update.statement.getNumUpdatedRows()).toBe(2);
    expect(update.rows).toEqual([{ "number of rows updated": 2, "number of multi-joined rows updated": 0 }]);

    const del = await execute(h.connection, "/* tidy */ DELETE FROM T");
    expect(del.statement.getNumUpdatedRows()).toBe(0);
    expect(del.rows).toEqual([{ "number of rows deleted": 0 }]);

    const merge = await execute(h.connection, "MERGE INTO T USING S ON T.ID = S.ID WHEN MATCHED THEN DELETE");
    expect(merge.statement.getNumUpdatedRows()).toBe(9);

    // A query is not DML: the driver's "not applicable" answer.
    const select = await execute(h.connection, "SELECT 1");
    expect(select.statement.getNumUpdatedRows()).toBe(-1);
  });

  it("reports a backend result that breaks the contract as internal error 000603", async () => {
    backend.answer("INSERT BAD COUNT", {
      columns: [{ name: "number of rows inserted", type: "FIXED", nullable: false, precision: 19, scale: 0 }],
      rows: [[1]],
      rowsAffected: 2,
    });
    backend.answer("SELECT WRONG TYPE", { columns: [{ name: "T", type: "TEXT", nullable: true }], rows: [[42]] });
    const count = await executeError(h.connection, "INSERT BAD COUNT");
    expect(count.code).toBe("000603");
    expect(count.message).toContain("rowsAffected is 2");
    const wrong = await executeError(h.connection, "SELECT WRONG TYPE");
    expect(wrong.code).toBe("000603");
    expect(wrong.message).toContain("column T (TEXT), row 0: expected a string, got number");
  });
});


describe("binds", () => {
  it("delivers positional binds to the backend typed and in order", async () => {
    backend.answer("SELECT ?, ?, ?, ?, ?, ?, ?, ?", SELECT_ONE);
    const when = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    await execute(h.connection, "SELECT ?, ?, ?, ?, ?, ?, ?, ?", { binds: ["text 'q' \"dq\"\n✓", 42, -1.25, true, false, null, "", when] });
    expect(backend.calls).toHaveLength(1);
    // A JS Date travels as TEXT (its ISO string): the driver never sends a timestamp type.
    expect(backend.calls[0]?.binds).toStrictEqual(["text 'q' \"dq\"\n✓", 42, -1.25, true, false, null, "", "2024-01-02T03:04:05.678Z"]);
  });

  it("numbers :N binds the same way, from 1", async () => {
    backend.answer("SELECT :2, :1", SELECT_ONE);
    await execute(h.connection, "SELECT :2, :1", { binds: ["first", 2] });
    expect(backend.calls[0]?.binds).toStrictEqual(["first", 2]);
  });

  it("decodes DATE and TIMESTAMP binds from other clients into Dates", async () => {
    backend.answer("SELECT TYPED", SELECT_ONE);
    const token = await rawLogin();
    const { json } = await post(
      "/queries/v1/query-request",
      {
        sqlText: "SELECT TYPED",
        bindings: {
          "1": { type: "DATE", value: String(Date.UTC(2023, 6, 14)) },
          "2": { type: "TIMESTAMP_NTZ", value: "1700000000123456789" },
          "3": { type: "TIMESTAMP_NTZ", value: "2020-05-06T07:08:09.010Z" },
          "4": { type: "TIMESTAMP_LTZ", value: null },
          "5": { type: "FIXED", value: "-17" },
        },
      },
      tokenHeader(token),
    );
    expect(json.success).toBe(true);
    const binds = backend.calls[0]?.binds ?? [];
    expect(binds[0]).toBeInstanceOf(Date);
    expect((binds[0] as Date).toISOString()).toBe("2023-07-14T00:00:00.000Z");
    expect((binds[1] as Date).toISOString()).toBe("2023-11-14T22:13:20.123Z");
    expect((binds[2] as Date).toISOString()).toBe("2020-05-06T07:08:09.010Z");
    expect(binds.slice(3)).toStrictEqual([null, -17]);
  });

  it("refuses array binds (bulk insert) without calling the backend", async () => {
    backend.answer("INSERT INTO T VALUES (?, ?)", { columns: [], rows: [], rowsAffected: 2 });
    const rows = [
      [1, "a"],
      [2, "b"],
    ];
    const inline = await executeError(h.connection, "INSERT INTO T VALUES (?, ?)", { binds: rows });
    expect(inline.code).toBe("000002");
    expect(inline.sqlState).toBe("0A000");
    expect(inline.message).toMatch(/^unsupported by the floe sandbox: array binds/);

    // Above arrayBindingThreshold the driver first creates a bind stage and PUTs the rows there.
    const staged = await connect({ ...h.server.connectionOptions(), arrayBindingThreshold: 1 });
    try {
      const error = await executeError(staged, "INSERT INTO T VALUES (?, ?)", { binds: rows });
      expect(error.message).toMatch(/^unsupported by the floe sandbox: array binds/);
    } finally {
      await destroy(staged);
    }
    expect(backend.calls).toEqual([]);
  });

  it("refuses VARIANT binds with a hint instead of guessing", async () => {
    backend.answer("SELECT ?", SELECT_ONE);
    const error = await executeError(h.connection, "SELECT ?", { binds: [{ a: 1 }] });
    expect(error.code).toBe("000002");
    expect(error.message).toContain("PARSE_JSON(?)");
    expect(backend.calls).toEqual([]);
  });
});
