/**
 * Render time for 1, 10 and 100 hooks files against `tsc --noEmit` on the same files, both as
 * whole processes: floe type-checks each file as tsc does, then compiles and renders.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FLOE_ROOT } from "../../generators/compile/project";
import { timeCommand, type BenchSuite, type BenchRow } from "../harness";
import { writeHooksFiles } from "../fixtures";

const TSX = path.join(FLOE_ROOT, "node_modules", ".bin", "tsx");
const TSC = path.join(FLOE_ROOT, "node_modules", ".bin", "tsc");

export const suite: BenchSuite = {
  name: "render (typed hooks and the app bundle)",
  async run({ repeats }) {
    const rows: BenchRow[] = [];
    for (const count of [1, 10, 100]) {
      const { dir, files } = writeHooksFiles(count);
      try {
        const runs = count === 100 ? Math.max(1, Math.min(repeats, 2)) : repeats;
        const floe = timeCommand(runs, TSX, [path.join(FLOE_ROOT, "bench", "render-files.ts"), ...files], FLOE_ROOT);
        const tsc = timeCommand(runs, TSC, ["--noEmit", "-p", path.join(dir, "tsconfig.json")], FLOE_ROOT);
        rows.push({ case: `render ${count} hooks file${count === 1 ? "" : "s"}`, seconds: floe, baseline: "tsc --noEmit", baselineSeconds: tsc, note: `${runs} run(s), median` });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    return rows;
  },
};
