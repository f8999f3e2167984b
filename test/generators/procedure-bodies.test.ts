/**
 * Procedure bodies carry only the code reachable from their entry (bundle.ts tree-shakes each
 * one): the read-only procedures hold no statement that writes, calls or manages tasks, and a
 * hook's body holds none of the lifecycle's state machine. Each body is also free of `$$` and
 * the same bytes on a second render.
 */
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { renderConnector, type RenderedApp } from "../../generators/pipeline";

const ROOT = path.resolve(__dirname, "..", "..");
let app: RenderedApp;

beforeAll(async () => {
  const example = (await import(path.join(ROOT, "connector.ts"))) as { default: Parameters<typeof renderConnector>[0] };
  app = await renderConnector({ ...example.default, features: { task_reactor: true, scheduler: true } }, { cache: null });
});

function body(name: string): string {
  const procedure = app.model.procedures.find((p) => p.name === name);
  if (procedure === undefined) throw new Error(`no procedure ${name}`);
  return procedure.body;
}

/** Text that only the writing, calling and task-managing ports hold. */
const WRITES = ["UPDATE STATE.APP_STATE", "MERGE INTO", "COMMANDS_QUEUE", "ALTER TASK", "SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT", "CREATE OR REPLACE STREAM", "CALL "];

describe("procedure bodies", () => {
  it.each(["GET_CONNECTOR_STATUS", "GET_CONNECTION_CONFIGURATION"])("%s carries only the reading it does", (name) => {
    const text = body(name);
    for (const fragment of WRITES) expect(text, `${name} holds '${fragment}'`).not.toContain(fragment);
    expect(text).not.toMatch(/HandlerBuilder|compareAndSet/);
  });

  it("RESUME_CONNECTOR still carries every port it uses", () => {
    const text = body("RESUME_CONNECTOR");
    for (const fragment of ["UPDATE STATE.APP_STATE", "COMMANDS_QUEUE", "SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT", "CALL "]) expect(text).toContain(fragment);
  });

  it("RESUME_CONNECTOR and PAUSE_CONNECTOR of an app without Task Reactor or a scheduler task carry none of their code", async () => {
    const plain = await renderConnector({ ...(await import(path.join(ROOT, "connector.ts"))).default, features: { task_reactor: false, scheduler: false } }, { cache: null });
    for (const name of ["RESUME_CONNECTOR", "PAUSE_CONNECTOR"]) {
      const text = plain.model.procedures.find((p) => p.name === name)!.body;
      expect(text, name).toContain("UPDATE STATE.APP_STATE");
      for (const fragment of ["COMMANDS_QUEUE", "SCHEDULER_TASK", "DISPATCHER_TASK", "function driveTasks(", "TaskReactor"]) expect(text, `${name} holds '${fragment}'`).not.toContain(fragment);
    }
    for (const fragment of ["COMMANDS_QUEUE", "SCHEDULER_TASK", "function driveTasks("]) expect(body("RESUME_CONNECTOR")).toContain(fragment);
  });

  it("a hook's body holds its hook and the hook runtime, none of the lifecycle", () => {
    const text = body("RESUME_CONNECTOR_VALIDATE");
    expect(text).toContain("function runHook(");
    for (const fragment of WRITES.filter((f) => f !== "MERGE INTO")) expect(text).not.toContain(fragment);
    expect(text).not.toMatch(/HandlerBuilder|TASK_REACTOR_INSTANCES/);
  });

  it("every body is free of $$ and the same on a second render", async () => {
    const again = await renderConnector({ ...(await import(path.join(ROOT, "connector.ts"))).default, features: { task_reactor: true, scheduler: true } }, { cache: null });
    for (const p of app.model.procedures) {
      expect(p.body, p.name).not.toContain("$$");
      expect(again.model.procedures.find((q) => q.name === p.name)?.body, p.name).toBe(p.body);
    }
  });
});
