/**
 * The sandbox: start time against a bare DuckDB start, one full `floe simulate` against
 * `floe render` (the part of it that is not the sandbox), and the statement count of one resume
 * and one pause against the reference's (LIFECYCLE.md: 9 and 8 without Task Reactor, 11 + 5N and
 * 9 + N with N instances), as ratios; and what procedures on worker threads cost against
 * statements sent by the session, and what another session waits while one loops.
 */
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { DuckDBInstance } from "@duckdb/node-api";
import { FLOE_ROOT } from "../../generators/compile/project";
import { renderConnector } from "../../generators/pipeline";
import { SandboxApp } from "../../sandbox/app";
import { Sandbox } from "../../sandbox/sandbox";
import { connect, destroy, execute } from "../../snowflake/driver";
import { createInstance, withTaskReactorFixture } from "../../test/helpers/task-reactor";
import { median, timeCommand, timeIt, type BenchRow, type BenchSuite } from "../harness";

const TSX = path.join(FLOE_ROOT, "node_modules", ".bin", "tsx");
const FLOE = path.join(FLOE_ROOT, "cli", "floe.ts");

function simulateStatements(action: "resume" | "pause"): number {
  const result = spawnSync(TSX, [FLOE, "simulate", action, "--json", "--hooks", path.join(FLOE_ROOT, "test", "fixtures", "hooks", "scripted.ts")], { cwd: FLOE_ROOT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`floe simulate ${action} failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { statements: number }).statements;
}

export const suite: BenchSuite = {
  name: "sandbox (the embedded Snowflake stand-in)",
  async run({ repeats }) {
    const rows: BenchRow[] = [];
    const sandboxStart = await timeIt(repeats, async () => (await Sandbox.start()).close());
    const duckStart = await timeIt(repeats, async () => {
      const instance = await DuckDBInstance.create(":memory:");
      (await instance.connect()).closeSync();
      instance.closeSync();
    });
    rows.push({ case: "sandbox start (in process)", seconds: sandboxStart, baseline: "bare DuckDB instance", baselineSeconds: duckStart });

    const simulate = timeCommand(repeats, TSX, [FLOE, "simulate", "resume", "--json"], FLOE_ROOT);
    const render = timeCommand(repeats, TSX, [FLOE, "render", "--out", path.join(FLOE_ROOT, "build", "bench-app")], FLOE_ROOT);
    rows.push({ case: "floe simulate resume (whole process)", seconds: simulate, baseline: "floe render (whole process)", baselineSeconds: render });

    const reference = { resume: 9, pause: 8 };
    for (const action of ["resume", "pause"] as const) {
      const count = simulateStatements(action);
      rows.push({ case: `statements in one successful ${action}`, seconds: count, baseline: "reference (LIFECYCLE.md)", baselineSeconds: reference[action], note: "counts, not seconds" });
    }

    rows.push(...(await procedureRows(repeats)));

    // Task Reactor instances in the SDK's layout, created by the test fixture, as floe's tests do.
    const rendered = await renderConnector({ name: "REACTOR", features: { task_reactor: true }, root: FLOE_ROOT });
    const app = await SandboxApp.start(await withTaskReactorFixture(rendered));
    try {
      let created = 0;
      for (const n of [1, 5]) {
        for (; created < n; created++) await createInstance(app, `W${created}`);
        app.writeStatus({ status: "PAUSED", configurationStatus: "FINALIZED" });
        await app.call("RESUME_CONNECTOR");
        const resumed = app.lastCall("RESUME_CONNECTOR")?.statements.length ?? Number.NaN;
        rows.push({ case: `statements in one resume, Task Reactor with ${n} instances`, seconds: resumed, baseline: "reference: 11 + 5N", baselineSeconds: 11 + 5 * n, note: "counts, not seconds" });
        await app.call("PAUSE_CONNECTOR");
        const paused = app.lastCall("PAUSE_CONNECTOR")?.statements.length ?? Number.NaN;
        rows.push({ case: `statements in one pause, Task Reactor with ${n} instances`, seconds: paused, baseline: "reference: 9 + N", baselineSeconds: 9 + n, note: "counts, not seconds" });
      }
    } finally {
      await app.close();
    }
    return rows;
  },
};

/**
 * Procedures run on worker threads: what a statement issued from inside one costs against the
 * same statement sent by the session, and how long another session waits while one loops.
 */
async function procedureRows(repeats: number): Promise<BenchRow[]> {
  const sandbox = await Sandbox.start({ procedureTimeoutMs: 5_000 });
  try {
    const server = await sandbox.serve();
    const session = await connect({ ...server.connectionOptions() });
    const other = await connect({ ...server.connectionOptions() });
    const sql = (text: string) => execute(session, text);
    await sql("CREATE DATABASE BENCH");
    await sql("CREATE PROCEDURE BENCH.PUBLIC.HUNDRED() RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$ for (var i = 0; i < 100; i++) snowflake.execute({ sqlText: 'SELECT 1 AS ONE' }); return 1; $$");
    await sql("CREATE PROCEDURE BENCH.PUBLIC.LOOP() RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$ while (true) {} $$");
    await sql("CALL BENCH.PUBLIC.HUNDRED()");
    const inside = await timeIt(repeats, () => sql("CALL BENCH.PUBLIC.HUNDRED()"));
    const outside = await timeIt(repeats, async () => {
      for (let i = 0; i < 100; i++) await sql("SELECT 1 AS ONE");
    });
    const alone = await timeIt(repeats, () => execute(other, "SELECT 1 AS ONE"));
    const besides: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const looping = sql("CALL BENCH.PUBLIC.LOOP()").catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
      const started = process.hrtime.bigint();
      await execute(other, "SELECT 1 AS ONE");
      besides.push(Number(process.hrtime.bigint() - started) / 1e9);
      await looping;
    }
    const beside = median(besides);
    await destroy(other);
    await destroy(session);
    return [
      { case: "CALL of a procedure issuing 100 statements (worker thread)", seconds: inside, baseline: "the same 100 statements from the session", baselineSeconds: outside },
      { case: "SELECT 1 from a session while another session's procedure loops", seconds: beside, baseline: "SELECT 1 alone", baselineSeconds: alone, note: "the loop runs to its 5 s limit meanwhile" },
    ];
  } finally {
    await sandbox.close();
  }
}
