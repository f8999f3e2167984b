/**
 * RESUME_CONNECTOR and PAUSE_CONNECTOR on the SDK's Task Reactor objects and the scheduler task,
 * through snowflake-sdk in the sandbox. The instances are created by a fixture procedure in the
 * SDK's layout (test/fixtures/task-reactor/sdk-layout.sql), not by floe: floe only reads the registry, queues
 * commands, resumes dispatchers and recreates streams, as the reference does on resume and pause.
 *
 * Statement counts (LIFECYCLE.md: the reference issues 11 + 5N per resume, 9 + N per pause):
 * floe issues 5 + 5N and 5 + N, one more each with a scheduler.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderConnector } from "../../generators/pipeline";
import { SandboxApp } from "../../sandbox/app";
import { describePhase } from "../../cli/simulate";
import { createInstance, withTaskReactorFixture } from "../helpers/task-reactor";

const ROOT = path.resolve(__dirname, "..", "..");
const PAUSED = { status: "PAUSED", configurationStatus: "FINALIZED" };
const RESUMED = { response_code: "OK", message: "Connector successfully resumed." };
const PAUSED_OK = { response_code: "OK", message: "Connector successfully paused." };

async function start(features: Record<string, boolean>): Promise<SandboxApp> {
  const rendered = await renderConnector({ name: "REACTOR", features, root: ROOT });
  return SandboxApp.start(await withTaskReactorFixture(rendered));
}

/** Creates an SDK-layout instance: `schemaSql` as written in SQL, registered under `registeredAs`. */
async function instance(app: SandboxApp, schemaSql: string, registeredAs = schemaSql, initialized = true): Promise<void> {
  expect(await createInstance(app, schemaSql, registeredAs, initialized)).toEqual({ created: registeredAs });
}

function commands(app: SandboxApp, schema: string): { TYPE: string; PAYLOAD: unknown; SEQ_NO: number; ID: string }[] {
  return app.inspect(`SELECT TYPE, PAYLOAD, SEQ_NO, ID FROM ${schema}.COMMANDS_QUEUE ORDER BY SEQ_NO`).map((r) => ({ TYPE: r[0] as string, PAYLOAD: r[1], SEQ_NO: Number(r[2]), ID: r[3] as string }));
}

async function taskStates(app: SandboxApp): Promise<Record<string, string>> {
  const rows = await app.query(`SHOW TASKS IN APPLICATION ${app.name}`);
  return Object.fromEntries(rows.map((r) => [`${String(r.schema_name)}.${String(r.name)}`, String(r.state)]));
}

async function streams(app: SandboxApp): Promise<Record<string, { created: number; table: string }>> {
  const rows = await app.query(`SHOW STREAMS IN APPLICATION ${app.name}`);
  return Object.fromEntries(rows.map((r) => [`${String(r.schema_name)}.${String(r.name)}`, { created: new Date(r.created_on as string).getTime(), table: String(r.table_name) }]));
}

async function resume(app: SandboxApp): Promise<number> {
  app.writeStatus(PAUSED);
  expect(await app.call("RESUME_CONNECTOR")).toEqual(RESUMED);
  return app.lastCall("RESUME_CONNECTOR")!.statements.length;
}

async function pause(app: SandboxApp): Promise<number> {
  expect(await app.call("PAUSE_CONNECTOR")).toEqual(PAUSED_OK);
  return app.lastCall("PAUSE_CONNECTOR")!.statements.length;
}

describe("Task Reactor on the SDK's objects", () => {
  let app: SandboxApp;
  beforeAll(async () => {
    app = await start({ task_reactor: true });
  }, 60_000);
  afterAll(() => app?.close());

  it("installs the SDK's registry: TASK_REACTOR_INSTANCES.INSTANCE_REGISTRY(INSTANCE_NAME, IS_INITIALIZED, IS_ACTIVE), and no registry of floe's own", async () => {
    expect(app.inspect("SELECT * FROM TASK_REACTOR_INSTANCES.INSTANCE_REGISTRY")).toEqual([]);
    const described = app.sandbox.tables.listRelations(app.name, "TASK_REACTOR_INSTANCES").map((r) => [r.name, r.columns.map((c) => c.name)]);
    expect(described).toEqual([["INSTANCE_REGISTRY", ["INSTANCE_NAME", "IS_INITIALIZED", "IS_ACTIVE"]]]);
    expect(app.sandbox.tables.hasSchema(app.name, "TASK_REACTOR")).toBe(false);
    const procedures = (await app.query(`SHOW PROCEDURES IN APPLICATION ${app.name}`)).map((r) => r.name);
    expect(procedures).toContain("RESUME_CONNECTOR");
    expect(procedures).not.toContain("INITIALIZE_TASK_REACTOR_INSTANCE");
  });

  it("resumes and pauses with no instance in 5 statements each", async () => {
    expect(await resume(app)).toBe(5);
    expect(await pause(app)).toBe(5);
  });

  it("with one instance: queues RESUME_INSTANCE, resumes the dispatcher, recreates both streams; pause queues PAUSE_INSTANCE and leaves the dispatcher running", async () => {
    await instance(app, "worker_one");
    const before = await streams(app);
    await new Promise((r) => setTimeout(r, 5));
    expect(await resume(app)).toBe(5 + 5);
    const statements = app.lastCall("RESUME_CONNECTOR")!.statements.map((s) => s.sql);
    // The unquoted name from the registry is the upper-case schema, written bare, never in quotes.
    expect(statements.slice(4, 9)).toEqual([
      "INSERT INTO WORKER_ONE.COMMANDS_QUEUE (TYPE, PAYLOAD) SELECT ?, OBJECT_CONSTRUCT()",
      "ALTER TASK WORKER_ONE.DISPATCHER_TASK RESUME",
      "UPDATE WORKER_ONE.CONFIG SET VALUE = TO_VARCHAR(SYSDATE()) WHERE KEY = 'LAST_STREAMS_RECREATION'",
      "CREATE OR REPLACE STREAM WORKER_ONE.QUEUE_STREAM CLONE WORKER_ONE.QUEUE_STREAM",
      "CREATE OR REPLACE STREAM WORKER_ONE.COMMANDS_QUEUE_STREAM CLONE WORKER_ONE.COMMANDS_QUEUE_STREAM",
    ]);
    expect((await taskStates(app))["WORKER_ONE.DISPATCHER_TASK"]).toBe("started");
    const after = await streams(app);
    for (const stream of ["WORKER_ONE.QUEUE_STREAM", "WORKER_ONE.COMMANDS_QUEUE_STREAM"]) {
      expect(after[stream].created, stream).toBeGreaterThan(before[stream].created);
      expect(after[stream].table).toBe(before[stream].table);
    }
    const recreated = app.inspect("SELECT VALUE FROM WORKER_ONE.CONFIG WHERE KEY = 'LAST_STREAMS_RECREATION'")[0][0] as string;
    expect(recreated > "2000-01-01").toBe(true);

    expect(await pause(app)).toBe(5 + 1);
    expect((await taskStates(app))["WORKER_ONE.DISPATCHER_TASK"]).toBe("started");
    const queued = commands(app, "WORKER_ONE");
    expect(queued.map((c) => [c.TYPE, c.PAYLOAD])).toEqual([
      ["RESUME_INSTANCE", {}],
      ["PAUSE_INSTANCE", {}],
    ]);
    // ID and SEQ_NO are the queue's defaults, as when the SDK queues a command.
    expect(queued[0].SEQ_NO).toBeLessThan(queued[1].SEQ_NO);
    for (const c of queued) expect(c.ID).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("with five instances: 5 + 5N statements to resume and 5 + N to pause; an instance not initialized is left alone", async () => {
    for (const name of ["worker_two", "worker_three", "worker_four"]) await instance(app, name);
    await instance(app, '"Mixed Case"', '"Mixed Case"');
    await instance(app, "not_ready", "not_ready", false);
    expect(await resume(app)).toBe(5 + 5 * 5);
    expect(await pause(app)).toBe(5 + 5);
    // A quoted name keeps its case and is quoted again where it is used.
    expect(app.lastCall("PAUSE_CONNECTOR")!.statements.map((s) => s.sql)).toContain('INSERT INTO "Mixed Case".COMMANDS_QUEUE (TYPE, PAYLOAD) SELECT ?, OBJECT_CONSTRUCT()');
    expect(commands(app, '"Mixed Case"').map((c) => c.TYPE)).toEqual(["RESUME_INSTANCE", "PAUSE_INSTANCE"]);
    const states = await taskStates(app);
    expect(states["Mixed Case.DISPATCHER_TASK"]).toBe("started");
    expect(states["NOT_READY.DISPATCHER_TASK"]).toBe("suspended");
    expect(commands(app, "NOT_READY")).toEqual([]);
  });

  it("answers INVALID_IDENTIFIER for a registered name that is not an identifier, leaving STARTING for a retry", async () => {
    await createInstance(app, "BROKEN", "broken name");
    app.writeStatus(PAUSED);
    expect(await app.call("RESUME_CONNECTOR")).toEqual({
      response_code: "INVALID_IDENTIFIER",
      message: "'broken name' in TASK_REACTOR_INSTANCES.INSTANCE_REGISTRY is not a valid Snowflake identifier.",
    });
    expect(app.readStatus()).toEqual({ status: "STARTING", configurationStatus: "FINALIZED" });
    app.inspect("DELETE FROM TASK_REACTOR_INSTANCES.INSTANCE_REGISTRY WHERE INSTANCE_NAME = 'broken name'");
    expect(await app.call("RESUME_CONNECTOR")).toEqual(RESUMED);
  });

  it("fails past the callback when an instance's dispatcher is gone, leaving STARTING, and a retry succeeds", async () => {
    await instance(app, "worker_gone");
    // Through the application's back door: a consumer cannot touch the app's objects.
    app.sandbox.runAsApplication(app.name, "DROP TASK WORKER_GONE.DISPATCHER_TASK");
    app.writeStatus(PAUSED);
    const answer = (await app.call("RESUME_CONNECTOR")) as { response_code: string; message: string };
    expect(answer.response_code).toBe("UNKNOWN_ERROR");
    expect(answer.message).toMatch(/DISPATCHER_TASK' does not exist/);
    expect(app.readStatus()).toEqual({ status: "STARTING", configurationStatus: "FINALIZED" });
    app.sandbox.runAsApplication(app.name, "CREATE TASK WORKER_GONE.DISPATCHER_TASK SCHEDULE = '1 MINUTE' AS SELECT 1");
    expect(await app.call("RESUME_CONNECTOR")).toEqual(RESUMED);
  });
});

describe("the scheduler task", () => {
  let app: SandboxApp;
  beforeAll(async () => {
    app = await start({ scheduler: true });
  }, 60_000);
  afterAll(() => app?.close());

  it("resume and pause cost one statement more, and succeed before the connector creates its scheduler task", async () => {
    expect(await resume(app)).toBe(6);
    expect(app.lastCall("RESUME_CONNECTOR")!.statements.map((s) => s.sql)).toContain("ALTER TASK IF EXISTS STATE.SCHEDULER_TASK RESUME");
    expect(await pause(app)).toBe(6);
    expect(app.lastCall("PAUSE_CONNECTOR")!.statements.map((s) => s.sql)).toContain("ALTER TASK IF EXISTS STATE.SCHEDULER_TASK SUSPEND");
  });

  it("resumes STATE.SCHEDULER_TASK on resume and suspends it on pause once it exists", async () => {
    expect(await app.call("TR_FIXTURE_SCHEDULER")).toEqual({ created: "STATE.SCHEDULER_TASK" });
    expect((await taskStates(app))["STATE.SCHEDULER_TASK"]).toBe("suspended");
    await resume(app);
    expect((await taskStates(app))["STATE.SCHEDULER_TASK"]).toBe("started");
    await pause(app);
    expect((await taskStates(app))["STATE.SCHEDULER_TASK"]).toBe("suspended");
  });
});

describe("statements per call with Task Reactor and a scheduler", () => {
  let app: SandboxApp;
  beforeAll(async () => {
    app = await start({ task_reactor: true, scheduler: true });
  }, 60_000);
  afterAll(() => app?.close());

  it("floe simulate's phase listing names every statement of such a resume", async () => {
    const existing = Number(app.inspect("SELECT COUNT(*) FROM TASK_REACTOR_INSTANCES.INSTANCE_REGISTRY")[0][0]);
    if (existing === 0) await instance(app, "described");
    await resume(app);
    const phases = app.lastCall("RESUME_CONNECTOR")!.statements.map((s) => describePhase(s, new Map()));
    expect(phases.slice(0, 1)).toEqual(["privileges and status"]);
    expect(phases).toContain("scheduler: STATE.SCHEDULER_TASK resumed if it exists");
    expect(phases).toContain("Task Reactor: RESUME_INSTANCE queued for DESCRIBED");
    expect(phases).toContain("Task Reactor: DESCRIBED.DISPATCHER_TASK resumed");
    expect(phases).toContain("Task Reactor: DESCRIBED stream recreation time recorded");
    expect(phases).toContain("Task Reactor: DESCRIBED.QUEUE_STREAM recreated");
    app.inspect("DELETE FROM TASK_REACTOR_INSTANCES.INSTANCE_REGISTRY");
  });

  it.each([0, 1, 5])("%i instances: resume 6 + 5N, pause 6 + N", async (n) => {
    const existing = Number(app.inspect("SELECT COUNT(*) FROM TASK_REACTOR_INSTANCES.INSTANCE_REGISTRY")[0][0]);
    for (let i = existing; i < n; i++) await instance(app, `counted_${i}`);
    expect(await resume(app)).toBe(6 + 5 * n);
    expect(await pause(app)).toBe(6 + n);
  });
});
