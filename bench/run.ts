/**
 * `npm run bench [-- suite ...] [--repeats N]`: runs the benchmark suites and prints their rows
 * with ratios against the baseline each suite runs in the same process. Not a test: nothing here
 * passes or fails on time.
 *
 * bench/ holds the benchmark suites and their harness; it reuses the tests' helpers and engine
 * stack. May import: errors, lifecycle, sql, generators, snowflake, components, sandbox, cli,
 * api, test/helpers, test/pulumi-engine, the root files.
 */
import { formatRows, type BenchSuite } from "./harness";
import { suite as plan } from "./suites/plan";
import { suite as pulumi } from "./suites/pulumi";
import { suite as render } from "./suites/render";
import { suite as sandbox } from "./suites/sandbox";

const SUITES: Record<string, BenchSuite> = { render, sandbox, plan, pulumi };

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let repeats = 3;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--repeats") repeats = Number(args[++i]);
    else names.push(args[i]);
  }
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error("--repeats must be a positive integer");
  for (const name of names) if (!(name in SUITES)) throw new Error(`unknown suite ${name}; suites: ${Object.keys(SUITES).join(", ")}`);
  const chosen = names.length > 0 ? names : Object.keys(SUITES);
  process.stdout.write(`floe benchmarks: ${chosen.join(", ")} (median of ${repeats} runs; ratios are floe/baseline)\n\n`);
  for (const name of chosen) {
    const suite = SUITES[name];
    process.stderr.write(`running ${suite.name} ...\n`);
    const rows = await suite.run({ repeats });
    process.stdout.write(formatRows(suite.name, rows) + "\n\n");
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
