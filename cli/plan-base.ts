/**
 * The base a plan compares with: a snapshot directory (`floe plan --save DIR`), or a git ref.
 *
 * For a git ref the base is rendered by the base commit's own code, so a change to the SQL
 * templates or the lifecycle procedures shows up in the plan: floe checks the commit out in a
 * temporary `git worktree`, links `node_modules` from the current checkout into it, and runs
 * that checkout's `cli/floe.ts plan --save <tmp>` under tsx with the same connector, hooks and
 * program paths (mapped into the worktree). A repository that uses floe as a dependency (no
 * `cli/floe.ts` of its own) has its base inputs rendered by the installed floe instead. The
 * worktree is removed in every case, failure included.
 *
 * It lives with the command line, not in generators/plan/, because it runs a floe command line
 * (the base commit's `cli/floe.ts`, or the installed one): the plan itself never runs floe.
 *
 * A commit never changes, so the snapshot of a git base is kept in the project's cache
 * (generators/cache/store.ts) under the commit, the inputs' paths, the running floe's fingerprint and the
 * project's package-lock.json: the next plan against the same commit reads it instead of
 * checking out and rendering the commit again. A cached snapshot passes the same checks as a
 * snapshot directory; one that does not is ignored.
 */
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createHash } from "node:crypto";
import { floeFingerprint } from "../generators/cache/fingerprint";
import { openCache, type CacheStore } from "../generators/cache/store";
import { FLOE_ROOT, ownModule } from "../generators/floe-root";
import { FloeError } from "../errors";
import type { PlanBase } from "../generators/plan/plan";
import type { ProgramSnapshot } from "../generators/plan/program";
import { checkSnapshot, readSnapshot, SNAPSHOT_FILE, type Snapshot } from "../generators/plan/snapshot";
import { emptySnapshot } from "../generators/plan/state";

export interface BaseInputs {
  /** The connector definition file of the head, absolute. */
  readonly connector: string;
  /** Hooks files given with --hooks, absolute; empty when the connector's own hooks are used. */
  readonly hooks: readonly string[];
  /**
   * The program file (absolute) whether or not it exists in the head (the default index.ts may
   * exist on one side only); false for --no-program.
   */
  readonly program: string | false;
  /** Connector name, for an empty base when the connector did not exist yet. */
  readonly name: string;
}

export interface LoadedBase {
  readonly snapshot: Snapshot;
  readonly from: PlanBase;
  /** Things the reader should know about how the base was built. */
  readonly notes: readonly string[];
}

export interface LoadBaseOptions {
  /** Milliseconds the base render may take. Default 300 000. */
  readonly timeoutMs?: number;
  /** Where git bases are kept; default the connector's cache (`.floe-cache/`), null for none. */
  readonly cache?: CacheStore | null;
}

function git(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync("git", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

function tryGit(cwd: string, args: readonly string[]): string | null {
  try {
    return git(cwd, args);
  } catch {
    return null;
  }
}

/** Is `child` inside `parent` (or equal to it)? */
function inside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** A base, checked but not yet built: `resolveBase` is cheap, so arguments fail before any rendering. */
export type ResolvedBase =
  | { readonly kind: "snapshot"; readonly ref: string; readonly dir: string }
  | { readonly kind: "git"; readonly ref: string; readonly commit: string; readonly toplevel: string };

/**
 * Says what `--base` names: a snapshot directory (relative to the current directory) when one
 * exists by that name, else a commit of the git repository that holds the connector definition.
 */
export function resolveBase(base: string, connectorFile: string): ResolvedBase {
  const dir = path.resolve(base);
  if (fs.existsSync(dir) && fs.statSync(dir).isDirectory()) {
    if (!fs.existsSync(path.join(dir, SNAPSHOT_FILE))) throw new FloeError(`--base: ${base} holds no ${SNAPSHOT_FILE}; write one with floe plan --save ${base}.`);
    return { kind: "snapshot", ref: base, dir };
  }
  const where = path.dirname(path.resolve(connectorFile));
  const toplevel = tryGit(where, ["rev-parse", "--show-toplevel"]);
  if (toplevel === null) throw new FloeError(`--base: ${base} is not a directory, and the connector's directory ${where} is not inside a git repository to look it up as a ref.`);
  const commit = tryGit(where, ["rev-parse", "--verify", "--quiet", `${base}^{commit}`]);
  if (commit === null || commit === "") throw new FloeError(`--base: ${base} is neither a snapshot directory nor a commit of the git repository at ${toplevel}.`);
  return { kind: "git", ref: base, commit, toplevel: fs.realpathSync(toplevel) };
}

/** Builds the base: reads the snapshot, or renders the commit in a temporary worktree. */
export async function loadBase(base: ResolvedBase, inputs: BaseInputs, options: LoadBaseOptions = {}): Promise<LoadedBase> {
  if (base.kind === "snapshot") return { snapshot: readSnapshot(base.dir, "--base"), from: { kind: "snapshot", ref: base.ref }, notes: [] };
  const from: PlanBase = { kind: "git", ref: base.ref, commit: base.commit };
  const cache = options.cache === undefined ? openCache(path.dirname(fs.realpathSync(inputs.connector))) : options.cache;
  const key = baseKey(base, inputs);
  const cached = cache?.get("plan-base", key, isCachedBase);
  if (cached !== undefined) return { snapshot: cached.snapshot, from, notes: cached.notes };
  const loaded = await snapshotAtCommit(base.toplevel, base.commit, base.ref, inputs, options.timeoutMs ?? 300_000);
  cache?.put("plan-base", key, loaded);
  return { snapshot: loaded.snapshot, from, notes: loaded.notes };
}

/** A cached git base: a snapshot that passes the checks of a snapshot directory, and its notes. */
function isCachedBase(value: unknown): value is { snapshot: Snapshot; notes: string[] } {
  if (value === null || typeof value !== "object") return false;
  const { snapshot, notes } = value as { snapshot?: unknown; notes?: unknown };
  if (!Array.isArray(notes) || !notes.every((n) => typeof n === "string")) return false;
  try {
    checkSnapshot(snapshot, "the cached base");
    return true;
  } catch {
    return false;
  }
}

/** What a git base's snapshot is made from: the commit, the inputs as paths in it, the floe and the packages. */
function baseKey(base: Extract<ResolvedBase, { kind: "git" }>, inputs: BaseInputs): string[] {
  const relative = (file: string) => path.relative(base.toplevel, fs.existsSync(file) ? fs.realpathSync(file) : file);
  const packageDir = nearest(base.toplevel, path.dirname(fs.realpathSync(inputs.connector)), "package.json") ?? base.toplevel;
  let lock = "none";
  try {
    lock = createHash("sha256").update(fs.readFileSync(path.join(packageDir, "package-lock.json"))).digest("hex");
  } catch {
    // No lock file: the key leaves it out.
  }
  const where = {
    connector: relative(inputs.connector),
    hooks: inputs.hooks.map(relative),
    program: inputs.program === false ? false : relative(inputs.program),
    cwd: relative(process.cwd()),
    name: inputs.name,
  };
  return ["plan-base", base.commit, floeFingerprint(), lock, JSON.stringify(where)];
}

/** The nearest directory at or above `from`, inside the repository, holding `name`. */
function nearest(toplevel: string, from: string, name: string): string | null {
  for (let dir = from; inside(toplevel, dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, name))) return dir;
    if (dir === toplevel) break;
  }
  return null;
}

/** Is `dir` floe's own package (a checkout of floe, whose cli/floe.ts can render its own base)? */
function isFloePackage(dir: string): boolean {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown };
    return pkg.name === "floe";
  } catch {
    return false;
  }
}

/**
 * Links `<worktree>/<package>/node_modules` to the checkout's (or, when the checkout has none,
 * to the running floe's), so the base resolves exactly the packages the head does.
 */
function linkNodeModules(toplevel: string, worktree: string, packageDir: string): void {
  const own = path.join(packageDir, "node_modules");
  const source = fs.existsSync(own) ? fs.realpathSync(own) : path.join(FLOE_ROOT, "node_modules");
  const target = path.join(worktree, path.relative(toplevel, packageDir), "node_modules");
  if (fs.existsSync(target) || !fs.existsSync(source)) return;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.symlinkSync(source, target, "dir");
}

function run(command: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "" } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof (error as { code?: unknown }).code === "number" ? ((error as { code: number }).code as number) : null;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) + (error !== null && code === null ? `\n${error.message}` : "") });
      },
    );
  });
}

async function snapshotAtCommit(
  toplevel: string,
  commit: string,
  ref: string,
  inputs: BaseInputs,
  timeoutMs: number,
): Promise<{ snapshot: Snapshot; notes: string[] }> {
  const notes: string[] = [];
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "floe-plan-base-"));
  const worktree = path.join(temp, "worktree");
  const saved = path.join(temp, "snapshot");
  let added = false;
  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    if (added && tryGit(toplevel, ["worktree", "remove", "--force", worktree]) === null) {
      fs.rmSync(worktree, { recursive: true, force: true });
      tryGit(toplevel, ["worktree", "prune"]);
    }
    fs.rmSync(temp, { recursive: true, force: true });
  };
  // Ctrl-C during the base render must not leave a worktree registered in the user's repository.
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.kill(process.pid, signal);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    try {
      // The checkout is for reading only: no hooks of the repository run (post-checkout would),
      // and no LFS objects are fetched.
      const noHooks = path.join(temp, "no-hooks");
      git(toplevel, ["-c", `core.hooksPath=${noHooks}`, "worktree", "add", "--detach", "--quiet", worktree, commit], { ...process.env, GIT_LFS_SKIP_SMUDGE: "1" });
      added = true;
    } catch (e) {
      throw new FloeError(`--base: could not check out ${ref} in a temporary worktree: ${(e as { stderr?: string }).stderr?.trim() || (e as Error).message}`);
    }
    // Files of the repository map into the worktree; anything else (installed packages
    // included) is the same file for base and head.
    const map = (file: string) => {
      const real = fs.existsSync(file) ? fs.realpathSync(file) : file;
      const rel = path.relative(toplevel, real);
      return inside(toplevel, real) && !rel.split(path.sep).includes("node_modules") ? path.join(worktree, rel) : real;
    };
    const shown = (file: string) => path.relative(toplevel, fs.existsSync(file) ? fs.realpathSync(file) : file);

    const connector = map(inputs.connector);
    if (!fs.existsSync(connector)) {
      notes.push(`${shown(inputs.connector)} does not exist at ${ref}: the base is empty.`);
      return { snapshot: emptySnapshot(inputs.name, inputs.program === false ? null : { file: null, resources: [] }), notes };
    }
    const args = ["plan", "--save", saved, "--connector", connector];
    for (const hook of inputs.hooks) {
      const mapped = map(hook);
      if (fs.existsSync(mapped)) args.push("--hooks", mapped);
      else notes.push(`${shown(hook)} does not exist at ${ref}; the base is rendered without it.`);
    }
    if (inputs.hooks.length > 0 && !args.includes("--hooks")) notes.push(`none of the --hooks files exist at ${ref}; the base uses the connector's own hooks.`);
    // A program that is absent at the base counts as a program with no resources, so its
    // resources show as added rather than "not compared".
    let programAbsent = false;
    if (inputs.program === false) args.push("--no-program");
    else {
      const mapped = map(inputs.program);
      if (fs.existsSync(mapped)) args.push("--program", mapped);
      else {
        args.push("--no-program");
        programAbsent = true;
        if (fs.existsSync(inputs.program)) notes.push(`${shown(inputs.program)} does not exist at ${ref}: its resources all count as added.`);
      }
    }

    // Floe's own repository renders the base with the base's floe (so template and lifecycle
    // changes show); a project using floe as a dependency renders it with the installed one.
    const realConnector = fs.realpathSync(inputs.connector);
    const packageDir = nearest(toplevel, path.dirname(realConnector), "package.json") ?? toplevel;
    let entry: string;
    if (isFloePackage(packageDir)) {
      entry = path.join(worktree, path.relative(toplevel, packageDir), "cli", "floe.ts");
      if (!fs.existsSync(entry)) {
        throw new FloeError(`--base: ${ref} has no ${path.relative(toplevel, path.join(packageDir, "cli", "floe.ts"))}, so its floe cannot render the base; plan against a snapshot directory instead.`);
      }
    } else {
      entry = ownModule("cli/floe");
      notes.push("the base is rendered with the installed floe (this repository is not floe's own).");
    }
    linkNodeModules(toplevel, worktree, packageDir);

    // Run where the user runs, so relative paths in the definition resolve alike.
    const realCwd = fs.realpathSync(process.cwd());
    const runDir = inside(toplevel, realCwd) ? path.join(worktree, path.relative(toplevel, realCwd)) : path.join(worktree, path.relative(toplevel, packageDir));
    const result = await run(process.execPath, ["--require", require.resolve("tsx/cjs"), entry, ...args], fs.existsSync(runDir) ? runDir : worktree, timeoutMs);
    if (result.code !== 0) {
      const output = (result.stderr + result.stdout).trim();
      if (/unknown command 'plan'|unknown option '--save'/.test(output)) {
        throw new FloeError(`--base: the floe at ${ref} (${commit.slice(0, 12)}) has no 'plan --save', so it cannot render its own base. Plan against a snapshot directory (floe plan --save DIR on that commit), or pick a base that has floe plan.`);
      }
      throw new FloeError(`--base: rendering ${ref} (${commit.slice(0, 12)}) failed:\n${output}`);
    }
    const snapshot = readSnapshot(saved, "--base");
    const program: ProgramSnapshot | null = programAbsent ? { file: null, resources: [] } : snapshot.program;
    return { snapshot: { ...snapshot, program }, notes };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    cleanup();
  }
}
