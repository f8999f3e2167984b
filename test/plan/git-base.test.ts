/**
 * `--base <git ref>`: a throwaway git repository holding a copy of floe, with these commits:
 *
 *   A  floe whose CLI has no `plan` command
 *   B  floe with `plan` (the base), whose Pulumi program (index.ts) is a small fixture program;
 *      floe's sources in it are the running floe's (this checkout's)
 *   B' B with a comment added to one of floe's sources (a side branch): a floe that differs
 *      from the running one, and renders exactly what B renders
 *   C  a changed hook, a changed template and a changed program (the head)
 *
 * Planning C against B renders B with the running floe, in this process; against B' with B''s
 * own floe in a temporary worktree; both give the same plan, and the same base snapshot as B's
 * own floe gives for B. Planning against A fails and says why. No worktree is left either way.
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planCommand } from "../../cli/plan";
import { FLOE_SOURCES, loadBase, resolveBase, type BaseInputs } from "../../cli/plan-base";
import { openCache } from "../../generators/cache/store";
import { FloeError } from "../../errors";
import { privateTmpdir, tempDir } from "../helpers/tmp";
import { captureIo, FIXTURES, ROOT } from "./helpers";

// The worktree check below lists the temporary folder: it must be this file's own, or any other
// floe plan running on the machine at the same time would show up in it.
privateTmpdir();

const PROGRAMS = path.join(FIXTURES, "programs");

/** Top-level entries of the checkout the copy leaves out. */
const SKIP = new Set(["node_modules", ".git", "test", "bench", "docs", "build", "dist", "coverage", ".ci"]);

/** What the CLI looked like before floe plan existed. */
const CLI_WITHOUT_PLAN = `import { Command } from "commander";

const program = new Command().name("floe");
program.command("render").action(() => undefined);
program.parseAsync(process.argv);
`;

/** The example connector, with its templates taken from the repository (so a template change is the repository's). */
const CONNECTOR = `import { defineConnector } from "floe";

export default defineConnector({
  name: "GIT_FIXTURE",
  hooks: ["hooks/resume.ts"],
  privileges: ["EXECUTE TASK"],
  templatesDir: "sql-templates",
  root: __dirname,
});
`;

let repo: string;
let commits: { a: string; b: string; edited: string; c: string };

function git(...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=floe test", "-c", "user.email=test@floe.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: repo, encoding: "utf8" }).trim();
}

function commit(message: string): string {
  git("add", "-A");
  git("commit", "-q", "-m", message);
  return git("rev-parse", "HEAD");
}

function worktrees(): string[] {
  return git("worktree", "list", "--porcelain")
    .split("\n")
    .filter((l) => l.startsWith("worktree "));
}

function leftoverTemps(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("floe-plan-base-"));
}

let tempsBefore: string[] = [];

beforeAll(() => {
  tempsBefore = leftoverTemps();
  repo = path.join(tempDir("floe-plan-git-"), "repo");
  fs.mkdirSync(repo);
  for (const entry of fs.readdirSync(ROOT)) {
    if (SKIP.has(entry)) continue;
    // The Pulumi CLI build (123 MB) in floe's cache is of no use to a plan; its lifecycle artifact is.
    const pulumiBuild = path.join(ROOT, ".floe-cache", "pulumi");
    fs.cpSync(path.join(ROOT, entry), path.join(repo, entry), { recursive: true, filter: (source) => source !== pulumiBuild });
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(repo, "node_modules"), "dir");
  fs.writeFileSync(path.join(repo, "connector.ts"), CONNECTOR);
  // The example program renders the whole connector again; a small program keeps this test quick.
  fs.copyFileSync(path.join(PROGRAMS, "provider.ts"), path.join(repo, "provider.ts"));
  fs.copyFileSync(path.join(PROGRAMS, "grants-v1.ts"), path.join(repo, "index.ts"));
  git("init", "-q", "-b", "main");

  const cli = fs.readFileSync(path.join(repo, "cli", "floe.ts"), "utf8");
  fs.writeFileSync(path.join(repo, "cli", "floe.ts"), CLI_WITHOUT_PLAN);
  const a = commit("A: floe without plan");
  fs.writeFileSync(path.join(repo, "cli", "floe.ts"), cli);
  const b = commit("B: floe with plan");
  git("checkout", "-q", "-b", "edited-floe");
  fs.appendFileSync(path.join(repo, "generators", "render.ts"), "\n// A comment: this floe's sources differ from B's, its output does not.\n");
  const edited = commit("B': a comment in floe's sources");
  git("checkout", "-q", "main");

  const hooks = path.join(repo, "hooks", "resume.ts");
  const text = fs.readFileSync(hooks, "utf8");
  const changed = text.replace('return ok("Ingestion resumed.");', 'return ok("Ingestion resumed at " + new Date().toISOString() + ".");');
  if (changed === text) throw new Error("hooks/resume.ts no longer has the line this test edits");
  fs.writeFileSync(hooks, changed);
  fs.appendFileSync(path.join(repo, "sql-templates", "core.sql"), "\nGRANT USAGE ON SCHEMA PUBLIC TO APPLICATION ROLE DATA_READER;\n");
  fs.copyFileSync(path.join(PROGRAMS, "grants-v2.ts"), path.join(repo, "index.ts"));
  const c = commit("C: a hook, a template and the program change");
  commits = { a, b, edited, c };
});

describe("floe plan --base <git ref>", () => {
  it("compares every folder the package build compiles, and everything the fingerprint hashes, to decide which floe renders", () => {
    const build = fs.readFileSync(path.join(ROOT, "tsconfig.build.json"), "utf8");
    const include = /"include":\s*\[([^\]]*)\]/.exec(build)?.[1] ?? "";
    const folders = [...include.matchAll(/"([^"/]+)\/\*\*\/\*\.ts"/g)].map((m) => m[1]);
    expect(folders.length).toBeGreaterThan(5);
    const fingerprint = fs.readFileSync(path.join(ROOT, "generators", "cache", "fingerprint.ts"), "utf8");
    const hashed = JSON.parse(/const SOURCE_DIRS = (\[[^\]]*\])/.exec(fingerprint)?.[1] ?? "[]") as string[];
    expect(hashed.length).toBeGreaterThan(3);
    for (const folder of [...folders, ...hashed, "templates", "package.json", "package-lock.json", "tsconfig.json"]) expect(FLOE_SOURCES).toContain(folder);
  });

  /** The plan of C against `base` as JSON, and what the command wrote to stderr. */
  async function planAgainst(base: string): Promise<{ code: number; plan: Record<string, unknown>; stderr: string }> {
    const io = captureIo();
    const code = await planCommand({ connector: path.join(repo, "connector.ts"), base, format: "json", failOn: "grants" }, io);
    return { code, plan: JSON.parse(io.stdout.text) as Record<string, unknown>, stderr: io.stderr.text };
  }

  function expectPlanOfC(plan: Record<string, unknown>): void {
    const p = plan as any; // the JSON report, read field by field
    expect(p.procedures.changed.map((c: { name: string; changes: string[] }) => `${c.name}: ${c.changes.join(",")}`)).toEqual(["PUBLIC.RESUME_CONNECTOR_INTERNAL: body"]);
    // The bundler prints `new Date()` in parentheses before a member access (bundle.ts).
    expect(p.procedures.changed[0].diff.unified).toContain('+    return ok("Ingestion resumed at " + (new Date()).toISOString() + ".");');
    expect(p.grants.added.map((g: { target: string; privilege: string; on: string; to: string }) => `${g.target}: ${g.privilege} ON ${g.on} TO ${g.to}`)).toEqual([
      "application-role: USAGE ON SCHEMA PUBLIC TO APPLICATION ROLE DATA_READER",
      "account-role: OPERATE ON WAREHOUSE INGEST_WH TO ROLE CONNECTOR_ADMIN",
      "application: CREATE DATABASE ON ACCOUNT TO APPLICATION PLAN_APP",
    ]);
    // setup.sql changes with the hook body it holds; core.sql with the template.
    expect(p.files.changed.map((f: { path: string }) => f.path)).toEqual(["core.sql", "setup.sql"]);
    expect(p.resources.compared).toBe(true);
    expect(p.resources.added.map((r: { name: string }) => r.name)).toEqual(["landing"]);
  }

  let inProcessPlan: Record<string, unknown> | undefined;

  it("renders a base whose floe is the running floe in this process, says so, and leaves no worktree", async () => {
    const temps = leftoverTemps().length;
    const { code, plan, stderr } = await planAgainst("HEAD~1");
    expect(code, stderr).toBe(2);
    expect(plan.base).toEqual({ kind: "git", ref: "HEAD~1", commit: commits.b });
    expectPlanOfC(plan);
    expect(stderr).toContain(`note: the base was rendered by the running floe, in this process: floe's sources at HEAD~1 (${commits.b.slice(0, 12)}) are the same as its own.`);
    expect(stderr).not.toContain("temporary worktree:");
    expect(worktrees()).toHaveLength(1);
    expect(leftoverTemps()).toHaveLength(temps);
    inProcessPlan = plan;
  });

  it("renders a base whose floe differs from the running one with that floe, in a temporary worktree, to the same plan", async () => {
    const { code, plan, stderr } = await planAgainst("edited-floe");
    expect(code, stderr).toBe(2);
    expect(plan.base).toEqual({ kind: "git", ref: "edited-floe", commit: commits.edited });
    expectPlanOfC(plan);
    expect(stderr).toContain(`note: the base was rendered by the floe of edited-floe (${commits.edited.slice(0, 12)}), from its sources in a temporary worktree: they differ from the running floe's.`);
    if (inProcessPlan === undefined) throw new Error("the in-process plan did not run");
    expect({ ...plan, base: null }).toEqual({ ...inProcessPlan, base: null });
    expect(worktrees()).toHaveLength(1);
  });

  it("renders the same base snapshot in this process as the commit's own floe does in a worktree", async () => {
    const connector = path.join(repo, "connector.ts");
    const inputs: BaseInputs = { connector, hooks: [], program: path.join(repo, "index.ts"), name: "GIT_FIXTURE" };
    const resolved = resolveBase(commits.b, connector);
    const here = await loadBase(resolved, inputs, { cache: null });
    const there = await loadBase(resolved, inputs, { cache: null, inProcess: false });
    expect(here.notes).toEqual([`the base was rendered by the running floe, in this process: floe's sources at ${commits.b} (${commits.b.slice(0, 12)}) are the same as its own.`]);
    expect(there.notes).toEqual([`the base was rendered by the floe of ${commits.b} (${commits.b.slice(0, 12)}), from its sources in a temporary worktree.`]);
    expect(JSON.stringify(here.snapshot)).toBe(JSON.stringify(there.snapshot));
    expect(here.snapshot.procedures.length).toBeGreaterThan(10);
    expect(here.snapshot.program?.resources.length).toBeGreaterThan(0);
  });

  it("reports a head whose program fails, after stopping the base's render and removing its worktree", async () => {
    const failing = path.join(tempDir("floe-plan-failing-"), "failing.ts");
    fs.writeFileSync(failing, 'throw new Error("the head program fails");\n');
    const temps = leftoverTemps().length;
    let error: unknown;
    try {
      await planCommand({ connector: path.join(repo, "connector.ts"), base: "edited-floe", program: failing }, captureIo());
    } catch (e) {
      error = e;
    }
    // Looked at as soon as the command gave up: the command line exits right after reporting.
    const left = { worktrees: worktrees().length, temps: leftoverTemps().length };
    expect(error).toBeInstanceOf(FloeError);
    expect((error as Error).message).toContain("the head program fails");
    expect((error as Error).message).not.toMatch(/--base/);
    expect(left).toEqual({ worktrees: 1, temps });
  });

  it("removes the worktree of a base rendered in this process when the command line is interrupted (Ctrl-C)", async () => {
    // At HEAD, floe's sources are those of the floe this command line runs (the checkout's own
    // cli/floe.ts): the base renders in its process, and its program evaluates for a second or
    // more in a process of its own, so the interrupt lands while the worktree is in use.
    const temps = leftoverTemps();
    const child = spawn(process.execPath, ["--require", require.resolve("tsx/cjs"), path.join(repo, "cli", "floe.ts"), "plan", "--base", "HEAD", "--format", "json"], {
      cwd: repo,
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    const deadline = Date.now() + 60_000;
    try {
      // The worktree is registered: the base's render has begun.
      while (worktrees().length < 2 && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(child.exitCode, stderr).toBeNull();
      expect(leftoverTemps().filter((f) => !temps.includes(f))).toHaveLength(1);
    } finally {
      child.kill("SIGINT");
    }
    const { code, signal } = await exited;
    expect({ code, signal }, stderr).toEqual({ code: null, signal: "SIGINT" });
    expect(worktrees()).toHaveLength(1);
    expect(leftoverTemps().filter((f) => !temps.includes(f))).toEqual([]);
  });

  it("keeps the base of a commit in the project's cache: the next plan reads it, byte-identical, and a corrupt entry is rendered again", async () => {
    const plan = async () => {
      const io = captureIo();
      await planCommand({ connector: path.join(repo, "connector.ts"), base: commits.b, format: "json", program: false }, io);
      return io.stdout.text;
    };
    const cache = openCache(repo);
    if (cache === null) throw new Error("no cache in the fixture repository");
    const entries = () => {
      const folder = path.join(cache.dir, "plan-base");
      return fs.existsSync(folder) ? fs.readdirSync(folder).filter((f) => f.endsWith(".json")) : [];
    };
    const before = entries();
    const first = await plan();
    const mine = entries().filter((f) => !before.includes(f));
    expect(mine).toHaveLength(1);
    const hits = cache.stats.hits;
    const writes = cache.stats.writes;
    // A worktree would show as a new floe-plan-base-* folder: the cached base makes none.
    const temps = leftoverTemps().length;
    expect(await plan()).toBe(first);
    expect(cache.stats.hits).toBeGreaterThan(hits);
    expect(cache.stats.writes).toBe(writes);
    expect(leftoverTemps()).toHaveLength(temps);
    // A cached snapshot that no longer passes the snapshot checks is refused and rendered again.
    const file = path.join(cache.dir, "plan-base", mine[0]);
    const entry = JSON.parse(fs.readFileSync(file, "utf8")) as { value: { snapshot: { procedures: unknown } }; sum: string };
    entry.value.snapshot.procedures = "planted";
    entry.sum = createHash("sha256").update(JSON.stringify(entry.value)).digest("hex");
    fs.writeFileSync(file, JSON.stringify(entry));
    const rejected = cache.stats.rejected;
    expect(await plan()).toBe(first);
    expect(cache.stats.rejected).toBe(rejected + 1);
    expect(cache.stats.writes).toBe(writes + 1);
  });

  it("fails, saying why, when the base commit's floe has no plan --save; the worktree is removed all the same", async () => {
    const attempt = planCommand({ connector: path.join(repo, "connector.ts"), base: commits.a }, captureIo());
    await expect(attempt).rejects.toThrow(FloeError);
    await expect(attempt).rejects.toThrow(/--base: the floe at [0-9a-f]{40} \([0-9a-f]{12}\) has no 'plan --save'/);
  });

  it("exits 1 through the command line for an unknown ref, naming --base, before rendering anything", async () => {
    const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ["--require", require.resolve("tsx/cjs"), path.join(repo, "cli", "floe.ts"), "plan", "--base", "no-such-branch"], {
        cwd: repo,
        env: { ...process.env, NO_COLOR: "1" },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain("--base: no-such-branch is neither a snapshot directory nor a commit");
    expect(result.stdout).toBe("");
  });
});

afterAll(() => {
  // Whatever happened above, no worktree and no temporary checkout is left behind.
  expect(worktrees()).toHaveLength(1);
  expect(leftoverTemps().filter((f) => !tempsBefore.includes(f))).toEqual([]);
});
