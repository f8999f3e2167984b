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
      message:
        "The application lacks account privileges this operation needs: EXECUTE TASK. The consumer grants them with GRANT <privilege> ON ACCOUNT TO APPLICATION <application>.",
    });
    expect(m.stored).toEqual({ status: c.start, configurationStatus: "FINALIZED" });
    expect(calls(m)).toEqual([]);
  });

  it.each(c.invalid)("refuses status %s and changes nothing", (status) => {
    const m = connector({ status: { status, configurationStatus: "FINALIZED" } });
    expect(run(m)).toEqual({
      response_code: "INVALID_CONNECTOR_STATUS",
      message: `${c.name.toUpperCase()}_CONNECTOR needs the connector status to be one of [${c.expected}]; it is ${status}.`,
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
    ["an unknown configuration status", { status: c.start, configurationStatus: "DONE" }, `{"status":"${c.start}","configurationStatus":"DONE"}`],
    ["a number", 42, "42"],
  ])("answers INTERNAL_ERROR for an unreadable status value (%s)", (_label, raw, shown) => {
    const m = connector({ status: raw });
    expect(run(m)).toEqual({
      response_code: "INTERNAL_ERROR",
      message: "The connector status stored in STATE.APP_STATE cannot be read: " + shown,
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

  it("answers UNKNOWN_SQL_ERROR, naming the procedure, when the validator fails with an SQL error", () => {
    const m = connector({
      validate: () => {
        throw new Error("SQL compilation error: Object 'STATE.MISSING' does not exist or not authorized.");
      },
    });
    expect(run(m)).toEqual({
      response_code: "UNKNOWN_SQL_ERROR",
      message: `Calling ${c.validate}() failed with an SQL error: SQL compilation error: Object 'STATE.MISSING' does not exist or not authorized.`,
    });
    expect(m.stored).toEqual({ status: c.start, configurationStatus: "FINALIZED" });
  });

  it("answers PROCEDURE_NOT_FOUND when the validator procedure does not exist", () => {
    const m = connector({ validate: null as unknown as () => unknown });
    expect(run(m)).toEqual({ response_code: "PROCEDURE_NOT_FOUND", message: `The procedure ${c.validate}() does not exist.` });
    expect(m.stored).toEqual({ status: c.start, configurationStatus: "FINALIZED" });
  });

  it.each([
    ["a string", "yes", '"yes"', "it is not an object"],
    ["an object without response_code", { ok: true }, '{"ok":true}', "it has no response_code"],
    ["NULL", null, "NULL", "it is NULL"],
    ["an error code without a message", { response_code: "NOT_READY" }, '{"response_code":"NOT_READY"}', "an answer other than OK must carry a message"],
    ["a message that is an object", { response_code: "OK", message: { a: 1 } }, '{"response_code":"OK","message":{"a":1}}', "its message is not a text"],
  ])("answers INVALID_RESPONSE when the validator answers %s", (_label, answer, shown, reason) => {
    const m = connector({ validate: () => answer });
    expect(run(m)).toEqual({
      response_code: "INVALID_RESPONSE",
      message: `${c.validate}() answered ${shown}, which is not a valid response: ${reason}.`,
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

  const unspecified = (detail: string) =>
    `The connector is now in an unspecified state (${detail}); it may need manual intervention. Once the cause is fixed, RECOVER_CONNECTOR_STATE sets the status.`;

  it("sets ERROR and answers UNKNOWN_ERROR when the callback answers another code", () => {
    const m = connector({ internal: () => ({ response_code: "TASK_FAILED", message: "Task INGEST is missing." }) });
    expect(run(m)).toEqual({ response_code: "UNKNOWN_ERROR", message: unspecified(`${c.internal}() answered TASK_FAILED: Task INGEST is missing.`) });
    expect(m.stored).toEqual({ status: "ERROR", configurationStatus: "FINALIZED" });
  });

  it("sets ERROR and answers UNKNOWN_ERROR when the callback procedure raises an SQL error", () => {
    const m = connector({
      internal: () => {
        throw new Error("Division by zero");
      },
    });
    expect(run(m)).toEqual({
      response_code: "UNKNOWN_ERROR",
      message: unspecified(`${c.internal}() answered UNKNOWN_SQL_ERROR: Calling ${c.internal}() failed with an SQL error: Division by zero`),
    });
    expect(m.stored).toEqual({ status: "ERROR", configurationStatus: "FINALIZED" });
  });

  it("sets ERROR and answers UNKNOWN_ERROR when a custom callback throws", () => {
    const m = connector();
    const response = c
      .builder(m.ports())
      .withCallback(() => {
        throw new TypeError("x is undefined");
      })
      .build()
      .run();
    expect(response).toEqual({ response_code: "UNKNOWN_ERROR", message: unspecified(`${c.internal}() raised an error: x is undefined`) });
    expect(m.stored).toEqual({ status: "ERROR", configurationStatus: "FINALIZED" });
  });

  it.each([
    ["is missing", undefined, "PROCEDURE_NOT_FOUND"],
    ["answers without a response_code", () => ({ message: "done" }), "INVALID_RESPONSE"],
    ["answers ROLLBACK without a message", () => ({ response_code: "ROLLBACK" }), "INVALID_RESPONSE"],
  ])("sets ERROR and answers UNKNOWN_ERROR when the callback procedure %s", (_label, body, cause) => {
    const m = connector();
    if (body === undefined) m.procedures.delete(c.internal);
    else m.procedures.set(c.internal, body);
    const response = run(m);
    expect(response.response_code).toBe("UNKNOWN_ERROR");
    expect(response.message).toContain(`${c.internal}() answered ${cause}: `);
    expect(m.stored).toEqual({ status: "ERROR", configurationStatus: "FINALIZED" });
  });

  it("keeps the stored object's other keys on every write, and accepts a status without configurationStatus", () => {
    const m = connector({ status: { status: c.start, owner: "ops", nested: { a: 1 } } });
    expect(run(m)).toEqual({ response_code: "OK", message: c.success });
    expect(m.stored).toEqual({ status: c.target, configurationStatus: "FINALIZED", owner: "ops", nested: { a: 1 } });
    const rolled = connector({ status: { status: c.start, configurationStatus: "FINALIZED", owner: "ops" }, internal: () => ({ response_code: "ROLLBACK", message: "undone" }) });
    expect(run(rolled)).toEqual({ response_code: "ROLLBACK", message: "undone" });
    expect(rolled.stored).toEqual({ status: c.rollback, configurationStatus: "FINALIZED", owner: "ops" });
  });

  it("answers INVALID_CONNECTOR_STATUS when the stored object has no status", () => {
    const m = connector({ status: { configurationStatus: "FINALIZED" } });
    expect(run(m)).toEqual({
      response_code: "INVALID_CONNECTOR_STATUS",
      message: `${c.name.toUpperCase()}_CONNECTOR needs the connector status to be one of [${c.expected}]; it is not set.`,
    });
  });

  it("queues a command for every initialized Task Reactor instance; resume then recreates each instance's streams", () => {
    const m = connector({ instances: ["B_INSTANCE", "A_INSTANCE", "C_NOT_READY"] });
    m.instances![2].initialized = false;
    expect(run(m)).toEqual({ response_code: "OK", message: c.success });
    const commands = [
      { kind: "task-reactor", instance: "A_INSTANCE", command: c.instanceCommand },
      { kind: "task-reactor", instance: "B_INSTANCE", command: c.instanceCommand },
    ];
    const streams = [
      { kind: "task-reactor", instance: "A_INSTANCE", command: "RECREATE_STREAMS" },
      { kind: "task-reactor", instance: "B_INSTANCE", command: "RECREATE_STREAMS" },
    ];
    expect(m.events.filter((e) => e.kind === "task-reactor")).toEqual(c.name === "resume" ? [...commands, ...streams] : commands);
    expect(m.instances!.map((i) => i.dispatcherRunning)).toEqual(c.name === "resume" ? [true, true, false] : [false, false, false]);
    expect(m.instances![2].commands).toEqual([]);
  });

  it("acts on instance names as Snowflake resolves them: unquoted upper-cased, quoted kept", () => {
    const m = connector({ instances: ["lower_name", '"Quoted Name"'] });
    expect(run(m)).toEqual({ response_code: "OK", message: c.success });
    const touched = m.events.filter((e) => e.kind === "task-reactor" && e.command === c.instanceCommand).map((e) => (e as { instance: string }).instance);
    expect(touched).toEqual(["Quoted Name", "LOWER_NAME"]);
  });

  it("answers INVALID_IDENTIFIER for a registered name that is not an identifier, after the callback, leaving the in-progress status", () => {
    const m = connector({ instances: ["two words"] });
    expect(run(m)).toEqual({
      response_code: "INVALID_IDENTIFIER",
      message: "'two words' in TASK_REACTOR_INSTANCES.INSTANCE_REGISTRY is not a valid Snowflake identifier.",
    });
    expect(m.stored).toEqual({ status: c.inProgress, configurationStatus: "FINALIZED" });
  });

  it("resumes (or suspends) the scheduler task after the callback, when the app has one and it exists", () => {
    const m = new MemoryConnector({
      status: { status: c.start, configurationStatus: "FINALIZED" },
      privileges: ["EXECUTE TASK"],
      procedures: { [c.validate]: OK, [c.internal]: OK },
      scheduler: c.name === "resume" ? "suspended" : "started",
    });
    expect(c.builder(m.ports()).build().run()).toEqual({ response_code: "OK", message: c.success });
    expect(m.schedulerTask).toBe(c.name === "resume" ? "started" : "suspended");
    const kinds = m.events.map((e) => e.kind);
    expect(kinds.indexOf("scheduler")).toBeGreaterThan(kinds.lastIndexOf("call"));
  });

  it("goes on when the app has a scheduler but the connector never created the task", () => {
    const m = new MemoryConnector({
      status: { status: c.start, configurationStatus: "FINALIZED" },
      privileges: ["EXECUTE TASK"],
      procedures: { [c.validate]: OK, [c.internal]: OK },
      scheduler: "missing",
    });
    expect(c.builder(m.ports()).build().run()).toEqual({ response_code: "OK", message: c.success });
    expect(m.schedulerTask).toBe("missing");
  });

  it("leaves the scheduler alone when the callback rolls back", () => {
    const m = new MemoryConnector({
      status: { status: c.start, configurationStatus: "FINALIZED" },
      privileges: ["EXECUTE TASK"],
      procedures: { [c.validate]: OK, [c.internal]: () => ({ response_code: "ROLLBACK", message: "undone" }) },
      scheduler: "suspended",
    });
    expect(c.builder(m.ports()).build().run()).toEqual({ response_code: "ROLLBACK", message: "undone" });
    expect(m.events.some((e) => e.kind === "scheduler")).toBe(false);
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
    // An unexpected exception: UNKNOWN_ERROR with the exception's own message.
    expect(first.response_code).toBe("UNKNOWN_ERROR");
    expect(first.message).toMatch(/^(Task I1\.DISPATCHER_TASK|Table I1\.COMMANDS_QUEUE) does not exist or not authorized\.$/);
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
