/**
 * The statements the SQL ports issue inside Snowflake: privileges as string literals through
 * the one quoting path, the status read tolerant of a duplicated row, the compare-and-set
 * write that changes only the status fields of the stored object, and the statements on the
 * SDK's Task Reactor objects, the scheduler task and the prerequisites.
 */
import { describe, expect, it } from "vitest";
import { resolveIdentifier, sqlPorts, type SqlRunner } from "floe";
import { quoteIdentifier } from "../../lifecycle/sql-text";

function recording(rows: Record<string, unknown>[] = [], changed = 1) {
  const seen: { sql: string; binds: readonly unknown[] }[] = [];
  const runner: SqlRunner = {
    query: (sql, binds = []) => {
      seen.push({ sql, binds });
      return rows;
    },
    update: (sql, binds = []) => {
      seen.push({ sql, binds });
      return changed;
    },
  };
  return { runner, seen };
}

describe("the SQL ports", () => {
  it("write each privilege as a string literal, escaped through quoteString, in the one first SELECT", () => {
    const { runner, seen } = recording([{ PRIVILEGE_0: true, PRIVILEGE_1: false, STATUS: { status: "PAUSED", configurationStatus: "FINALIZED" } }]);
    const ports = sqlPorts(runner, { privileges: ["EXECUTE TASK", "it's \\ odd"], taskReactor: false });
    expect(ports.privileges.missing(["EXECUTE TASK", "it's \\ odd"])).toEqual(["it's \\ odd"]);
    expect(ports.status.read()).toMatchObject({ kind: "found", stored: { status: "PAUSED" } });
    expect(seen).toEqual([
      {
        sql:
          "SELECT SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT('EXECUTE TASK') AS PRIVILEGE_0, SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT('it\\'s \\\\ odd') AS PRIVILEGE_1, " +
          "(SELECT VALUE FROM STATE.APP_STATE WHERE KEY = ? LIMIT 1) AS STATUS",
        binds: ["connector_status"],
      },
    ]);
  });

  it("compare-and-set the status fields inside the stored object, NULL matching a field not set", () => {
    const { runner, seen } = recording();
    const ports = sqlPorts(runner, { privileges: [], taskReactor: false });
    expect(ports.status.compareAndSet({ status: "PAUSED", configurationStatus: "FINALIZED" }, { status: "STARTING", configurationStatus: "FINALIZED" })).toBe(true);
    expect(ports.status.compareAndSet({ status: "ERROR", configurationStatus: null }, { status: "PAUSED" })).toBe(true);
    const where = "WHERE KEY = ? AND (VALUE:status::STRING IS NOT DISTINCT FROM ?) AND (VALUE:configurationStatus::STRING IS NOT DISTINCT FROM ?)";
    expect(seen).toEqual([
      {
        sql: `UPDATE STATE.APP_STATE SET VALUE = OBJECT_INSERT(OBJECT_INSERT(VALUE, 'status', ?, TRUE), 'configurationStatus', ?, TRUE), UPDATED_AT = SYSDATE() ${where}`,
        binds: ["STARTING", "FINALIZED", "connector_status", "PAUSED", "FINALIZED"],
      },
      { sql: `UPDATE STATE.APP_STATE SET VALUE = OBJECT_INSERT(VALUE, 'status', ?, TRUE), UPDATED_AT = SYSDATE() ${where}`, binds: ["PAUSED", "connector_status", "ERROR", null] },
    ]);
    expect(sqlPorts(recording([], 0).runner, { privileges: [], taskReactor: false }).status.compareAndSet({ status: "PAUSED", configurationStatus: null }, { status: "STARTED" })).toBe(false);
  });

  it("tell a missing procedure from one that fails inside with 'does not exist'", () => {
    const failing = (error: object): SqlRunner => ({
      query: () => {
        throw error;
      },
      update: () => 0,
    });
    const call = (error: object) => {
      try {
        sqlPorts(failing(error), { privileges: [], taskReactor: false }).procedures.call("PUBLIC.X_VALIDATE", []);
      } catch (e) {
        return (e as { failure: string }).failure;
      }
      return "none";
    };
    expect(call({ code: 2140, message: "SQL compilation error:\nUnknown function PUBLIC.X_VALIDATE" })).toBe("missing");
    expect(call({ code: "002141", message: "SQL compilation error:\nUnknown user-defined function PUBLIC.X_VALIDATE" })).toBe("missing");
    expect(call({ code: 2003, message: "Uncaught exception of type 'STATEMENT_ERROR' on line 3 at position 4 : SQL compilation error:\nObject 'STATE.T' does not exist or not authorized." })).toBe("failed");
    expect(call({ code: 100132, message: "JavaScript execution error: Uncaught Execution error in stored procedure X: SQL compilation error:\nUnknown function PUBLIC.Y" })).toBe("failed");
  });

  it("read the Task Reactor registry in the first SELECT and act on the SDK's instance objects, quoting names only where Snowflake needs it", () => {
    const { runner, seen } = recording([{ STATUS: null, INSTANCES: ["WORKER", "Mixed Case"] }]);
    const ports = sqlPorts(runner, { privileges: [], taskReactor: true });
    expect(ports.taskReactor!.instances()).toEqual(["Mixed Case", "WORKER"]);
    expect(seen[0].sql).toBe(
      "SELECT (SELECT VALUE FROM STATE.APP_STATE WHERE KEY = ? LIMIT 1) AS STATUS, " +
        "(SELECT ARRAY_AGG(INSTANCE_NAME) FROM TASK_REACTOR_INSTANCES.INSTANCE_REGISTRY WHERE IS_INITIALIZED = TRUE) AS INSTANCES",
    );
    seen.length = 0;
    ports.taskReactor!.resumeInstance("Mixed Case");
    ports.taskReactor!.recreateStreams("WORKER");
    ports.taskReactor!.pauseInstance('a"b');
    expect(seen).toEqual([
      { sql: 'INSERT INTO "Mixed Case".COMMANDS_QUEUE (TYPE, PAYLOAD) SELECT ?, OBJECT_CONSTRUCT()', binds: ["RESUME_INSTANCE"] },
      { sql: 'ALTER TASK "Mixed Case".DISPATCHER_TASK RESUME', binds: [] },
      { sql: "UPDATE WORKER.CONFIG SET VALUE = TO_VARCHAR(SYSDATE()) WHERE KEY = 'LAST_STREAMS_RECREATION'", binds: [] },
      { sql: "CREATE OR REPLACE STREAM WORKER.QUEUE_STREAM CLONE WORKER.QUEUE_STREAM", binds: [] },
      { sql: "CREATE OR REPLACE STREAM WORKER.COMMANDS_QUEUE_STREAM CLONE WORKER.COMMANDS_QUEUE_STREAM", binds: [] },
      { sql: 'INSERT INTO "a""b".COMMANDS_QUEUE (TYPE, PAYLOAD) SELECT ?, OBJECT_CONSTRUCT()', binds: ["PAUSE_INSTANCE"] },
    ]);
  });

  it("resume and suspend the scheduler task with ALTER TASK IF EXISTS, and have no scheduler when the app has none", () => {
    const { runner, seen } = recording();
    const ports = sqlPorts(runner, { privileges: [], taskReactor: false, scheduler: true });
    ports.scheduler!.resume();
    ports.scheduler!.suspend();
    expect(seen.map((s) => s.sql)).toEqual(["ALTER TASK IF EXISTS STATE.SCHEDULER_TASK RESUME", "ALTER TASK IF EXISTS STATE.SCHEDULER_TASK SUSPEND"]);
    expect(sqlPorts(runner, { privileges: [], taskReactor: false }).scheduler).toBeUndefined();
  });

  it("update one prerequisite by ID, binding both values, and tell a missing ID by the row count", () => {
    const found = recording([], 1);
    expect(sqlPorts(found.runner, { privileges: [], taskReactor: false }).prerequisites.update("it's", true)).toBe(true);
    expect(found.seen).toEqual([{ sql: "UPDATE STATE.PREREQUISITES SET IS_COMPLETED = ? WHERE ID = ?", binds: [true, "it's"] }]);
    expect(sqlPorts(recording([], 0).runner, { privileges: [], taskReactor: false }).prerequisites.update("nope", true)).toBe(false);
  });
});

describe("resolveIdentifier: a name from configuration, as Snowflake reads it", () => {
  it.each([
    ["my_wh", "MY_WH"],
    ["MY_WH", "MY_WH"],
    ["_x$1", "_X$1"],
    ['"my_wh"', "my_wh"],
    ['"Mixed Case"', "Mixed Case"],
    ['"a""b"', 'a"b'],
    ['"x; DROP TABLE T"', "x; DROP TABLE T"],
  ])("%s is %s", (text, resolved) => {
    expect(resolveIdentifier(text)).toBe(resolved);
  });

  it("renders each resolved name through quoteIdentifier: bare when Snowflake reads it back the same, quoted otherwise", () => {
    expect(quoteIdentifier(resolveIdentifier("my_wh")!)).toBe("MY_WH");
    expect(quoteIdentifier(resolveIdentifier('"my_wh"')!)).toBe('"my_wh"');
    expect(quoteIdentifier(resolveIdentifier('"a""b"')!)).toBe('"a""b"');
  });

  it.each(["", "two words", "1abc", '"unterminated', '"a"b"', "a.b", "x; DROP TABLE T", '""'])("refuses %j", (text) => {
    expect(resolveIdentifier(text)).toBeNull();
  });
});
