/**
 * The sandbox's HTTP protocol layer, exercised through the real snowflake-sdk driver against an
 * in-memory backend (harness.ts): sessions, errors, and the server's own lifecycle.
 */
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { ConnectionOptions } from "snowflake-sdk";
import { connect, destroy, execute, snowflakeSdk } from "../../snowflake/driver";
import { executeError } from "../helpers/driver";
import { objectNotFound, UnsupportedError } from "../../sandbox/types";
import { SELECT_ONE, useProtocolServer } from "./harness";

const snowflake = snowflakeSdk();

const h = useProtocolServer();
const { backend, post, rawLogin, tokenHeader } = h;

describe("sessions", () => {
  it("logs in with the driver's account, user, password and context, and destroy closes the session", async () => {
    const logins = backend.logins.length;
    const closed = backend.closed.length;
    const own = await connect({ ...h.server.connectionOptions(), account: "acme-test", username: "ALICE", password: "s3cret", database: "D1", schema: "S1", role: "R1", warehouse: "W1" });
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
    const second = await connect(h.server.connectionOptions());
    try {
      await execute(h.connection, "SELECT 1");
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
    const { rows } = await execute(h.connection, "SELECT 1");
    expect(rows).toEqual([{ ONE: 1 }]);
  });

  it("passes a refused login to the driver as its error", async () => {
    const error = await connect({ ...h.server.connectionOptions(), password: "wrong" }).then(
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
    const big = await connect({ ...h.server.connectionOptions(), jsTreatIntegerAsBigInt: true });
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
    const bogus = snowflake.createConnection({ ...h.server.connectionOptions(), sessionToken: "not-a-token" } as ConnectionOptions);
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


describe("errors", () => {
  it("passes a SnowflakeError through with code, SQL state and message", async () => {
    const thrown = objectNotFound("Table", "APP_DB.CORE.MISSING");
    backend.answer("SELECT * FROM MISSING", () => {
      throw thrown;
    });
    const error = await executeError(h.connection, "SELECT * FROM MISSING");
    expect(error.code).toBe("002003");
    expect(error.sqlState).toBe("02000");
    expect(error.message).toBe(thrown.message);
    expect(error.data?.queryId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("passes an UnsupportedError through", async () => {
    backend.answer("CREATE EXTERNAL TABLE X", () => {
      throw new UnsupportedError("CREATE EXTERNAL TABLE");
    });
    const error = await executeError(h.connection, "CREATE EXTERNAL TABLE X");
    expect(error.code).toBe("000002");
    expect(error.sqlState).toBe("0A000");
    expect(error.message).toBe("unsupported by the floe sandbox: CREATE EXTERNAL TABLE");
  });

  it("turns any other exception into internal error 000603 carrying its message", async () => {
    backend.answer("SELECT BUG", () => {
      throw new TypeError("cannot read properties of undefined (reading 'rows')");
    });
    const error = await executeError(h.connection, "SELECT BUG");
    expect(error.code).toBe("000603");
    expect(error.sqlState).toBe("XX000");
    expect(error.message).toContain("cannot read properties of undefined (reading 'rows')");
  });

  it("refuses multi-statement requests before the backend sees them", async () => {
    backend.answer("SELECT 1; SELECT 2", SELECT_ONE);
    const error = await executeError(h.connection, "SELECT 1; SELECT 2", { parameters: { MULTI_STATEMENT_COUNT: 2 } });
    expect(error.message).toBe("unsupported by the floe sandbox: multi-statement requests (MULTI_STATEMENT_COUNT=2)");
    const unlimited = await executeError(h.connection, "SELECT 1; SELECT 2", { parameters: { MULTI_STATEMENT_COUNT: 0 } });
    expect(unlimited.code).toBe("000002");
    expect(backend.calls).toEqual([]);
    // Explicitly one statement is the default and fine.
    const { rows } = await execute(h.connection, "SELECT 1", { parameters: { MULTI_STATEMENT_COUNT: 1 } });
    expect(rows).toEqual([{ ONE: 1 }]);
  });

  it("refuses asynchronous and describe-only execution instead of running the statement", async () => {
    const attempt = (extra: { asyncExec?: boolean; describeOnly?: boolean }) =>
      new Promise<{ error: { code?: unknown; message?: string } | undefined; result: unknown }>((resolve) => {
        h.connection.execute({ sqlText: "SELECT 1", ...extra, complete: (error, _statement, result) => resolve({ error: error ?? undefined, result }) });
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
    const get = await fetch(h.server.url + "/no/such/thing?x=1");
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


describe("server lifecycle", () => {
  it("closes with a driver connection open and a request in flight, closing the session, and lets the process exit", () => {
    // A separate process is the only honest way to see whether something keeps Node alive.
    const script = join(__dirname, "fixtures", "close-exits.ts");
    const started = Date.now();
    // Resolved here because the child runs in workDir, outside this package's node_modules.
    const tsx = pathToFileURL(createRequire(join(process.cwd(), "package.json")).resolve("tsx")).href;
    const child = spawnSync(process.execPath, ["--import", tsx, script], {
      cwd: h.workDir,
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
    expect(existsSync(join(h.workDir, "snowflake.log"))).toBe(false);
  });

  it("leaves no snowflake.log in the working directory", () => {
    if (h.logBefore === undefined) {
      expect(existsSync(h.logPath)).toBe(false);
    } else {
      // Someone else's run left one; it must at least be untouched by this one.
      const now = statSync(h.logPath);
      expect([now.size, now.mtimeMs]).toEqual([h.logBefore.size, h.logBefore.mtimeMs]);
    }
  });
});
