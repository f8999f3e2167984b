import { describe, expect, it } from "vitest";
import {
  MemoryConnector,
  PauseConnectorHandlerBuilder,
  ResumeConnectorHandlerBuilder,
  type ConnectorStatus,
  type LifecyclePorts,
  type StateChangeHandlerBuilder,
} from "floe";

interface Case {
  readonly name: "resume" | "pause";
  readonly builder: (ports: LifecyclePorts) => StateChangeHandlerBuilder;
  readonly validate: string;
  readonly internal: string;
  readonly start: ConnectorStatus;
  readonly retryFrom: ConnectorStatus;
  readonly inProgress: ConnectorStatus;
  readonly target: ConnectorStatus;
  readonly rollback: ConnectorStatus;
  readonly invalid: readonly ConnectorStatus[];
  readonly expected: string;
  readonly success: string;
  readonly instanceCommand: string;
}

const CASES: readonly Case[] = [
  {
    name: "resume",
    builder: (ports) => new ResumeConnectorHandlerBuilder(ports),
    validate: "PUBLIC.RESUME_CONNECTOR_VALIDATE",
    internal: "PUBLIC.RESUME_CONNECTOR_INTERNAL",
    start: "PAUSED",
    retryFrom: "STARTING",
    inProgress: "STARTING",
    target: "STARTED",
    rollback: "PAUSED",
    invalid: ["CONFIGURING", "STARTED", "PAUSING", "ERROR"],
    expected: "PAUSED, STARTING",
    success: "Connector successfully resumed.",
    instanceCommand: "RESUME_INSTANCE",
  },
  {
    name: "pause",
    builder: (ports) => new PauseConnectorHandlerBuilder(ports),
    validate: "PUBLIC.PAUSE_CONNECTOR_VALIDATE",
    internal: "PUBLIC.PAUSE_CONNECTOR_INTERNAL",
    start: "STARTED",
    retryFrom: "PAUSING",
    inProgress: "PAUSING",
    target: "PAUSED",
    rollback: "STARTED",
    invalid: ["CONFIGURING", "STARTING", "PAUSED", "ERROR"],
    expected: "STARTED, PAUSING",
    success: "Connector successfully paused.",
    instanceCommand: "PAUSE_INSTANCE",
  },
];

const OK = () => ({ response_code: "OK" });

describe.each(CASES)("$name connector", (c) => {
  function connector(overrides: { status?: unknown; privileges?: string[]; validate?: () => unknown; internal?: () => unknown; instances?: string[] } = {}) {
    const procedures: Record<string, () => unknown> = {};
    if (overrides.validate !== null) procedures[c.validate] = overrides.validate ?? OK;
    procedures[c.internal] = overrides.internal ?? OK;
    return new MemoryConnector({
      status: "status" in overrides ? overrides.status : { status: c.start, configurationStatus: "FINALIZED" },
      privileges: overrides.privileges ?? ["EXECUTE TASK"],
      procedures,
      ...(overrides.instances ? { instances: overrides.instances } : {}),
    });
  }
  const run = (m: MemoryConnector) => c.builder(m.ports()).build().run();
  const calls = (m: MemoryConnector) => m.events.filter((e) => e.kind === "call").map((e) => (e as { procedure: string }).procedure);

  it("succeeds: validator, in-progress status, callback, target status", () => {
    const m = connector();
    expect(run(m)).toEqual({ response_code: "OK", message: c.success });
    expect(m.stored).toEqual({ status: c.target, configurationStatus: "FINALIZED" });
    expect(m.events).toEqual([
      { kind: "privileges", privileges: ["EXECUTE TASK"] },
      { kind: "read-status" },
      { kind: "call", procedure: c.validate },
      { kind: "write-status", next: { status: c.inProgress, configurationStatus: "FINALIZED" }, written: true },
      { kind: "call", procedure: c.internal },
      { kind: "write-status", next: { status: c.target, configurationStatus: "FINALIZED" }, written: true },
    ]);
  });

  it(`succeeds from ${"the in-progress status"} (a retry)`, () => {
    const m = connector({ status: { status: c.retryFrom, configurationStatus: "FINALIZED" } });
    expect(run(m)).toEqual({ response_code: "OK", message: c.success });
    expect(m.stored).toEqual({ status: c.target, configurationStatus: "FINALIZED" });
  });

  it("refuses without EXECUTE TASK and changes nothing", () => {
    const m = connector({ privileges: [] });
    expect(run(m)).toEqual({
      response_code: "REQUIRED_PRIVILEGES_MISSING",
      message: "To perform this operation the application must be granted the following privileges: EXECUTE TASK",
    });
    expect(m.stored).toEqual({ status: c.start, configurationStatus: "FINALIZED" });
    expect(calls(m)).toEqual([]);
  });

  it.each(c.invalid)("refuses status %s and changes nothing", (status) => {
    const m = connector({ status: { status, configurationStatus: "FINALIZED" } });
    expect(run(m)).toEqual({
      response_code: "INVALID_CONNECTOR_STATUS",
      message: `Invalid connector status. Expected status in: [${c.expected}]. Current status: ${status}.`,
    });
    expect(m.stored).toEqual({ status, configurationStatus: "FINALIZED" });
    expect(calls(m)).toEqual([]);
  });

  it("answers CONNECTOR_STATUS_NOT_FOUND when the status row is missing", () => {
    const m = connector({ status: undefined });
    expect(run(m)).toEqual({
      response_code: "CONNECTOR_STATUS_NOT_FOUND",
      message: "Connector status not found: STATE.APP_STATE has no 'connector_status' row.",
    });
    expect(m.stored).toBeUndefined();
    expect(calls(m)).toEqual([]);
  });

  it.each([
    ["text that is not JSON", "not json", "not json"],
    ["an unknown status", { status: "RUNNING", configurationStatus: "FINALIZED" }, '{"status":"RUNNING","configurationStatus":"FINALIZED"}'],
    ["a number", 42, "42"],
  ])("answers INTERNAL_ERROR for an unreadable status value (%s)", (_label, raw, shown) => {
    const m = connector({ status: raw });
    expect(run(m)).toEqual({
      response_code: "INTERNAL_ERROR",
      message: "The connector status in STATE.APP_STATE cannot be read: " + shown,
    });
    expect(m.stored).toEqual(raw);
    expect(calls(m)).toEqual([]);
  });

  it("returns the validator's error unchanged and leaves the status alone", () => {
    const answer = { response_code: "WAREHOUSE_MISSING", message: "Configure a warehouse before resuming.", hint: "CALL PUBLIC.SET_WAREHOUSE()" };
    const m = connector({ validate: () => answer });
    expect(run(m)).toEqual(answer);
    expect(m.stored).toEqual({ status: c.start, configurationStatus: "FINALIZED" });
    expect(calls(m)).toEqual([c.validate]);
  });

  it("reports a validator that fails with an SQL error", () => {
    const m = connector({
      validate: () => {
        throw new Error("SQL compilation error: Object 'STATE.MISSING' does not exist or not authorized.");
      },
    });
    expect(run(m)).toEqual({
      response_code: "INTERNAL_ERROR",
      message: `State validation procedure ${c.validate}() failed with an SQL error: SQL compilation error: Object 'STATE.MISSING' does not exist or not authorized.`,
    });
    expect(m.stored).toEqual({ status: c.start, configurationStatus: "FINALIZED" });
  });

  it("reports a missing validator procedure", () => {
    const m = connector({ validate: null as unknown as () => unknown });
    expect(run(m)).toEqual({
      response_code: "INTERNAL_ERROR",
      message: `State validation procedure ${c.validate}() does not exist. Create it, or render the app with floe, which defines it.`,
    });
    expect(m.stored).toEqual({ status: c.start, configurationStatus: "FINALIZED" });
  });

  it.each([
    ["a string", "yes", '"yes"'],
    ["an object without response_code", { ok: true }, '{"ok":true}'],
    ["NULL", null, "NULL"],
    ["a numeric message", { response_code: "OK", message: 7 }, '{"response_code":"OK","message":7}'],
  ])("reports a validator answering %s", (_label, answer, shown) => {
    const m = connector({ validate: () => answer });
    expect(run(m)).toEqual({
      response_code: "INTERNAL_ERROR",
      message: `State validation procedure ${c.validate}() returned ${shown}, which is not a {response_code, message} object.`,
    });
    expect(m.stored).toEqual({ status: c.start, configurationStatus: "FINALIZED" });
    expect(calls(m)).toEqual([c.validate]);
  });

  it(`restores ${"the previous status"} when the callback answers ROLLBACK`, () => {
    const answer = { response_code: "ROLLBACK", message: "Tasks could not be changed; undone." };
    const m = connector({ internal: () => answer });
    expect(run(m)).toEqual(answer);
    expect(m.stored).toEqual({ status: c.rollback, configurationStatus: "FINALIZED" });
  });

  it("sets ERROR when the callback answers another code", () => {
    const m = connector({ internal: () => ({ response_code: "TASK_FAILED", message: "Task INGEST is missing." }) });
    expect(run(m)).toEqual({
      response_code: "UNKNOWN_ERROR",
      message: `An unknown error occurred and the connector is now in an unspecified state: ${c.internal} answered TASK_FAILED: Task INGEST is missing.`,
    });
    expect(m.stored).toEqual({ status: "ERROR", configurationStatus: "FINALIZED" });
  });

  it("sets ERROR when the callback raises", () => {
    const m = connector({
      internal: () => {
        throw new Error("Division by zero");
      },
    });
    expect(run(m)).toEqual({
      response_code: "UNKNOWN_ERROR",
      message: `An unknown error occurred and the connector is now in an unspecified state: ${c.internal} raised an error: Division by zero`,
    });
    expect(m.stored).toEqual({ status: "ERROR", configurationStatus: "FINALIZED" });
  });

  it("sets ERROR when the callback procedure is missing", () => {
    const m = connector();
    m.procedures.delete(c.internal);
    const response = run(m);
    expect(response.response_code).toBe("UNKNOWN_ERROR");
    expect(response.message).toContain(`${c.internal} raised an error: SQL compilation error:\nUnknown function ${c.internal}`);
    expect(m.stored).toEqual({ status: "ERROR", configurationStatus: "FINALIZED" });
  });

  it("queues a command for every initialized Task Reactor instance", () => {
    const m = connector({ instances: ["B_INSTANCE", "A_INSTANCE"] });
    m.instances![1].initialized = true;
    expect(run(m)).toEqual({ response_code: "OK", message: c.success });
    expect(m.events.filter((e) => e.kind === "task-reactor")).toEqual([
      { kind: "task-reactor", instance: "A_INSTANCE", command: c.instanceCommand },
      { kind: "task-reactor", instance: "B_INSTANCE", command: c.instanceCommand },
    ]);
  });

  it("leaves the in-progress status after a failure past the callback, and a retry succeeds", () => {
    const m = connector({ instances: ["I1"] });
    const ports = m.ports();
    const broken: LifecyclePorts = {
      ...ports,
      taskReactor: {
        ...ports.taskReactor!,
        resumeInstance: () => {
          throw new Error("Task I1.DISPATCHER_TASK does not exist or not authorized.");
        },
        pauseInstance: () => {
          throw new Error("Table I1.COMMANDS_QUEUE does not exist or not authorized.");
        },
      },
    };
    const first = c.builder(broken).build().run();
    expect(first.response_code).toBe("INTERNAL_ERROR");
    expect(first.message).toMatch(new RegExp(`^${c.name.toUpperCase()}_CONNECTOR failed: (Task|Table) I1\\.`));
    expect(m.stored).toEqual({ status: c.inProgress, configurationStatus: "FINALIZED" });

    expect(run(m)).toEqual({ response_code: "OK", message: c.success });
    expect(m.stored).toEqual({ status: c.target, configurationStatus: "FINALIZED" });
  });

  it("lets only one of two concurrent calls run the callback", () => {
    const m = connector();
    let internalRuns = 0;
    m.procedures.set(c.internal, () => {
      internalRuns++;
      return { response_code: "OK" };
    });
    let second: unknown;
    // The first call's validator runs the whole second call after the first has read the
    // status: both read the same value, the second writes first.
    const first = c
      .builder(m.ports())
      .withStateValidator(() => {
        second = run(m);
        return { response_code: "OK" };
      })
      .build()
      .run();
    expect(second).toEqual({ response_code: "OK", message: c.success });
    expect(first).toEqual({
      response_code: "INVALID_CONNECTOR_STATUS",
      message: `The connector status changed while ${c.name.toUpperCase()}_CONNECTOR was running (it was ${c.start} when read); another lifecycle call is in progress. Nothing was changed; check GET_CONNECTOR_STATUS and try again.`,
    });
    expect(internalRuns).toBe(1);
    expect(m.stored).toEqual({ status: c.target, configurationStatus: "FINALIZED" });
  });

  it("uses a custom validator, callback and error helper from the builder", () => {
    const m = connector();
    const seen: string[] = [];
    const response = c
      .builder(m.ports())
      .withStateValidator(() => {
        seen.push("validator");
        return { response_code: "OK" };
      })
      .withCallback(() => {
        seen.push("callback");
        return { response_code: "OK" };
      })
      .build()
      .run();
    expect(response).toEqual({ response_code: "OK", message: c.success });
    expect(seen).toEqual(["validator", "callback"]);
    expect(calls(m)).toEqual([]);

    const failing = connector();
    const ports = failing.ports();
    const helped = c
      .builder({ ...ports, status: { ...ports.status, read: () => { throw new Error("network"); } } })
      .withErrorHelper((e, op) => ({ response_code: "CUSTOM_ERROR", message: `${op}: ${(e as Error).message}` }))
      .build()
      .run();
    expect(helped).toEqual({ response_code: "CUSTOM_ERROR", message: `${c.name.toUpperCase()}_CONNECTOR: network` });
  });

  it("cannot skip the privilege and status phases through the builder", () => {
    const m = connector({ privileges: [], status: { status: "CONFIGURING", configurationStatus: "INSTALLED" } });
    const response = c.builder(m.ports()).withStateValidator(OK).withCallback(OK).withErrorHelper(() => OK()).build().run();
    expect(response.response_code).toBe("REQUIRED_PRIVILEGES_MISSING");
    m.privileges.add("EXECUTE TASK");
    expect(c.builder(m.ports()).withStateValidator(OK).withCallback(OK).build().run().response_code).toBe("INVALID_CONNECTOR_STATUS");
    expect(Object.keys(Object.getPrototypeOf(c.builder(m.ports()))).sort()).toEqual([]);
    const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(Object.getPrototypeOf(c.builder(m.ports())))).sort();
    expect(methods).toEqual(["build", "constructor", "withCallback", "withErrorHelper", "withStateValidator"]);
  });
});
