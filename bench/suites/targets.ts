/**
 * The speed targets of floe's render, simulate and plan, each measured against `tsc --noEmit`
 * on the same hooks files in the same run, or as an absolute time where the target is one.
 * floe runs as the installed package does: its compiled dist/ (`npm run build` first), started
 * directly by node (bench/floe-dist.cjs) — never through npx, whose own start would be counted.
 * tsc runs the same way (node typescript/bin/tsc). Peak memory is each process's maximum RSS.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { HOOK_API_TYPES } from "../../generators/compile/options";
import { FLOE_ROOT } from "../../generators/floe-root";
import { hooksSource, writeTsconfig } from "../fixtures";
import { median, type BenchRow, type BenchSuite } from "../harness";

const FLOE = path.join(FLOE_ROOT, "bench", "floe-dist.cjs");
const RENDER_FILES = path.join(FLOE_ROOT, "bench", "render-files-dist.cjs");
const TSC = require.resolve("typescript/bin/tsc", { paths: [FLOE_ROOT] });
const TIME = "/usr/bin/time";
const EXAMPLE_HOOKS = ["resume.ts", "configure.ts", "connection.ts", "finalize.ts"];

interface Measured {
  readonly seconds: number;
  /** Peak resident memory, MB (median). */
  readonly peakMb: number | undefined;
}

interface Command {
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Runs untimed before each run of this command. */
  readonly before?: () => void;
}

/**
 * Median wall-clock and peak RSS of `repeats` rounds, each running every command once in turn
 * (`before` runs untimed before each round): commands compared in one row share the machine's
 * load round by round, rather than one block of runs after the other.
 */
function measureRounds(repeats: number, commands: readonly Command[], cwd: string, before?: (run: number) => void): Measured[] {
  const times: number[][] = commands.map(() => []);
  const peaks: number[][] = commands.map(() => []);
  const withTime = fs.existsSync(TIME);
  for (let i = 0; i < repeats; i++) {
    before?.(i);
    commands.forEach(({ args, env, before: prepare }, c) => {
      prepare?.();
      const started = process.hrtime.bigint();
      const options = { cwd, encoding: "utf8" as const, env: { ...process.env, NO_COLOR: "1", ...env } };
      const result = withTime ? spawnSync(TIME, ["-f", "floe-bench-peak %M", process.execPath, ...args], options) : spawnSync(process.execPath, args, options);
      times[c].push(Number(process.hrtime.bigint() - started) / 1e9);
      if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed in ${cwd}:\n${result.stdout}${result.stderr}`);
      const peak = /floe-bench-peak (\d+)/.exec(result.stderr ?? "");
      if (peak !== null) peaks[c].push(Number(peak[1]) / 1024);
    });
  }
  return commands.map((_, c) => ({ seconds: median(times[c]), peakMb: peaks[c].length > 0 ? median(peaks[c]) : undefined }));
}

/** Median wall-clock and peak RSS of `repeats` runs of `node args...`; `before` runs untimed before each. */
function measure(repeats: number, args: readonly string[], cwd: string, before?: (run: number) => void): Measured {
  return measureRounds(repeats, [{ args }], cwd, before)[0];
}

const mb = (m: Measured) => (m.peakMb === undefined ? "" : `peak ${m.peakMb.toFixed(0)} MB`);

/** A connector project in a new temporary folder: connector.ts naming `hooks`. */
function connectorProject(hooks: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "floe-bench-targets-"));
  for (const [name, text] of Object.entries(hooks)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const list = Object.keys(hooks).map((h) => JSON.stringify(h)).join(", ");
  fs.writeFileSync(path.join(dir, "connector.ts"), `export default { name: "BENCH_CONNECTOR", hooks: [${list}], privileges: ["EXECUTE TASK"] };\n`);
  return dir;
}

function exampleProject(): string {
  return connectorProject(Object.fromEntries(EXAMPLE_HOOKS.map((f) => [`hooks/${f}`, fs.readFileSync(path.join(FLOE_ROOT, "hooks", f), "utf8")])));
}

/**
 * An edit as a user makes one: the message of the file's first `ok("...")` changes, so the hook's
 * procedure body changes too and its new statement goes through the SQL gate. (An edit of a
 * comment alone would change the file's cache key but not the body, and skip the gate.)
 */
function touch(file: string, run: number): void {
  const text = fs.readFileSync(file, "utf8");
  const edited = text.replace(/ok\("([^"]*?)(?: \(edit [\d ]+\))?"\)/, (_all, message: string) => `ok("${message} (edit ${run} ${process.hrtime.bigint()})")`);
  if (edited === text) throw new Error(`${file} has no ok("...") for the benchmark to edit`);
  fs.writeFileSync(file, edited);
}

/** The median of the round times `floe render --watch` prints after `edits` saves. */
async function watchRounds(dir: string, file: string, edits: number): Promise<number> {
  const child = spawn(process.execPath, [FLOE, "render", "--watch"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
  let text = "";
  const waiters: (() => void)[] = [];
  const onData = (d: Buffer) => {
    text += d.toString();
    waiters.splice(0).forEach((w) => w());
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const until = async (pattern: RegExp) => {
    while (!pattern.test(text)) {
      if (child.exitCode !== null) throw new Error(`floe render --watch exited:\n${text}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  try {
    await until(/watching \d+ files?/);
    for (let round = 2; round < edits + 2; round++) {
      touch(file, round);
      await until(new RegExp(`^render ${round} \\((\\d+) ms\\)`, "m"));
    }
  } finally {
    child.kill("SIGINT");
  }
  const times = [...text.matchAll(/^render (\d+) \((\d+) ms\)/gm)].filter((m) => Number(m[1]) >= 2).map((m) => Number(m[2]) / 1000);
  return median(times);
}

const DESCRIPTION = `
What each side does. **tsc** (\`node typescript/bin/tsc --noEmit -p\`) type-checks all N hooks files in
one program, with floe's options: strict, ES2019 library only, no Node types, \`skipLibCheck\`, and
\`"floe"\` mapped to the hook API's declarations (\`dist/lifecycle/hook-api.d.ts\`), as the installed
package checks hooks. **floe** (its compiled \`dist/\`, started by node, never through npx) renders one
connector per hooks file in one process (\`bench/render-files-dist.cjs\`; a connector's hooks files
cannot define the same hook twice, so N hooks files of this shape are N connectors, as a Pulumi
program with N connectors renders them): for each, it type-checks the file against the same
declarations and library, collects and checks what each hook uses, bundles each hook's body with
esbuild, renders the app bundle (setup SQL, manifest), and passes every new statement through the
SQL gate. Before each timed run every hooks file is edited as a user edits one (a hook's message
changes), so every file misses the cache and every hook body changes; floe's own lifecycle
procedures are built ahead of time (\`npm run build\`) in both cases.

Why the render-after-edit targets at 10 and 100 files are missed: TypeScript cannot add a file to
a program it has checked, so each connector's render builds a new program and checker (the library
and hook API stay parsed in the process; binding their globals and resolving the library types a
hook uses is done again per checker, ~10 ms), then bundles its bodies (one esbuild run per hooks
file) and gates its statements. tsc pays its per-program costs once for all N files, and checks
nothing more per file.
`;

export const suite: BenchSuite = {
  name: "targets (render, watch, simulate, plan, sandbox)",
  description: DESCRIPTION,
  async run({ repeats }) {
    if (!fs.existsSync(path.join(FLOE_ROOT, "dist", "cli", "floe.js"))) throw new Error("dist/ is missing: run `npm run build` first.");
    const rows: BenchRow[] = [];
    const cleanup: string[] = [];
    try {
      // Render after a hook edit: N hooks files, each edited before every run (every one a cache miss).
      const perCount = new Map<number, { floe: number; tsc: number }>();
      for (const count of [1, 10, 100]) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), `floe-bench-edit-${count}-`));
        cleanup.push(dir);
        const files = Array.from({ length: count }, (_, i) => path.join(dir, `hooks_${i}.ts`));
        files.forEach((f, i) => fs.writeFileSync(f, hooksSource(i)));
        writeTsconfig(dir, files, HOOK_API_TYPES);
        const runs = count === 100 ? Math.min(repeats, 3) : repeats;
        measure(1, [RENDER_FILES, ...files], dir); // fills the lifecycle and statement caches
        // Round by round: tsc, floe after an edit of every file, and (one file) floe without its
        // compiler's code cache after another edit of every file.
        let edits = 0;
        const editAll = () => files.forEach((f) => touch(f, edits++));
        const commands: Command[] = [{ args: [TSC, "--noEmit", "-p", path.join(dir, "tsconfig.json")] }, { args: [RENDER_FILES, ...files], before: editAll }];
        if (count === 1) commands.push({ args: [RENDER_FILES, ...files], env: { FLOE_CODE_CACHE: "0" }, before: editAll });
        const [tsc, floe, cold] = measureRounds(runs, commands, dir);
        perCount.set(count, { floe: floe.seconds, tsc: tsc.seconds });
        rows.push({
          case: `render after a hook edit, ${count} hooks file${count === 1 ? "" : "s"} (every file edited)`,
          seconds: floe.seconds,
          baseline: "tsc --noEmit (same files)",
          baselineSeconds: tsc.seconds,
          note: `target ≤ 1.2; ${runs} runs; floe ${mb(floe)}, tsc ${mb(tsc)}`,
        });
        if (cold !== undefined) {
          rows.push({
            case: "render after a hook edit, 1 hooks file, without the compiler's code cache (FLOE_CODE_CACHE=0)",
            seconds: cold.seconds,
            baseline: "tsc --noEmit (same files)",
            baselineSeconds: tsc.seconds,
            note: `for comparison (what the code cache saves); ${runs} runs; floe ${mb(cold)}`,
          });
        }
      }
      const ten = perCount.get(10)!;
      const hundred = perCount.get(100)!;
      rows.push({
        case: "per extra hooks file (from 10 to 100 files)",
        seconds: (hundred.floe - ten.floe) / 90,
        baseline: "tsc's per extra file",
        baselineSeconds: (hundred.tsc - ten.tsc) / 90,
        note: "target ≤ 2",
      });

      // The example connector's four hooks files, rendered, simulated and planned by the floe command.
      const example = exampleProject();
      cleanup.push(example);
      const exampleTs = writeTsconfig(example, EXAMPLE_HOOKS.map((f) => path.join(example, "hooks", f)), HOOK_API_TYPES);
      const tsc = measure(repeats, [TSC, "--noEmit", "-p", exampleTs], example);
      measure(1, [FLOE, "render"], example);
      const unchanged = measure(repeats, [FLOE, "render"], example);
      rows.push({ case: "floe render, unchanged connector (4 hooks files, cache warm)", seconds: unchanged.seconds, baseline: "tsc --noEmit (same files)", baselineSeconds: tsc.seconds, note: `target ≤ 0.3 s; ${mb(unchanged)}` });
      const edited = measure(repeats, [FLOE, "render"], example, (run) => touch(path.join(example, "hooks", "resume.ts"), run));
      rows.push({ case: "floe render after editing hooks/resume.ts (4 hooks files)", seconds: edited.seconds, baseline: "tsc --noEmit (same files)", baselineSeconds: tsc.seconds, note: `target ≤ 1.2; ${mb(edited)}` });
      const watched = await watchRounds(example, path.join(example, "hooks", "resume.ts"), Math.max(5, repeats));
      rows.push({ case: "floe render --watch, one re-render after a save", seconds: watched, note: `target ≤ 0.15 s; median of ${Math.max(5, repeats)} saves, as floe prints them` });
      const simulate = measure(repeats, [FLOE, "simulate", "resume", "--json"], example);
      rows.push({ case: "floe simulate resume --json", seconds: simulate.seconds, baseline: "tsc --noEmit (same files)", baselineSeconds: tsc.seconds, note: `target ≤ 1.0 s; ${mb(simulate)}` });
      const snapshot = path.join(example, "base-snapshot");
      measure(1, [FLOE, "plan", "--save", snapshot], example);
      const plan = measure(repeats, [FLOE, "plan", "--base", snapshot, "--format", "markdown", "--out", path.join(example, "plan.md")], example);
      rows.push({ case: "floe plan --base <saved snapshot>", seconds: plan.seconds, baseline: "tsc --noEmit (same files)", baselineSeconds: tsc.seconds, note: `target ≤ 1.5; ${mb(plan)}` });

      // plan --base <git ref> the first time for that commit: the base's snapshot is not cached,
      // so the commit is checked out and rendered (by this floe, in its process: the project
      // depends on floe). The compiled hooks are cached, as after a render of either commit.
      const repo = exampleProject();
      cleanup.push(repo);
      const git = (...args: string[]) => spawnSync("git", ["-c", "user.name=floe bench", "-c", "user.email=bench@floe.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: repo, encoding: "utf8" });
      fs.writeFileSync(path.join(repo, ".gitignore"), ".floe-cache/\nbuild/\nplan.json\n");
      for (const args of [["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]]) git(...args);
      measure(1, [FLOE, "render"], repo);
      touch(path.join(repo, "hooks", "resume.ts"), 0);
      git("commit", "-q", "-am", "head");
      const planBaseCache = path.join(repo, ".floe-cache", "floe", "plan-base");
      const gitPlanArgs = [FLOE, "plan", "--base", "HEAD~1", "--format", "json", "--out", path.join(repo, "plan.json")];
      measure(1, gitPlanArgs, repo);
      const gitPlan = measure(repeats, gitPlanArgs, repo, () => fs.rmSync(planBaseCache, { recursive: true, force: true }));
      rows.push({
        case: "floe plan --base HEAD~1, the base not cached (a project depending on floe)",
        seconds: gitPlan.seconds,
        baseline: "tsc --noEmit (same files)",
        baselineSeconds: tsc.seconds,
        note: `no target; the base checked out and rendered each run; ${mb(gitPlan)}`,
      });

      // Sandbox start, in one process (the compiled sandbox): median of `repeats` starts.
      const script = `const { Sandbox } = require(${JSON.stringify(path.join(FLOE_ROOT, "dist", "sandbox", "sandbox.js"))});
(async () => { const times = []; for (let i = 0; i < ${repeats}; i++) { const t = process.hrtime.bigint(); const s = await Sandbox.start(); times.push(Number(process.hrtime.bigint() - t) / 1e9); await s.close(); }
times.sort((a, b) => a - b); process.stdout.write(String(times[Math.floor(times.length / 2)])); })().catch((e) => { console.error(e); process.exit(1); });`;
      const started = spawnSync(process.execPath, ["-e", script], { cwd: example, encoding: "utf8" });
      if (started.status !== 0) throw new Error(`sandbox start failed: ${started.stderr}`);
      rows.push({ case: "sandbox start (in process)", seconds: Number(started.stdout), note: `target ≤ 0.3 s; median of ${repeats}` });
    } finally {
      for (const dir of cleanup) fs.rmSync(dir, { recursive: true, force: true });
    }
    return rows;
  },
};
