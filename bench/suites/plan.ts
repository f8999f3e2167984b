/**
 * Plan time against `tsc --noEmit` on the same hooks files, both as whole processes:
 * - the example connector with its Pulumi program (what `floe plan --base <snapshot>` costs in
 *   CI once the base is known), against tsc on the example's hooks file;
 * - 10 and 100 hooks files, one plan each in one process (render, snapshot, diff against a
 *   saved base, Markdown), against one tsc run over all of them.
 * The base snapshot is saved once beforehand and not timed: a git base adds one render of the
 * base commit in a worktree, about the cost of the head's.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FLOE_ROOT } from "../../generators/compile/project";
import { writeHooksFiles, writeTsconfig } from "../fixtures";
import { timeCommand, type BenchRow, type BenchSuite } from "../harness";

const TSC = path.join(FLOE_ROOT, "node_modules", ".bin", "tsc");
const TSX_CJS = require.resolve("tsx/cjs");
const EXAMPLE_CONNECTOR = path.join(FLOE_ROOT, "connector.ts");

/** The plan process: one planCommand per hooks file (or one for the connector's own hooks). */
const RUNNER = `
const { Writable } = require("node:stream");
const { planCommand } = require(${JSON.stringify(path.join(FLOE_ROOT, "cli", "plan.ts"))});
const job = JSON.parse(process.env.FLOE_BENCH_PLAN);
const quiet = new Writable({ write(_c, _e, cb) { cb(); } });
(async () => {
  const runs = job.hooks.length === 0 ? [undefined] : job.hooks.map((h) => [h]);
  for (const hooks of runs) {
    await planCommand({ connector: job.connector, hooks, base: job.base, format: "markdown", out: job.out, program: job.program }, { stdout: quiet, stderr: quiet, env: {} });
  }
})().catch((e) => { console.error(e); process.exit(1); });
`;

function planProcess(repeats: number, job: { connector: string; hooks: string[]; base: string; out: string; program?: false }): number {
  const env = { FLOE_BENCH_PLAN: JSON.stringify(job) };
  // timeCommand passes no env of its own; the job travels in an env var set for the child only.
  const previous = process.env.FLOE_BENCH_PLAN;
  process.env.FLOE_BENCH_PLAN = env.FLOE_BENCH_PLAN;
  try {
    return timeCommand(repeats, process.execPath, ["--require", TSX_CJS, "-e", RUNNER], FLOE_ROOT);
  } finally {
    if (previous === undefined) delete process.env.FLOE_BENCH_PLAN;
    else process.env.FLOE_BENCH_PLAN = previous;
  }
}

/** Saves the base snapshot (untimed). */
function saveBase(dir: string, program: boolean): void {
  const script = `require(${JSON.stringify(path.join(FLOE_ROOT, "cli", "plan.ts"))}).planCommand({ connector: ${JSON.stringify(EXAMPLE_CONNECTOR)}, save: ${JSON.stringify(dir)}${program ? "" : ", program: false"} }).then((c) => process.exit(c), (e) => { console.error(e); process.exit(1); });`;
  timeCommand(1, process.execPath, ["--require", TSX_CJS, "-e", script], FLOE_ROOT);
}

export const suite: BenchSuite = {
  name: "plan (the offline plan of a connector change)",
  async run({ repeats }) {
    const rows: BenchRow[] = [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "floe-bench-plan-"));
    try {
      const out = path.join(dir, "plan.md");
      const withProgram = fs.existsSync(path.join(FLOE_ROOT, "index.ts"));
      const exampleBase = path.join(dir, "base-example");
      saveBase(exampleBase, withProgram);
      const exampleHooks = path.join(FLOE_ROOT, "hooks", "resume.ts");
      const floe = planProcess(repeats, { connector: EXAMPLE_CONNECTOR, hooks: [], base: exampleBase, out });
      const tsc = timeCommand(repeats, TSC, ["--noEmit", "-p", writeTsconfig(dir, [exampleHooks])], FLOE_ROOT);
      rows.push({
        case: `plan the example connector${withProgram ? " with index.ts" : ""}`,
        seconds: floe,
        baseline: "tsc --noEmit (hooks/resume.ts)",
        baselineSeconds: tsc,
        note: `${repeats} run(s), median; no-change plan against a saved snapshot`,
      });

      const hooksBase = path.join(dir, "base-hooks");
      saveBase(hooksBase, false);
      for (const count of [10, 100]) {
        const { dir: hooksDir, files } = writeHooksFiles(count);
        const runs = count === 100 ? Math.max(1, Math.min(repeats, 2)) : repeats;
        const seconds = planProcess(runs, { connector: EXAMPLE_CONNECTOR, hooks: files, base: hooksBase, out, program: false });
        const baseline = timeCommand(runs, TSC, ["--noEmit", "-p", path.join(hooksDir, "tsconfig.json")], FLOE_ROOT);
        fs.rmSync(hooksDir, { recursive: true, force: true });
        rows.push({
          case: `plan ${count} hooks files (one plan each)`,
          seconds,
          baseline: "tsc --noEmit (same files)",
          baselineSeconds: baseline,
          note: `${runs} run(s), median; ${((seconds / count) * 1000).toFixed(0)} ms a plan`,
        });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return rows;
  },
};
