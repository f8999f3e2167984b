/**
 * The sandbox's HTTP protocol layer, exercised through the real snowflake-sdk driver against an
 * in-memory backend that answers fixed results per SQL text and records what it was asked.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, type Stats } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Connection, ConnectionOptions } from "snowflake-sdk";
import { connect, destroy, execute, snowflakeSdk } from "../../snowflake/driver";
import { executeError } from "../helpers/driver";
const snowflake = snowflakeSdk();
import type { LoginRequest, SessionBackend, UploadRequest } from "../../sandbox/protocol/backend";
import { startProtocolServer, type ProtocolServer } from "../../sandbox/protocol/server";
import { type BindValue, type QueryResult, objectNotFound, SnowflakeError, UnsupportedError } from "../../sandbox/types";

// ------------------------------------------------------------------------------------------
// Test backend
// ------------------------------------------------------------------------------------------

interface TestSession {
  readonly number: number;
  readonly login: LoginRequest;
}

interface Call {
  readonly session: TestSession;
  readonly sqlText: string;
  readonly binds: readonly BindValue[];
}

type Answer = QueryResult | UploadRequest | ((binds: readonly BindValue[]) => QueryResult | UploadRequest);

class RecordingBackend implements SessionBackend {
  readonly logins: LoginRequest[] = [];
  readonly sessions: TestSession[] = [];
  readonly calls: Call[] = [];
  readonly closed: TestSession[] = [];
  private readonly answers = new Map<string, Answer>();

  answer(sqlText: string, answer: Answer): void {
    this.answers.set(sqlText, answer);
  }

  reset(): void {
    this.calls.length = 0;
  }

  login(request: LoginRequest): unknown {
    this.logins.push(request);
    if (request.password === "wrong") {
      throw new SnowflakeError("390100", "08004", "Incorrect username or password was specified.");
    }
    const session: TestSession = { number: this.sessions.length + 1, login: request };
    this.sessions.push(session);
    return session;
  }

  execute(session: unknown, sqlText: string, binds: readonly BindValue[]): QueryResult | UploadRequest {
    this.calls.push({ session: session as TestSession, sqlText, binds: [...binds] });
    const answer = this.answers.get(sqlText);
    if (answer === undefined) throw new SnowflakeError("001003", "42000", `SQL compilation error:\nno test answer for ${sqlText}`);
    return typeof answer === "function" ? answer(binds) : answer;
  }

  close(session: unknown): void {
    this.closed.push(session as TestSession);
  }
}

// ------------------------------------------------------------------------------------------
// Fixtures
// ------------------------------------------------------------------------------------------

const ALL_TYPES: QueryResult = {
  columns: [
    { name: "FIX_NEG", type: "FIXED", nullable: true, precision: 10, scale: 2 },
    { name: "FIX_BIG", type: "FIXED", nullable: true, precision: 38, scale: 0 },
    { name: "REAL_COL", type: "REAL", nullable: true },
    { name: "TEXT_COL", type: "TEXT", nullable: true },
    { name: "BOOL_COL", type: "BOOLEAN", nullable: true },
    { name: "VARIANT_COL", type: "VARIANT", nullable: true },
    { name: "OBJECT_COL", type: "OBJECT", nullable: true },
    { name: "ARRAY_COL", type: "ARRAY", nullable: true },
    { name: "TS_COL", type: "TIMESTAMP_NTZ", nullable: true },
    { name: "DATE_COL", type: "DATE", nullable: true },
    { name: "BIN_COL", type: "BINARY", nullable: true },
  ],
  rows: [
    [
      -1234.5,
      Number.MAX_SAFE_INTEGER,
      -6.02214076e-23,
      'It\'s "quoted",\nsecond line\ttab — ünïcödé 🚀 \\ backslash',
      true,
      { id: 7, nested: { list: [1, "two", null, { deep: true }], quote: 'say "hi"' } },
      { k: "v", n: 1.5 },
      [1, "a", { b: [true, null] }],
      new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 123)),
      new Date(Date.UTC(2024, 1, 29)),
      Buffer.from([0x00, 0x01, 0xab, 0xff]),
    ],
    [null, null, null, null, null, null, null, null, null, null, null],
    [
      0.05,
      -Number.MAX_SAFE_INTEGER,
      1e300,
      "",
      false,
      "a variant string",
      {},
      [],
      new Date(-1500),
      new Date(Date.UTC(1969, 11, 31)),
      new Uint8Array([0x7f]),
    ],
  ],
};

/** What the driver should hand back for ALL_TYPES, with Dates and Buffers made comparable. */
const ALL_TYPES_EXPECTED = [
  {
    FIX_NEG: -1234.5,
    FIX_BIG: 9007199254740991,
    REAL_COL: -6.02214076e-23,
    TEXT_COL: 'It\'s "quoted",\nsecond line\ttab — ünïcödé 🚀 \\ backslash',
    BOOL_COL: true,
    VARIANT_COL: { id: 7, nested: { list: [1, "two", null, { deep: true }], quote: 'say "hi"' } },
    OBJECT_COL: { k: "v", n: 1.5 },
    ARRAY_COL: [1, "a", { b: [true, null] }],
    TS_COL: { date: "2024-02-29T23:59:58.123Z" },
    DATE_COL: { date: "2024-02-29T00:00:00.000Z" },
    BIN_COL: { hex: "0001abff" },
  },
  {
    FIX_NEG: null,
    FIX_BIG: null,
    REAL_COL: null,
    TEXT_COL: null,
    BOOL_COL: null,
    VARIANT_COL: null,
    OBJECT_COL: null,
    ARRAY_COL: null,
    TS_COL: null,
    DATE_COL: null,
    BIN_COL: null,
  },
  {
    FIX_NEG: 0.05,
    FIX_BIG: -9007199254740991,
    REAL_COL: 1e300,
    TEXT_COL: "",
    BOOL_COL: false,
    VARIANT_COL: "a variant string",
    OBJECT_COL: {},
    ARRAY_COL: [],
    TS_COL: { date: "1969-12-31T23:59:58.500Z" },
    DATE_COL: { date: "1969-12-31T00:00:00.000Z" },
    BIN_COL: { hex: "7f" },
  },
];

/** Dates and Buffers as plain data, so one toStrictEqual checks class and value together. */
function comparable(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Date) out[key] = { date: new Date(value.getTime()).toISOString() };
    else if (Buffer.isBuffer(value)) out[key] = { hex: value.toString("hex") };
    else out[key] = value;
  }
  return out;
}

const SELECT_ONE: QueryResult = { columns: [{ name: "ONE", type: "FIXED", nullable: false, precision: 1, scale: 0 }], rows: [[1]] };

// ------------------------------------------------------------------------------------------
// Setup
// ------------------------------------------------------------------------------------------

const backend = new RecordingBackend();
let server: ProtocolServer;
let connection: Connection;
let workDir: string;
let logBefore: Stats | undefined;
const logPath = join(process.cwd(), "snowflake.log");

beforeAll(async () => {
  logBefore = existsSync(logPath) ? statSync(logPath) : undefined;
  workDir = mkdtempSync(join(tmpdir(), "floe-protocol-"));
  server = await startProtocolServer(backend);
  backend.answer("SELECT 1", SELECT_ONE);
  connection = await connect({ ...server.connectionOptions(), database: "APP_DB", schema: "CORE", role: "APP_ROLE", warehouse: "WH" });
});

afterAll(async () => {
  await server?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

beforeEach(() => backend.reset());

/** POSTs raw JSON, as a client other than the driver would. */
async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(server.url + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: body instanceof Uint8Array ? new Blob([new Uint8Array(body)]) : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function rawLogin(): Promise<string> {
  const { json } = await post("/session/v1/login-request", { data: { ACCOUNT_NAME: "raw", LOGIN_NAME: "raw_user", PASSWORD: "pw" } });
  expect(json.success).toBe(true);
  return (json.data as { token: string }).token;
}

function tokenHeader(token: string): Record<string, string> {
  return { authorization: `Snowflake Token="${token}"` };
}

// ------------------------------------------------------------------------------------------
// Tests
// ------------------------------------------------------------------------------------------

describe("sessions", () => {
  it("logs in with the driver's account, user, password and context, and destroy closes the session", async () => {
    const logins = backend.logins.length;
    const closed = backend.closed.length;
    const own = await connect({ ...server.connectionOptions(), account: "acme-test", username: "ALICE", password: "s3cret", database: "D1", schema: "S1", role: "R1", warehouse: "W1" });
    expect(backend.logins.length).toBe(logins + 1);
    const login = backend.logins[backend.logins.length - 1];
    expect(login).toMatchObject({ account: "acme-test", user: "ALICE", password: "s3cret", database: "D1", schema: "S1", role: "R1", warehouse: "W1" });
    const session = backend.sessions[backend.sessions.length - 1];
    expect(session?.login).toBe(login);

    expect(await own.isValidAsync()).toBe(true);
    await destroy(own);
    expect(backend.closed.slice(closed)).toEqual([session]);
    expect(own.isUp()).toBe(false);
  });

  it("gives a second connection its own session", async () => {
    const second = await connect(server.connectionOptions());
    try {
      await execute(connection, "SELECT 1");
      await execute(second, "SELECT 1");
      const [first, other] = backend.calls;
      expect(first?.session).toBeDefined();
      expect(other?.session).toBeDefined();
      expect(first?.session).not.toBe(other?.session);
      expect(first?.session.login.database).toBe("APP_DB");
      expect(other?.session.login.database).toBeUndefined();
    } finally {
      await destroy(second);
    }
    // The first connection is unaffected by the second one's logout.
    const { rows } = await execute(connection, "SELECT 1");
    expect(rows).toEqual([{ ONE: 1 }]);
  });

  it("passes a refused login to the driver as its error", async () => {
    const error = await connect({ ...server.connectionOptions(), password: "wrong" }).then(
      () => undefined,
      (e: unknown) => e as { code?: unknown; sqlState?: unknown; message?: unknown },
    );
    expect(error?.code).toBe("390100");
    expect(error?.sqlState).toBe("08004");
    expect(error?.message).toBe("Incorrect username or password was specified.");
  });

  it("echoes the driver's session parameters so JS_TREAT_INTEGER_AS_BIGINT takes effect", async () => {
    backend.answer("SELECT BIG", {
      columns: [{ name: "BIG", type: "FIXED", nullable: false, precision: 38, scale: 0 }],
      rows: [[123456789012345678901234567890n]],
    });
    const big = await connect({ ...server.connectionOptions(), jsTreatIntegerAsBigInt: true });
    try {
      expect(backend.logins[backend.logins.length - 1]?.sessionParameters).toMatchObject({ JS_TREAT_INTEGER_AS_BIGINT: true });
      const { rows } = await execute(big, "SELECT BIG");
      const value = rows[0]?.BIG;
      expect(typeof value).toBe("object"); // the driver's big-integer, not a lossy number
      expect(String(value)).toBe("123456789012345678901234567890");
    } finally {
      await destroy(big);
    }
  });

  it("answers a bad or missing token the way the driver treats as a dead session", async () => {
    // A token the driver trusts without logging in (an option its typings leave out).
    const bogus = snowflake.createConnection({ ...server.connectionOptions(), sessionToken: "not-a-token" } as ConnectionOptions);
    const error = await executeError(bogus, "SELECT 1");
    expect(error.code).toBe(407002); // the driver's "terminated connection" after 390104
    expect(backend.calls).toEqual([]);

    const missing = await post("/queries/v1/query-request", { sqlText: "SELECT 1" });
    expect(missing.status).toBe(200);
    expect(missing.json).toMatchObject({ success: false, code: "390104" });

    const token = await rawLogin();
    const deleted = await post("/session?delete=true", {}, tokenHeader(token));
    expect(deleted.json.success).toBe(true);
    const late = await post("/queries/v1/query-request", { sqlText: "SELECT 1" }, tokenHeader(token));
    expect(late.json).toMatchObject({ success: false, code: "390111" });
    expect(backend.calls).toEqual([]);
  });
});

describe("results", () => {
  it("hands back every SnowflakeType exactly, NULL included", async () => {
    backend.answer("SELECT ALL TYPES", ALL_TYPES);
    const { statement, rows } = await execute(connection, "SELECT ALL TYPES");
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
      connection.execute({
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
    const { statement, rows } = await execute(connection, "SELECT COARSE");
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

    const insert = await execute(connection, "INSERT INTO T VALUES (1), (2), (3)");
    expect(insert.statement.getNumUpdatedRows()).toBe(3);
    expect(insert.rows).toEqual([{ "number of rows inserted": 3 }]);

    const update = await execute(connection, "UPDATE T SET X = 1");
    expect(update.statement.getNumUpdatedRows()).toBe(2);
    expect(update.rows).toEqual([{ "number of rows updated": 2, "number of multi-joined rows updated": 0 }]);

    const del = await execute(connection, "/* tidy */ DELETE FROM T");
    expect(del.statement.getNumUpdatedRows()).toBe(0);
    expect(del.rows).toEqual([{ "number of rows deleted": 0 }]);

    const merge = await execute(connection, "MERGE INTO T USING S ON T.ID = S.ID WHEN MATCHED THEN DELETE");
    expect(merge.statement.getNumUpdatedRows()).toBe(9);

    // A query is not DML: the driver's "not applicable" answer.
    const select = await execute(connection, "SELECT 1");
    expect(select.statement.getNumUpdatedRows()).toBe(-1);
  });

  it("reports a backend result that breaks the contract as internal error 000603", async () => {
    backend.answer("INSERT BAD COUNT", {
      columns: [{ name: "number of rows inserted", type: "FIXED", nullable: false, precision: 19, scale: 0 }],
      rows: [[1]],
      rowsAffected: 2,
    });
    backend.answer("SELECT WRONG TYPE", { columns: [{ name: "T", type: "TEXT", nullable: true }], rows: [[42]] });
    const count = await executeError(connection, "INSERT BAD COUNT");
    expect(count.code).toBe("000603");
    expect(count.message).toContain("rowsAffected is 2");
    const wrong = await executeError(connection, "SELECT WRONG TYPE");
    expect(wrong.code).toBe("000603");
    expect(wrong.message).toContain("column T (TEXT), row 0: expected a string, got number");
  });
});

describe("binds", () => {
  it("delivers positional binds to the backend typed and in order", async () => {
    backend.answer("SELECT ?, ?, ?, ?, ?, ?, ?, ?", SELECT_ONE);
    const when = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    await execute(connection, "SELECT ?, ?, ?, ?, ?, ?, ?, ?", { binds: ["text 'q' \"dq\"\n✓", 42, -1.25, true, false, null, "", when] });
    expect(backend.calls).toHaveLength(1);
    // A JS Date travels as TEXT (its ISO string): the driver never sends a timestamp type.
    expect(backend.calls[0]?.binds).toStrictEqual(["text 'q' \"dq\"\n✓", 42, -1.25, true, false, null, "", "2024-01-02T03:04:05.678Z"]);
  });

  it("numbers :N binds the same way, from 1", async () => {
    backend.answer("SELECT :2, :1", SELECT_ONE);
    await execute(connection, "SELECT :2, :1", { binds: ["first", 2] });
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
    const inline = await executeError(connection, "INSERT INTO T VALUES (?, ?)", { binds: rows });
    expect(inline.code).toBe("000002");
    expect(inline.sqlState).toBe("0A000");
    expect(inline.message).toMatch(/^unsupported by the floe sandbox: array binds/);

    // Above arrayBindingThreshold the driver first creates a bind stage and PUTs the rows there.
    const staged = await connect({ ...server.connectionOptions(), arrayBindingThreshold: 1 });
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
    const error = await executeError(connection, "SELECT ?", { binds: [{ a: 1 }] });
    expect(error.code).toBe("000002");
    expect(error.message).toContain("PARSE_JSON(?)");
    expect(backend.calls).toEqual([]);
  });
});

describe("errors", () => {
  it("passes a SnowflakeError through with code, SQL state and message", async () => {
    const thrown = objectNotFound("Table", "APP_DB.CORE.MISSING");
    backend.answer("SELECT * FROM MISSING", () => {
      throw thrown;
    });
    const error = await executeError(connection, "SELECT * FROM MISSING");
    expect(error.code).toBe("002003");
    expect(error.sqlState).toBe("02000");
    expect(error.message).toBe(thrown.message);
    expect(error.data?.queryId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("passes an UnsupportedError through", async () => {
    backend.answer("CREATE EXTERNAL TABLE X", () => {
      throw new UnsupportedError("CREATE EXTERNAL TABLE");
    });
    const error = await executeError(connection, "CREATE EXTERNAL TABLE X");
    expect(error.code).toBe("000002");
    expect(error.sqlState).toBe("0A000");
    expect(error.message).toBe("unsupported by the floe sandbox: CREATE EXTERNAL TABLE");
  });

  it("turns any other exception into internal error 000603 carrying its message", async () => {
    backend.answer("SELECT BUG", () => {
      throw new TypeError("cannot read properties of undefined (reading 'rows')");
    });
    const error = await executeError(connection, "SELECT BUG");
    expect(error.code).toBe("000603");
    expect(error.sqlState).toBe("XX000");
    expect(error.message).toContain("cannot read properties of undefined (reading 'rows')");
  });

  it("refuses multi-statement requests before the backend sees them", async () => {
    backend.answer("SELECT 1; SELECT 2", SELECT_ONE);
    const error = await executeError(connection, "SELECT 1; SELECT 2", { parameters: { MULTI_STATEMENT_COUNT: 2 } });
    expect(error.message).toBe("unsupported by the floe sandbox: multi-statement requests (MULTI_STATEMENT_COUNT=2)");
    const unlimited = await executeError(connection, "SELECT 1; SELECT 2", { parameters: { MULTI_STATEMENT_COUNT: 0 } });
    expect(unlimited.code).toBe("000002");
    expect(backend.calls).toEqual([]);
    // Explicitly one statement is the default and fine.
    const { rows } = await execute(connection, "SELECT 1", { parameters: { MULTI_STATEMENT_COUNT: 1 } });
    expect(rows).toEqual([{ ONE: 1 }]);
  });

  it("refuses asynchronous and describe-only execution instead of running the statement", async () => {
    const attempt = (extra: { asyncExec?: boolean; describeOnly?: boolean }) =>
      new Promise<{ error: { code?: unknown; message?: string } | undefined; result: unknown }>((resolve) => {
        connection.execute({ sqlText: "SELECT 1", ...extra, complete: (error, _statement, result) => resolve({ error: error ?? undefined, result }) });
      });
    expect((await attempt({ describeOnly: true })).error).toMatchObject({
      code: "000002",
      message: "unsupported by the floe sandbox: describe-only execution (describeOnly)",
    });
    // For asyncExec the driver calls back with (null, statement, result) even on an error
    // (lib/connection/statement.js, invokeStatementComplete), so only the missing result shows.
    expect(await attempt({ asyncExec: true })).toEqual({ error: undefined, result: undefined });
    expect(backend.calls).toEqual([]);

    const token = await rawLogin();
    const raw = await post("/queries/v1/query-request", { sqlText: "SELECT 1", asyncExec: true }, tokenHeader(token));
    expect(raw.json).toMatchObject({ success: false, code: "000002", message: "unsupported by the floe sandbox: asynchronous execution (asyncExec)" });
    expect(backend.calls).toEqual([]);
  });

  it("answers unknown endpoints with a 404 that names the path", async () => {
    const response = await post("/queries/v1/abort-request", { requestId: "x" });
    expect(response.status).toBe(404);
    expect(response.json.message).toContain("POST /queries/v1/abort-request");
    const get = await fetch(server.url + "/no/such/thing?x=1");
    expect(get.status).toBe(404);
    expect(((await get.json()) as { message: string }).message).toContain("GET /no/such/thing");
  });

  it("reads gzip bodies and plain bodies whatever content-encoding claims", async () => {
    const token = await rawLogin();
    const body = JSON.stringify({ sqlText: "SELECT 1" });
    const zipped = await post("/queries/v1/query-request", gzipSync(body), { ...tokenHeader(token), "content-encoding": "gzip" });
    expect(zipped.json.success).toBe(true);
    // What the driver can actually send: the gzip header, set late, on the uncompressed JSON.
    const mislabelled = await post("/queries/v1/query-request", body, { ...tokenHeader(token), "content-encoding": "gzip" });
    expect(mislabelled.json.success).toBe(true);
    expect(backend.calls.map((call) => call.sqlText)).toEqual(["SELECT 1", "SELECT 1"]);
  });

  it("accepts and drops telemetry", async () => {
    const response = await post("/telemetry/send", { logs: [{ message: { type: "x" } }] });
    expect(response.json.success).toBe(true);
    expect(backend.calls).toEqual([]);
  });
});

describe("PUT", () => {
  function putFixture(name: string): { file: string; stage: string; bytes: Buffer } {
    const dir = mkdtempSync(join(workDir, "src-"));
    const file = join(dir, name);
    // Not valid UTF-8 and not text, so any transcoding on the way would show.
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x80]), randomBytes(70_000)]);
    writeFileSync(file, bytes);
    return { file, stage: join(workDir, "stage-" + randomBytes(4).toString("hex")), bytes };
  }

  it("makes the driver copy the file byte for byte into the backend's directory (AUTO_COMPRESS=FALSE)", async () => {
    const { file, stage, bytes } = putFixture("payload.bin");
    const sql = `PUT file://${file} @~/staged AUTO_COMPRESS=FALSE`;
    backend.answer(sql, { kind: "upload", directory: stage, source: file, autoCompress: false, overwrite: false });
    const { rows } = await execute(connection, sql);
    expect(backend.calls.map((call) => call.sqlText)).toEqual([sql]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: "payload.bin", target: "payload.bin", sourceSize: bytes.length, targetSize: bytes.length, status: "UPLOADED" });
    expect(readFileSync(join(stage, "payload.bin")).equals(bytes)).toBe(true);
  });

  it("lets the driver gzip the file when AUTO_COMPRESS=TRUE", async () => {
    const { file, stage, bytes } = putFixture("data.bin");
    const sql = `PUT file://${file} @~/staged`;
    backend.answer(sql, { kind: "upload", directory: stage, source: file, autoCompress: true, overwrite: true });
    const { rows } = await execute(connection, sql);
    expect(rows[0]).toMatchObject({ source: "data.bin", target: "data.bin.gz", targetCompression: "GZIP", status: "UPLOADED" });
    expect(gunzipSync(readFileSync(join(stage, "data.bin.gz"))).equals(bytes)).toBe(true);
  });

  it("refuses a PUT answered with a result set, and an upload for a non-PUT", async () => {
    backend.answer("PUT file:///nowhere @~", SELECT_ONE);
    backend.answer("SELECT UPLOAD", { kind: "upload", directory: workDir, source: "/x", autoCompress: false, overwrite: false });
    const put = await executeError(connection, "PUT file:///nowhere @~");
    expect(put.code).toBe("000603");
    const select = await executeError(connection, "SELECT UPLOAD");
    expect(select.code).toBe("000603");
    expect(select.message).toContain("UploadRequest");
  });
});

describe("server lifecycle", () => {
  it("closes with a driver connection open and a request in flight, closing the session, and lets the process exit", () => {
    // A separate process is the only honest way to see whether something keeps Node alive.
    const script = join(__dirname, "fixtures", "close-exits.ts");
    const started = Date.now();
    // Resolved here because the child runs in workDir, outside this package's node_modules.
    const tsx = pathToFileURL(createRequire(join(process.cwd(), "package.json")).resolve("tsx")).href;
    const child = spawnSync(process.execPath, ["--import", tsx, script], {
      cwd: workDir,
      encoding: "utf8",
      // Without the server dropping in-flight sockets the child hangs until killed here.
      timeout: 15_000,
      env: { ...process.env, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: "true" },
    });
    const elapsed = Date.now() - started;
    expect(child.error).toBeUndefined();
    expect(child.stderr).toBe("");
    expect(child.status).toBe(0);
    const report = JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}") as { closedSessions: number; exitDelayMs: number };
    expect(report.closedSessions).toBe(1);
    // Exiting right after close() shows the sockets were dropped, not left to time out.
    expect(report.exitDelayMs).toBeLessThan(2_000);
    expect(elapsed).toBeLessThan(14_000);
    // The child ran in workDir with the same logging setup: no driver log there either.
    expect(existsSync(join(workDir, "snowflake.log"))).toBe(false);
  });

  it("leaves no snowflake.log in the working directory", () => {
    if (logBefore === undefined) {
      expect(existsSync(logPath)).toBe(false);
    } else {
      // Someone else's run left one; it must at least be untouched by this one.
      const now = statSync(logPath);
      expect([now.size, now.mtimeMs]).toEqual([logBefore.size, logBefore.mtimeMs]);
    }
  });
});
