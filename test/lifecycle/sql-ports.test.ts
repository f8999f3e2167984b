/**
 * The statements the SQL ports issue inside Snowflake: privileges as string literals through
 * the one quoting path, the status read tolerant of a duplicated row, and the compare-and-set
 * write that changes only the status fields of the stored object.
 */
import { describe, expect, it } from "vitest";
import { sqlPorts, type SqlRunner } from "floe";

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
});
