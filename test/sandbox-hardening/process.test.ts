/**
 * `floe sandbox` as a user runs it, in a child process with a temporary folder of its own:
 * a procedure that loops does not keep Ctrl+C from stopping the server, a procedure that uses
 * `import()` fails its call with a clear error instead of ending the process, and a stopped
 * sandbox leaves no folder behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { connect, destroy, execute, type Connection } from "../../snowflake/driver";
import { executeError } from "../helpers/driver";
import { privateTmpdir } from "./helpers";

const ROOT = path.resolve(__dirname, "..", "..");
const FLOE = path.join(ROOT, "bin", "floe.js");
const tmp = privateTmpdir();

interface Running {
  readonly child: ChildProcess;
  readonly tmpdir: string;
  readonly connection: Connection;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

const started: Running[] = [];
afterEach(async () => {
  for (const run of started.splice(0)) {
    if (run.child.exitCode === null) run.child.kill("SIGKILL");
    await destroy(run.connection).catch(() => undefined);
  }
});

async function startFloeSandbox(name: string): Promise<Running> {
  const tmpdir = path.join(tmp, name);
  fs.mkdirSync(tmpdir);
  const child = spawn(process.execPath, [FLOE, "sandbox", "--port", "0"], { cwd: tmpdir, env: { ...process.env, TMPDIR: tmpdir }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let url: string | undefined;
  while (url === undefined) {
    if (child.exitCode !== null) throw new Error(`floe sandbox exited early:\n${output}`);
    url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
    if (url === undefined) await new Promise((r) => setTimeout(r, 50));
  }
  const connection = await connect({ account: "floe_sandbox", username: "floe", password: "floe", accessUrl: url });
  const run: Running = { child, tmpdir, connection, output: () => output, exited };
  started.push(run);
  return run;
}

const sandboxFolders = (dir: string) => fs.readdirSync(dir).filter((f) => f.startsWith("floe-sandbox-"));

describe("floe sandbox", () => {
  it("stops on Ctrl+C while a procedure loops, and removes its folder", async () => {
    const run = await startFloeSandbox("sigint");
    await execute(run.connection, "CREATE DATABASE DB");
    await execute(run.connection, "CREATE PROCEDURE DB.PUBLIC.LOOP() RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$ while (true) {} $$");
    expect(sandboxFolders(run.tmpdir)).toHaveLength(1);
    let answer = "pending";
    void execute(run.connection, "CALL DB.PUBLIC.LOOP()").then(
      () => (answer = "answered"),
      (e: Error & { code?: unknown }) => (answer = `failed ${String(e.code)}`),
    );
    // Give the call time to reach its worker, then interrupt as a terminal would.
    await new Promise((r) => setTimeout(r, 500));
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain("sandbox stopped");
    // The call never got the time-limit answer (10 s away): the server stopped first.
    expect(answer).not.toBe("failed 100132");
    expect(sandboxFolders(run.tmpdir)).toEqual([]);
  });

  it("fails a call that uses import() with a clear error, keeps serving, and leaves no folder", async () => {
    const run = await startFloeSandbox("import");
    await execute(run.connection, "CREATE DATABASE DB");
    const bodies = [
      "return import('node:fs').then(function (fs) { return typeof fs.writeFileSync; });",
      "// hidden behind a comment line\n  var load = function () { return import(/* a comment */ 'node:child_process'); };\n  return 1;",
    ];
    for (const [i, body] of bodies.entries()) {
      await execute(run.connection, `CREATE PROCEDURE DB.PUBLIC.IMPORTS${i}() RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$\n${body}\n$$`);
      const error = await executeError(run.connection, `CALL DB.PUBLIC.IMPORTS${i}()`);
      expect(String(error.code)).toBe("100131");
      expect(error.message).toMatch(/^JavaScript compilation error: import\(\) is not available in a stored procedure \(line \d+, column \d+\): a JavaScript procedure cannot load modules/);
    }
    // Code built at run time cannot import either: it cannot be compiled at all.
    await execute(run.connection, "CREATE PROCEDURE DB.PUBLIC.EVAL_IMPORT() RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$ return eval(\"import('node:fs')\"); $$");
    expect((await executeError(run.connection, "CALL DB.PUBLIC.EVAL_IMPORT()")).message).toBe(
      "JavaScript execution error: Uncaught Code generation from strings disallowed for this context in PUBLIC.EVAL_IMPORT.",
    );
    // A rejected promise nobody handles does not end anything either.
    await execute(run.connection, "CREATE PROCEDURE DB.PUBLIC.REJECTS() RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$ Promise.reject(new Error('nobody listens')); return 'fine'; $$");
    expect((await execute(run.connection, "CALL DB.PUBLIC.REJECTS()")).rows).toEqual([{ REJECTS: "fine" }]);
    expect((await execute(run.connection, "SELECT 1 AS ONE")).rows).toEqual([{ ONE: 1 }]);
    expect(run.child.exitCode).toBeNull();
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
    expect(sandboxFolders(run.tmpdir)).toEqual([]);
  });
});
