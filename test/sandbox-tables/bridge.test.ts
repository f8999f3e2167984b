/**
 * The synchronous bridge's failure modes: a hung statement becomes Snowflake's timeout error
 * (and the engine stays usable), a dead engine becomes an error instead of a deadlock, and the
 * worker never keeps the process alive.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DuckDBError, SyncDuckDB } from "../../sandbox/tables/bridge";
import { SnowflakeError } from "../../sandbox/types";

let db: SyncDuckDB;

beforeAll(async () => {
  db = await SyncDuckDB.start({ statementTimeoutMs: 400 });
});

afterAll(async () => {
  await db?.close();
});

function caught(body: () => unknown): unknown {
  try {
    body();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("SyncDuckDB", () => {
  it("answers synchronously with DuckDB column types and JS values", () => {
    const result = db.query("select 1 as a, ?::json as j, ? as t", ['{"x":1}', new Date(Date.UTC(2020, 0, 2))]);
    expect(result.columns).toEqual([
      { name: "a", type: "INTEGER" },
      { name: "j", type: "VARCHAR", alias: "JSON" },
      { name: "t", type: "TIMESTAMP" },
    ]);
    expect(result.rows).toEqual([[1, '{"x":1}', new Date(Date.UTC(2020, 0, 2))]]);
  });

  it("passes DuckDB's own errors through as DuckDBError", () => {
    const error = caught(() => db.query("select * from missing_table"));
    expect(error).toBeInstanceOf(DuckDBError);
    expect((error as Error).message).toMatch(/Catalog Error/);
  });

  it("interrupts a statement that outruns the timeout, reports 000630 and stays usable", () => {
    const started = Date.now();
    const error = caught(() => db.query("select count(*) from range(1000000000000) a"));
    expect(error).toBeInstanceOf(SnowflakeError);
    expect((error as SnowflakeError).code).toBe("000630");
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(db.query("select 2 as b").rows).toEqual([[2]]);
  });

  it("turns a dead engine into an error rather than a wait", async () => {
    const doomed = await SyncDuckDB.start({ statementTimeoutMs: 10_000 });
    await (doomed as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await new Promise((resolve) => setImmediate(resolve));
    const started = Date.now();
    const error = caught(() => doomed.query("select 1"));
    expect((error as SnowflakeError).code).toBe("000603");
    expect(Date.now() - started).toBeLessThan(1_000);
    await doomed.close();
  });
});

describe("process lifetime", () => {
  const fixture = path.join(__dirname, "fixtures", "exit-check.ts");
  it.each(["close", "forget"])("a script that %ss its store exits by itself", (mode) => {
    const child = spawnSync(process.execPath, ["--import", "tsx", fixture, mode], {
      cwd: path.join(__dirname, "..", ".."),
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(child.error).toBeUndefined();
    expect(child.signal).toBeNull();
    expect(child.stdout).toBe("answer=42\ndone\n");
    expect(child.status).toBe(0);
  });
});
