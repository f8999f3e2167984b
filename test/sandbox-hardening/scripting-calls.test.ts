/**
 * JavaScript procedures run on worker threads; Snowflake Scripting (LANGUAGE SQL) is
 * interpreted on the sandbox's own thread. A JavaScript procedure calls a Scripting one as any
 * other statement; a Scripting procedure cannot wait for a JavaScript one, and says so.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { privateTmpdir, serveSandbox, type Served } from "./helpers";

privateTmpdir();
let served: Served;

beforeAll(async () => {
  served = await serveSandbox();
  await served.sql("CREATE DATABASE DB");
  await served.sql("CREATE PROCEDURE DB.PUBLIC.JS_INNER() RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$ return 'from JavaScript'; $$");
  await served.sql("CREATE PROCEDURE DB.PUBLIC.SQL_INNER() RETURNS VARIANT LANGUAGE SQL AS $$ BEGIN RETURN 'from Scripting'; END $$");
});
afterAll(() => served?.close());

describe("calls between JavaScript and Snowflake Scripting", () => {
  it("a JavaScript procedure calls a Scripting procedure and reads its answer", async () => {
    await served.sql(
      "CREATE PROCEDURE DB.PUBLIC.JS_OUTER() RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$ var rs = snowflake.execute({ sqlText: 'CALL DB.PUBLIC.SQL_INNER()' }); rs.next(); return rs.getColumnValue(1); $$",
    );
    expect(await served.sql("CALL DB.PUBLIC.JS_OUTER()")).toEqual([{ JS_OUTER: "from Scripting" }]);
    expect(served.sandbox.calls.map((c) => `${c.depth} ${c.procedure}`).slice(-2)).toEqual(["1 PUBLIC.JS_OUTER", "2 PUBLIC.SQL_INNER"]);
  });

  it("a Scripting procedure calling a JavaScript procedure fails with a clear error", async () => {
    await served.sql(
      "CREATE PROCEDURE DB.PUBLIC.SQL_OUTER() RETURNS VARIANT LANGUAGE SQL AS $$ DECLARE r VARIANT; BEGIN CALL DB.PUBLIC.JS_INNER() INTO :r; RETURN r; END $$",
    );
    const error = await served.error("CALL DB.PUBLIC.SQL_OUTER()");
    expect(error.message).toContain("unsupported by the floe sandbox: a CALL of the JavaScript procedure PUBLIC.JS_INNER from Snowflake Scripting");
    expect(await served.sql("SELECT 1 AS ONE")).toEqual([{ ONE: 1 }]);
  });
});
