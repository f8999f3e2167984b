/**
 * A fault at every phase of RESUME_CONNECTOR and PAUSE_CONNECTOR (LIFECYCLE.md), injected in the
 * sandbox and met through the real snowflake-sdk driver, with the stored status read after each:
 * before the in-progress write nothing changes; a failing callback leaves ERROR; a failure after
 * the callback leaves the in-progress status, from which the call can be retried.
 *
 * The faults come from the sandbox's test-only fault plan (sandbox/faults.ts), which no SQL
 * statement can reach.
 */
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { renderConnector } from "../../generators/pipeline";
import { SandboxApp } from "../../sandbox/app";
import type { FaultSite } from "../../sandbox/faults";
import { createInstance, withTaskReactorFixture } from "../helpers/task-reactor";

const ROOT = path.resolve(__dirname, "..", "..");
const SCRIPTED = path.join(ROOT, "test", "fixtures", "hooks", "scripted.ts");
const STATUS = (status: string) => ({ status, configurationStatus: "FINALIZED" });

interface Operation {
  readonly name: "RESUME_CONNECTOR" | "PAUSE_CONNECTOR";
  readonly from: string;
  readonly inProgress: string;
  readonly to: string;
  readonly success: string;
  /** The Task Reactor statement of phase 6 for one instance, and how it begins. */
  readonly reactorStep: RegExp;
  readonly reactorText: string;
}

const OPERATIONS: readonly Operation[] = [
  { name: "RESUME_CONNECTOR", from: "PAUSED", inProgress: "STARTING", to: "STARTED", success: "Connector successfully resumed.", reactorStep: /^ALTER TASK "?WORKER"?\.DISPATCHER_TASK RESUME$/, reactorText: "ALTER TASK WORKER.DISPATCHER_TASK RESUME" },
  { name: "PAUSE_CONNECTOR", from: "STARTED", inProgress: "PAUSING", to: "PAUSED", success: "Connector successfully paused.", reactorStep: /^INSERT INTO "?WORKER"?\.COMMANDS_QUEUE /, reactorText: "INSERT INTO WORKER.COMMANDS_QUEUE" },
];

interface Phase {
  readonly phase: string;
  readonly site: (op: Operation) => FaultSite;
  readonly nth?: number;
  /** The answer's response_code. */
  readonly code: string;
  /** A fragment of its message. */
  readonly says: (op: Operation) => string;
  /** The stored status after the call. */
  readonly status: (op: Operation) => string;
}

// Failures before the in-progress write change nothing; the callback's failure leaves ERROR;
// failures after it leave the in-progress status (LIFECYCLE.md: "the call can be retried").
// Codes as LIFECYCLE.md lists them: a hook's SQL error is UNKNOWN_SQL_ERROR naming the
// procedure; any other exception UNKNOWN_ERROR with its own message.
const PHASES: readonly Phase[] = [
  {
    phase: "1 privilege check",
    site: () => ({ function: "SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT" }),
    code: "UNKNOWN_ERROR",
    says: () => "injected fault at the function SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT",
    status: (op) => op.from,
  },
  { phase: "2 status read", site: () => ({ relation: "STATE.APP_STATE" }), code: "UNKNOWN_ERROR", says: () => "injected fault at STATE.APP_STATE", status: (op) => op.from },
  {
    phase: "3 validate hook",
    site: (op) => ({ statement: new RegExp(`^CALL PUBLIC\\.${op.name}_VALIDATE\\(`) }),
    code: "UNKNOWN_SQL_ERROR",
    says: (op) => `Calling PUBLIC.${op.name}_VALIDATE() failed with an SQL error: SQL execution internal error: injected fault at CALL PUBLIC.${op.name}_VALIDATE()`,
    status: (op) => op.from,
  },
  { phase: "4 in-progress write", site: () => ({ statement: /^UPDATE STATE\.APP_STATE / }), code: "UNKNOWN_ERROR", says: () => "injected fault at UPDATE STATE.APP_STATE", status: (op) => op.from },
  {
    phase: "5 internal hook",
    site: (op) => ({ statement: new RegExp(`^CALL PUBLIC\\.${op.name}_INTERNAL\\(`) }),
    code: "UNKNOWN_ERROR",
    says: (op) => `The connector is now in an unspecified state (PUBLIC.${op.name}_INTERNAL() answered UNKNOWN_SQL_ERROR`,
    status: () => "ERROR",
  },
  { phase: "6 Task Reactor step", site: (op) => ({ statement: op.reactorStep }), code: "UNKNOWN_ERROR", says: (op) => `injected fault at ${op.reactorText}`, status: (op) => op.inProgress },
  { phase: "7 final write", site: () => ({ statement: /^UPDATE STATE\.APP_STATE / }), nth: 2, code: "UNKNOWN_ERROR", says: () => "injected fault at UPDATE STATE.APP_STATE", status: (op) => op.inProgress },
];

let app: SandboxApp;
beforeAll(async () => {
  const rendered = await renderConnector({ name: "FAULTY", hooks: [SCRIPTED], features: { task_reactor: true }, root: ROOT });
  // One Task Reactor instance in the SDK's layout, created by the test fixture.
  app = await SandboxApp.start(await withTaskReactorFixture(rendered), { privileges: ["EXECUTE TASK"] });
  expect(await createInstance(app, "WORKER")).toEqual({ created: "WORKER" });
});
afterAll(() => app?.close());
afterEach(() => app.sandbox.faults.clear());

describe.each(OPERATIONS)("$name", (op) => {
  it.each(PHASES)("a fault at phase $phase: the answer names it and the stored status is what the phase leaves", async (p) => {
    app.writeStatus(STATUS(op.from));
    const fault = app.sandbox.faults.inject({ at: p.site(op), ...(p.nth === undefined ? {} : { nth: p.nth }) });
    const answer = (await app.call(op.name)) as { response_code: string; message: string };
    expect(fault.fired).toBe(true);
    expect(answer.response_code).toBe(p.code);
    expect(answer.message).toContain(p.says(op));
    expect(answer.message).toContain("injected fault");
    expect(app.readStatus()).toEqual(STATUS(p.status(op)));
  });

  it("is retried from the in-progress status a late fault leaves, and then succeeds", async () => {
    app.writeStatus(STATUS(op.from));
    app.sandbox.faults.inject({ at: { statement: /^UPDATE STATE\.APP_STATE / }, nth: 2 });
    expect(await app.call(op.name)).toMatchObject({ response_code: "UNKNOWN_ERROR" });
    expect(app.readStatus()).toEqual(STATUS(op.inProgress));
    expect(await app.call(op.name)).toEqual({ response_code: "OK", message: op.success });
    expect(app.readStatus()).toEqual(STATUS(op.to));
  });

  it("succeeds with no fault, and every phase above was reached by its statement", async () => {
    app.writeStatus(STATUS(op.from));
    expect(await app.call(op.name)).toEqual({ response_code: "OK", message: op.success });
    expect(app.readStatus()).toEqual(STATUS(op.to));
    const statements = app.lastCall(op.name)!.statements.map((s) => s.sql);
    for (const p of PHASES) {
      const site = p.site(op);
      if ("statement" in site) expect(statements.filter((s) => site.statement.test(s)).length, p.phase).toBeGreaterThanOrEqual(p.nth ?? 1);
    }
  });
});
