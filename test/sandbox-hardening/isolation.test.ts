/**
 * Procedure code reaches nothing of the host. A procedure created and called through the real
 * driver tries every known way out of node:vm (constructor chains of the `snowflake` API, result
 * sets, values, errors and arguments; `this`; eval; structured stack traces across a statement
 * and a nested call) and writes a host file if one works. The file must not exist afterwards,
 * and every object the procedure can reach must belong to its own realm.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderConnector } from "../../generators/pipeline";
import { SandboxApp } from "../../sandbox/app";
import { privateTmpdir, serveSandbox, type Served } from "./helpers";

const tmp = privateTmpdir();
const FIXTURES = path.join(__dirname, "fixtures");
let served: Served;

beforeAll(async () => {
  served = await serveSandbox();
  await served.sql("CREATE DATABASE DB");
  const escape = fs.readFileSync(path.join(FIXTURES, "escapes.js"), "utf8");
  const nested = fs.readFileSync(path.join(FIXTURES, "nested.js"), "utf8");
  await served.sql(`CREATE PROCEDURE DB.PUBLIC.NESTED(TARGET STRING) RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$\n${nested}\n$$`);
  await served.sql(`CREATE PROCEDURE DB.PUBLIC.ESCAPE(TARGET STRING, DOC VARIANT, STAMP TIMESTAMP_NTZ) RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$\n${escape}\n$$`);
});
afterAll(() => served?.close());

interface EscapeReport {
  readonly attempts: Record<string, unknown> & { nested: { attempts: Record<string, string>; frames: number; constructors: number } };
  readonly foreign: string[];
  readonly reached: number;
}

describe("a procedure trying to leave node:vm", () => {
  let report: EscapeReport;
  const target = path.join(tmp, "escaped.txt");

  beforeAll(async () => {
    const rows = await served.sql("CALL DB.PUBLIC.ESCAPE(?, PARSE_JSON(?), CURRENT_TIMESTAMP())", [target, '{"list":[1,{"x":2}]}']);
    report = rows[0].ESCAPE as EscapeReport;
  });

  it("writes no file", () => {
    expect(fs.existsSync(target)).toBe(false);
  });

  it("is blocked on every constructor chain: API, result sets, values, errors, arguments, this, eval", () => {
    const { nested, callSites, ...attempts } = report.attempts;
    expect(Object.keys(attempts).length).toBeGreaterThanOrEqual(24);
    for (const [name, outcome] of Object.entries(attempts)) expect(`${name}: ${String(outcome)}`).toMatch(/^[^:]+: blocked: /);
    // Code generation is off in procedure contexts: every Function constructor found is the context's own.
    expect(attempts["snowflake.execute.constructor"]).toBe("blocked: EvalError: Code generation from strings disallowed for this context");
    expect(callSites).toBeGreaterThan(0);
    expect(nested.frames).toBeGreaterThan(0);
  });

  it("is blocked through structured stack traces, from the top and from a nested call", () => {
    const nested = report.attempts.nested;
    expect(nested.constructors).toBeGreaterThan(0);
    for (const [name, outcome] of Object.entries(nested.attempts)) expect(`${name}: ${outcome}`).toMatch(/: blocked: /);
  });

  it("can reach only objects of its own realm", () => {
    expect(report.reached).toBeGreaterThan(100);
    expect(report.foreign).toEqual([]);
  });
});

describe("a procedure's global scope", () => {
  it("holds the language's own globals, `snowflake` and the arguments, nothing else", async () => {
    await served.sql(
      "CREATE OR REPLACE PROCEDURE DB.PUBLIC.GLOBALS(FIRST STRING) RETURNS VARIANT LANGUAGE JAVASCRIPT AS " +
        "$$ return Reflect.ownKeys(globalThis).map(String); $$",
    );
    const names = (await served.sql("CALL DB.PUBLIC.GLOBALS('x')"))[0].GLOBALS as string[];
    // The judge: what a brand-new context of this Node.js holds.
    const standard = new Set((vm.runInNewContext("Reflect.ownKeys(globalThis).map(String)") as string[]));
    expect(names.filter((n) => !standard.has(n)).sort()).toEqual(["FIRST", "snowflake"]);
  });

  it("cannot compile code from strings or WebAssembly", async () => {
    await served.sql(
      "CREATE OR REPLACE PROCEDURE DB.PUBLIC.CODEGEN() RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$" +
        "var out = {};" +
        "try { out.eval = eval('1 + 1'); } catch (e) { out.eval = e.name; }" +
        "try { out.fn = Function('return 1')(); } catch (e) { out.fn = e.name; }" +
        "try { out.wasm = typeof new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); } catch (e) { out.wasm = e.name; }" +
        "return out; $$",
    );
    expect((await served.sql("CALL DB.PUBLIC.CODEGEN()"))[0].CODEGEN).toEqual({ eval: "EvalError", fn: "EvalError", wasm: "CompileError" });
  });

  it("starts fresh on every call: nothing a call leaves on its globals is seen by the next", async () => {
    await served.sql(
      "CREATE OR REPLACE PROCEDURE DB.PUBLIC.LEAVES() RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$" +
        "var before = typeof globalThis.left; globalThis.left = 1; Object.prototype.polluted = true; Array.prototype.push = null;" +
        "return before + ' ' + typeof ({}).polluted; $$",
    );
    expect((await served.sql("CALL DB.PUBLIC.LEAVES()"))[0].LEAVES).toBe("undefined boolean");
    expect((await served.sql("CALL DB.PUBLIC.LEAVES()"))[0].LEAVES).toBe("undefined boolean");
  });
});

describe("a hooks file that passes floe's checks", () => {
  it("cannot write a file from the procedures it becomes, as floe simulate runs them", async () => {
    const root = path.resolve(__dirname, "..", "..");
    const rendered = await renderConnector({ name: "HOOKED", hooks: [path.join(FIXTURES, "escape-hooks.ts")], root });
    const app = await SandboxApp.start(rendered, { privileges: ["EXECUTE TASK"] });
    try {
      const target = path.join(tmp, "escaped-from-hook.txt");
      app.writeConfig("escape", { target });
      app.writeStatus({ status: "PAUSED", configurationStatus: "FINALIZED" });
      expect(await app.call("RESUME_CONNECTOR")).toEqual({ response_code: "OK", message: "Connector successfully resumed." });
      const validator = app.sandbox.calls.find((c) => c.procedure === "PUBLIC.RESUME_CONNECTOR_VALIDATE");
      const outcomes = String((validator?.answer as { message?: unknown } | undefined)?.message).split(" | ");
      expect(outcomes).toHaveLength(4);
      for (const outcome of outcomes) expect(outcome).toMatch(/^blocked: /);
      expect(fs.existsSync(target)).toBe(false);
    } finally {
      await app.close();
    }
  });
});
