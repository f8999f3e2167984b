/**
 * The benchmark harness behind `npm run bench`. A suite measures floe against a baseline run in
 * the same process (e.g. `tsc --noEmit` on the same files) and reports ratios, which hold on a
 * noisy machine where absolute times do not. Benchmarks are never assertions.
 */
import { spawnSync } from "node:child_process";

export interface BenchRow {
  /** What was measured, e.g. "render, 10 hooks files". */
  readonly case: string;
  /** Median seconds of floe's run. */
  readonly seconds: number;
  /** What the baseline is, e.g. "tsc --noEmit". */
  readonly baseline?: string;
  /** Median seconds of the baseline on the same input. */
  readonly baselineSeconds?: number;
  /** Free-form extra figure (counts, sizes). */
  readonly note?: string;
}

export interface BenchSuite {
  readonly name: string;
  /** What floe and the baseline each do in this suite (Markdown), printed under its table. */
  readonly description?: string;
  run(options: { readonly repeats: number }): Promise<BenchRow[]>;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median wall-clock seconds of `repeats` runs of an async function. */
export async function timeIt(repeats: number, work: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = process.hrtime.bigint();
    await work();
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  return median(times);
}

/** Median wall-clock seconds of `repeats` runs of a command; throws if it fails. */
export function timeCommand(repeats: number, command: string, args: readonly string[], cwd: string): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd, encoding: "utf8" });
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
  }
  return median(times);
}

export function formatRows(suite: string, rows: readonly BenchRow[], description?: string): string {
  const lines = [`## ${suite}`, "", "| case | floe (s) | baseline | baseline (s) | ratio floe/baseline | note |", "|---|---:|---|---:|---:|---|"];
  for (const r of rows) {
    const ratio = r.baselineSeconds !== undefined && r.baselineSeconds > 0 ? (r.seconds / r.baselineSeconds).toFixed(2) : "";
    lines.push(
      `| ${r.case} | ${r.seconds.toFixed(3)} | ${r.baseline ?? ""} | ${r.baselineSeconds === undefined ? "" : r.baselineSeconds.toFixed(3)} | ${ratio} | ${r.note ?? ""} |`,
    );
  }
  if (description !== undefined) lines.push("", description.trim());
  return lines.join("\n");
}
