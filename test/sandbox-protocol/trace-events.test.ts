/**
 * `snowflake.addEvent` inside a JavaScript procedure: the sandbox records each trace event beside
 * the statement that follows it, which is how the lifecycle's statements carry their purpose
 * (lifecycle/snowflake-api.ts) to `floe simulate`; what Snowflake refuses, the sandbox refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sandbox, type Session } from "../../sandbox/sandbox";

let sandbox: Sandbox;
let session: Session;

beforeAll(async () => {
  sandbox = await Sandbox.start();
  session = sandbox.login({ account: "SANDBOX", user: "TESTER" });
  await sandbox.execute(session, "CREATE DATABASE TRACED", []);
});

afterAll(async () => {
  await sandbox.close();
});

async function call(name: string, body: string): Promise<unknown> {
  await sandbox.execute(session, `CREATE OR REPLACE PROCEDURE TRACED.PUBLIC.${name}() RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$${body}$$`, []);
  const result = await sandbox.execute(session, `CALL TRACED.PUBLIC.${name}()`, []);
  return "rows" in result ? result.rows[0]?.[0] : undefined;
}

describe("trace events of a JavaScript procedure", () => {
  it("are recorded with the statement that follows them, and only with it", async () => {
    await call(
      "EVENTS",
      `snowflake.addEvent("floe.statement", { step: "read", instances: false, count: 2 });
       snowflake.addEvent("plain");
       snowflake.execute({ sqlText: "SELECT 1 AS ONE" });
       snowflake.execute({ sqlText: "SELECT 2 AS TWO" });
       snowflake.addEvent("after the last statement");
       return "done";`,
    );
    const record = sandbox.calls.find((c) => c.procedure === "PUBLIC.EVENTS");
    expect(record?.statements).toEqual([
      {
        sql: "SELECT 1 AS ONE",
        binds: [],
        events: [
          { name: "floe.statement", attributes: { step: "read", instances: false, count: 2 } },
          { name: "plain", attributes: {} },
        ],
      },
      { sql: "SELECT 2 AS TWO", binds: [] },
    ]);
  });

  it("refuses what Snowflake refuses, and attributes the sandbox cannot record", async () => {
    await expect(call("NO_NAME", `snowflake.addEvent(); return 1;`)).rejects.toThrow(/addEvent takes a name/);
    await expect(call("NUMBER_NAME", `snowflake.addEvent(1); return 1;`)).rejects.toThrow(/name of an event must be a string/);
    await expect(call("THREE", `snowflake.addEvent("a", {}, 3); return 1;`)).rejects.toThrow(/addEvent takes a name/);
    await expect(call("NESTED", `snowflake.addEvent("a", { deep: { x: 1 } }); return 1;`)).rejects.toThrow(/unsupported by the floe sandbox: event attribute deep of type object/);
  });
});
