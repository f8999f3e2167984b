/**
 * `npm run bench [-- suite ...] [--repeats N]`: runs the benchmark suites (default: the speed
 * targets; `all` for every suite), prints their rows with ratios against the baseline each suite
 * runs in the same process, and records them in bench/RESULTS.md with the machine, the date and
 * the floe commit. Not a test: nothing here passes or fails on time.
 *
 * bench/ holds the benchmark suites and their harness; it reuses the tests' helpers and engine
 * stack. May import: errors, lifecycle, sql, generators, snowflake, components, sandbox, cli,
 * api, test/helpers, test/pulumi-engine, the root files.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatRows, type BenchSuite } from "./harness";
import { suite as plan } from "./suites/plan";
import { suite as pulumi } from "./suites/pulumi";
import { suite as render } from "./suites/render";
import { suite as sandbox } from "./suites/sandbox";
import { suite as targets } from "./suites/targets";

const SUITES: Record<string, BenchSuite> = { targets, render, sandbox, plan, pulumi };
const RESULTS = path.join(__dirname, "RESULTS.md");

function machine(): string {
  const cpus = os.cpus();
  const commit = (() => {
    try {
      return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: __dirname, encoding: "utf8" }).trim();
    } catch {
      return "unknown";
    }
  })();
  return [
    `- date: ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}`,
    `- machine: ${os.type()} ${os.release()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} at the start`,
    `- node ${process.version}; floe at commit ${commit}`,
  ].join("\n");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let repeats = 5;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--repeats") repeats = Number(args[++i]);
    else names.push(args[i]);
  }
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error("--repeats must be a positive integer");
  for (const name of names) if (name !== "all" && !(name in SUITES)) throw new Error(`unknown suite ${name}; suites: ${Object.keys(SUITES).join(", ")}`);
  const chosen = names.length === 0 ? ["targets"] : names.includes("all") ? Object.keys(SUITES) : names;
  const header = `# floe benchmark results\n\nWritten by \`npm run bench${names.length > 0 ? " -- " + names.join(" ") : ""}\` (median of ${repeats} runs unless a row says otherwise; ratios are floe/baseline, both measured in this run).\n\n${machine()}\n`;
  process.stdout.write(header + "\n");
  const sections: string[] = [];
  for (const name of chosen) {
    const suite = SUITES[name];
    process.stderr.write(`running ${suite.name} ...\n`);
    const rows = await suite.run({ repeats });
    const text = formatRows(suite.name, rows, suite.description);
    sections.push(text);
    process.stdout.write(text + "\n\n");
  }
  fs.writeFileSync(RESULTS, header + "\n" + sections.join("\n\n") + "\n");
  process.stderr.write(`recorded in ${path.relative(process.cwd(), RESULTS)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
