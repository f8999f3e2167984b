/**
 * The sandbox's call history is bounded: a long-lived sandbox keeps the last N procedure calls
 * (SandboxOptions.callHistory) and forgets older ones, while lastCall and marks taken before a
 * call still find what they name.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallHistory, DEFAULT_CALL_HISTORY } from "../../sandbox/history";
import { Sandbox } from "../../sandbox/sandbox";
import type { CallRecord } from "../../sandbox/session";
import { privateTmpdir, serveSandbox, type Served } from "./helpers";

privateTmpdir();

const record = (procedure: string, depth = 1): CallRecord => ({ procedure, depth, statements: [] });

describe("CallHistory", () => {
  it("keeps the newest `limit` calls, oldest first, and counts every call recorded", () => {
    const history = new CallHistory(3);
    for (let i = 1; i <= 10; i++) history.add(record(`PUBLIC.P${i}`));
    expect(history.calls.map((c) => c.procedure)).toEqual(["PUBLIC.P8", "PUBLIC.P9", "PUBLIC.P10"]);
    expect(history.recorded).toBe(10);
  });

  it("since(mark) returns the calls after the mark that are still kept", () => {
    const history = new CallHistory(4);
    history.add(record("PUBLIC.A"));
    const mark = history.recorded;
    history.add(record("PUBLIC.B"));
    history.add(record("PUBLIC.C", 2));
    expect(history.since(mark).map((c) => c.procedure)).toEqual(["PUBLIC.B", "PUBLIC.C"]);
    for (let i = 0; i < 5; i++) history.add(record(`PUBLIC.X${i}`));
    // B and C are forgotten: what is left after the mark is the last four.
    expect(history.since(mark).map((c) => c.procedure)).toEqual(["PUBLIC.X1", "PUBLIC.X2", "PUBLIC.X3", "PUBLIC.X4"]);
    expect(history.since(history.recorded)).toEqual([]);
  });

  it("last() finds the newest kept call of a procedure at a depth", () => {
    const history = new CallHistory(5);
    const first = record("PUBLIC.RESUME_CONNECTOR");
    const nested = record("PUBLIC.RESUME_CONNECTOR", 2);
    const second = record("PUBLIC.RESUME_CONNECTOR");
    for (const r of [first, nested, second, record("PUBLIC.OTHER")]) history.add(r);
    expect(history.last("PUBLIC.RESUME_CONNECTOR")).toBe(second);
    expect(history.last("PUBLIC.RESUME_CONNECTOR", 2)).toBe(nested);
    expect(history.last("PUBLIC.MISSING")).toBeUndefined();
  });

  it("refuses a limit that is not a whole number of at least 1", () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => new CallHistory(bad)).toThrow(/at least 1/);
    expect(new CallHistory().limit).toBe(DEFAULT_CALL_HISTORY);
  });
});

describe("a sandbox with a bounded call history", () => {
  let served: Served;

  beforeAll(async () => {
    served = await serveSandbox({ callHistory: 3 });
    await served.sql("CREATE DATABASE DB");
    await served.sql("CREATE PROCEDURE DB.PUBLIC.PING(N NUMBER) RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$ return N; $$");
  });
  afterAll(() => served?.close());

  it("keeps the last three of twenty calls made through the driver, and lastCall still answers", async () => {
    for (let i = 1; i <= 20; i++) expect(await served.sql("CALL DB.PUBLIC.PING(?)", [i])).toEqual([{ PING: i }]);
    expect(served.sandbox.calls).toHaveLength(3);
    expect(served.sandbox.calls.map((c) => c.answer)).toEqual([18, 19, 20]);
    expect(served.sandbox.history.recorded).toBe(20);
    expect(served.sandbox.lastCall("PING")?.answer).toBe(20);
  });

  it("refuses a bad callHistory before starting anything", async () => {
    await expect(Sandbox.start({ callHistory: 0 })).rejects.toThrow(/at least 1/);
  });
});
