/**
 * The sandbox: start time against a bare DuckDB start, one full `floe simulate` against
 * `floe render` (the part of it that is not the sandbox), and the statement count of one resume
 * and one pause against the reference's (LIFECYCLE.md: 9 without Task Reactor, 11 + 5N with N
 * instances), as ratios.
 */
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { DuckDBInstance } from "@duckdb/node-api";
import { FLOE_ROOT } from "../../generators/compile/project";
import { renderConnector } from "../../generators/pipeline";
import { SandboxApp } from "../../sandbox/app";
import { Sandbox } from "../../sandbox/sandbox";
import { timeCommand, timeIt, type BenchRow, type BenchSuite } from "../harness";

const TSX = path.join(FLOE_ROOT, "node_modules", ".bin", "tsx");
const FLOE = path.join(FLOE_ROOT, "cli", "floe.ts");

function simulateStatements(action: "resume" | "pause"): number {
  const result = spawnSync(TSX, [FLOE, "simulate", action, "--json", "--hooks", path.join(FLOE_ROOT, "test", "fixtures", "hooks", "scripted.ts")], { cwd: FLOE_ROOT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`floe simulate ${action} failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { statements: number }).statements;
}

export const suite: BenchSuite = {
  name: "sandbox (issue: embedded Snowflake sandbox)",
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

    for (const action of ["resume", "pause"] as const) {
      const count = simulateStatements(action);
      rows.push({ case: `statements in one successful ${action}`, seconds: count, baseline: "reference (LIFECYCLE.md)", baselineSeconds: 9, note: "counts, not seconds" });
    }

    const rendered = await renderConnector({ name: "REACTOR", features: { task_reactor: true }, root: FLOE_ROOT });
    const app = await SandboxApp.start(rendered);
    try {
      for (let i = 0; i < 3; i++) await app.call("INITIALIZE_TASK_REACTOR_INSTANCE", "?, ?", [`W${i}`, "WH"]);
      app.writeStatus({ status: "PAUSED", configurationStatus: "FINALIZED" });
      await app.call("RESUME_CONNECTOR");
      const count = app.lastCall("RESUME_CONNECTOR")?.statements.length ?? Number.NaN;
      rows.push({ case: "statements in one resume, Task Reactor with 3 instances", seconds: count, baseline: "reference: 11 + 5N", baselineSeconds: 11 + 5 * 3, note: "counts, not seconds" });
    } finally {
      await app.close();
    }
    return rows;
  },
};
