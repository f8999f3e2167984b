/**
 * One time limit covers a whole procedure call: the body, its microtasks, the conversion of
 * what it returns (`toJSON`, getters, proxies) and the reading of what it throws; and a
 * runaway procedure holds up neither the other sessions nor the other calls.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execute } from "../../snowflake/driver";
import { privateTmpdir, serveSandbox, type Served } from "./helpers";

privateTmpdir();
const LIMIT_MS = 1_000;

async function procedure(served: Served, name: string, body: string, args = ""): Promise<void> {
  await served.sql(`CREATE OR REPLACE PROCEDURE DB.PUBLIC.${name}(${args}) RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$\n${body}\n$$`);
}

describe("the time limit", () => {
  let served: Served;
  beforeAll(async () => {
    served = await serveSandbox({ procedureTimeoutMs: LIMIT_MS });
    await served.sql("CREATE DATABASE DB");
  });
  afterAll(() => served?.close());

  const RUNAWAYS: readonly [string, string][] = [
    ["a loop in the body", "while (true) {}"],
    ["a toJSON of the answer", "return { toJSON() { while (true) {} } };"],
    ["a getter of the answer", "return { get field() { while (true) {} } };"],
    ["a proxy as the answer", "return new Proxy({}, { ownKeys() { while (true) {} } });"],
    ["a then getter (the Promise check)", "return { get then() { while (true) {} } };"],
    ["the message of a thrown object", "throw { get message() { while (true) {} } };"],
    ["the toString of a thrown object", "throw { toString() { while (true) {} } };"],
    ["a proxy thrown", "throw new Proxy({}, { get() { while (true) {} } });"],
    ["a microtask", "Promise.resolve().then(() => { while (true) {} }); return 1;"],
    ["an endless Atomics.wait", "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return 1;"],
    ["a loop after catching an SQL error", "try { snowflake.execute({ sqlText: 'SELECT * FROM NOPE' }); } catch (e) { while (true) {} }"],
  ];

  it.each(RUNAWAYS)("stops %s and fails the call with 100132", async (_label, body) => {
    await procedure(served, "RUNAWAY", body);
    const error = await served.error("CALL DB.PUBLIC.RUNAWAY()");
    expect(String(error.code)).toBe("100132");
    expect(error.message).toBe(`JavaScript execution error: PUBLIC.RUNAWAY did not finish within the time limit of ${LIMIT_MS} ms.`);
    // The sandbox serves on.
    expect(await served.sql("SELECT 1 AS ONE")).toEqual([{ ONE: 1 }]);
  });

  it("covers nested calls with the same limit and names the procedure where it ran out", async () => {
    await procedure(served, "INNER_LOOP", "while (true) {}");
    await procedure(served, "OUTER", "try { snowflake.execute({ sqlText: 'CALL DB.PUBLIC.INNER_LOOP()' }); } catch (e) { return e.message; }");
    const error = await served.error("CALL DB.PUBLIC.OUTER()");
    expect(error.message).toBe(
      `JavaScript execution error: PUBLIC.OUTER did not finish within the time limit of ${LIMIT_MS} ms (the time ran out in PUBLIC.INNER_LOOP, which it called).`,
    );
  });

  it("keeps a procedure that allocates without end to its own worker", async () => {
    await procedure(served, "HOG", "var keep = []; for (;;) keep.push(new Array(1e6).fill(1.5));");
    const error = await served.error("CALL DB.PUBLIC.HOG()");
    expect(String(error.code)).toBe("100132");
    expect(error.message).toMatch(/PUBLIC\.HOG (did not finish within the time limit|could not finish: its worker thread)/);
    await procedure(served, "FINE", "return 'fine';");
    expect(await served.sql("CALL DB.PUBLIC.FINE()")).toEqual([{ FINE: "fine" }]);
  });

  it("answers a Promise or a function with an error, as Snowflake does", async () => {
    await procedure(served, "PROMISE", "return Promise.resolve(1);");
    expect((await served.error("CALL DB.PUBLIC.PROMISE()")).message).toBe(
      "JavaScript execution error: PUBLIC.PROMISE returned a Promise; procedures must return synchronously.",
    );
    await procedure(served, "FN", "return function () {};");
    expect((await served.error("CALL DB.PUBLIC.FN()")).message).toBe("JavaScript execution error: PUBLIC.FN returned a function.");
  });

  it("reads what a body throws inside its context: message, toString, or a fallback", async () => {
    await procedure(served, "THROWS", "throw { message: 'custom' };");
    expect((await served.error("CALL DB.PUBLIC.THROWS()")).message).toBe("JavaScript execution error: Uncaught custom in PUBLIC.THROWS.");
    await procedure(served, "THROWS", "throw Symbol('s');");
    expect((await served.error("CALL DB.PUBLIC.THROWS()")).message).toBe("JavaScript execution error: Uncaught Symbol(s) in PUBLIC.THROWS.");
    await procedure(served, "THROWS", "throw Object.create(null);");
    expect((await served.error("CALL DB.PUBLIC.THROWS()")).message).toBe(
      "JavaScript execution error: Uncaught an exception whose message cannot be read in PUBLIC.THROWS.",
    );
    await procedure(served, "THROWS", "throw { get message() { throw new Error('again'); } };");
    expect((await served.error("CALL DB.PUBLIC.THROWS()")).message).toBe(
      "JavaScript execution error: Uncaught an exception whose message cannot be read in PUBLIC.THROWS.",
    );
  });
});

describe("work left behind by a call", () => {
  let served: Served;
  beforeAll(async () => {
    // One worker: whatever a call leaves running there would hold up the next call.
    served = await serveSandbox({ procedureTimeoutMs: LIMIT_MS, procedureWorkers: 1 });
    await served.sql("CREATE DATABASE DB");
  });
  afterAll(() => served?.close());

  it("cannot be scheduled: no FinalizationRegistry, and the next call on the same worker runs", async () => {
    await procedure(
      served,
      "LATER",
      "if (typeof FinalizationRegistry === 'undefined') return 'unavailable';" +
        "var r = new FinalizationRegistry(function () { while (true) {} });" +
        "for (var i = 0; i < 1000; i++) r.register({ big: new Array(10000).fill(i) }, i);" +
        "var junk = []; for (var j = 0; j < 200; j++) junk.push(new Array(100000).fill(j));" +
        "globalThis.keep = r; return 'registered';",
    );
    expect(await served.sql("CALL DB.PUBLIC.LATER()")).toEqual([{ LATER: "unavailable" }]);
    await procedure(served, "NEXT", "return 'ran';");
    await new Promise((r) => setTimeout(r, 200));
    expect(await served.sql("CALL DB.PUBLIC.NEXT()")).toEqual([{ NEXT: "ran" }]);
  });

  it("never runs promise jobs that settle after the call: they cannot run statements either", async () => {
    await served.sql("CREATE TABLE DB.PUBLIC.LOG (X STRING)");
    // Atomics.waitAsync settles from the thread's event loop 20 ms after the call returned.
    await procedure(
      served,
      "PENDING",
      "var waited = Atomics.waitAsync(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);" +
        "waited.value.then(function () { snowflake.execute({ sqlText: \"INSERT INTO DB.PUBLIC.LOG VALUES ('late')\" }); while (true) {} });" +
        "return typeof waited.value.then;",
    );
    expect(await served.sql("CALL DB.PUBLIC.PENDING()")).toEqual([{ PENDING: "function" }]);
    await new Promise((r) => setTimeout(r, 200));
    await procedure(served, "NEXT", "return 'ran';");
    expect(await served.sql("CALL DB.PUBLIC.NEXT()")).toEqual([{ NEXT: "ran" }]);
    expect(await served.sql("SELECT COUNT(*) AS N FROM DB.PUBLIC.LOG")).toEqual([{ N: 0 }]);
  });
});

describe("a runaway procedure", () => {
  let served: Served;
  beforeAll(async () => {
    // A limit far beyond this test: the runaways are still running when the others are answered.
    served = await serveSandbox({ procedureTimeoutMs: 120_000 });
    await served.sql("CREATE DATABASE DB");
    await procedure(served, "LOOP", "while (true) {}");
    await procedure(served, "QUICK", "var rs = snowflake.execute({ sqlText: 'SELECT COUNT(*) AS N FROM DB.PUBLIC.T' }); rs.next(); return rs.getColumnValue('N');");
    await served.sql("CREATE TABLE DB.PUBLIC.T (X NUMBER)");
  });
  // Closing the sandbox stops the runaways' workers at once, not at their limit.
  afterAll(() => served?.close());

  it("holds up neither other sessions nor other calls", async () => {
    const loops = [await served.connect(), await served.connect()];
    const settled: string[] = [];
    for (const [i, c] of loops.entries()) {
      execute(c, "CALL DB.PUBLIC.LOOP()").then(
        () => settled.push(`loop ${i} answered`),
        (e: Error) => settled.push(`loop ${i} failed: ${e.message}`),
      );
    }
    while (served.sandbox.calls.filter((c) => c.procedure === "PUBLIC.LOOP").length < 2) await new Promise((r) => setTimeout(r, 10));

    const other = await served.connect();
    expect((await execute(other, "SELECT 41 + 1 AS N")).rows).toEqual([{ N: 42 }]);
    await execute(other, "INSERT INTO DB.PUBLIC.T VALUES (1), (2)");
    expect((await execute(other, "CALL DB.PUBLIC.QUICK()")).rows).toEqual([{ QUICK: 2 }]);
    expect(settled).toEqual([]);
  });
});
