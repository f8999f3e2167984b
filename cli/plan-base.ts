/**
 * The base a plan compares with: a snapshot directory (`floe plan --save DIR`), or a git ref.
 *
 * For a git ref floe checks the commit out in a temporary `git worktree`, links `node_modules`
 * from the current checkout into it, and renders the base's inputs from there (the connector,
 * hooks and program paths mapped into the worktree) with the floe of that commit:
 * - a repository that uses floe as a dependency: the running floe is that floe, so it renders
 *   the base in this process, as it renders the head (its tsconfig.json at the base must be the
 *   head's, since the TypeScript loader was set up with the head's; otherwise, and in floe's own
 *   repository when the base commit's floe differs from the running one, the next way is taken);
 * - floe's own repository: when floe's sources at the base commit are byte for byte the running
 *   floe's (git's object ids of every file, compared with the files the running floe is made
 *   of), the running floe renders the base in this process too; otherwise the checkout's
 *   `cli/floe.ts plan --save <tmp>` runs under tsx, so a change to the SQL templates or the
 *   lifecycle procedures shows up in the plan.
 * A note says which floe rendered the base. The worktree is removed in every case, failure
 * included.
 *
 * It lives with the command line, not in generators/plan/, because it runs a floe command line
 * (the base commit's `cli/floe.ts`) or the running one's loading of a connector.
 *
 * A commit never changes, so the snapshot of a git base is kept in the project's cache
 * (generators/cache/store.ts) under the commit, the inputs' paths, the running floe's fingerprint and the
 * project's package-lock.json: the next plan against the same commit reads it instead of
 * checking out and rendering the commit again. A cached snapshot passes the same checks as a
 * snapshot directory; one that does not is ignored.
 */
import { execFile, execFileSync } from "node:child_process";
import { Writable } from "node:stream";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createHash } from "node:crypto";
import { floeFingerprint } from "../generators/cache/fingerprint";
import { openCache, type CacheStore } from "../generators/cache/store";
import { FLOE_ROOT, FROM_DIST, floeVersion } from "../generators/floe-root";
import { FloeError } from "../errors";
import type { PlanBase } from "../generators/plan/plan";
import { buildSnapshot, checkSnapshot, readSnapshot, serializeSnapshot, SNAPSHOT_FILE, type Snapshot } from "../generators/plan/snapshot";
import { emptySnapshot, programSnapshotOf, type ProgramChoice } from "../generators/plan/state";

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
  /**
   * false: never render a git base in this process, always with a floe command line started in
   * the worktree (the base commit's own in floe's repository). Default true: in this process
   * when the running floe is the base's (see the header).
   */
  readonly inProcess?: boolean;
  /** Stops a git base's render; the worktree is removed all the same. */
  readonly signal?: AbortSignal;
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
  const loaded = await snapshotAtCommit(base.toplevel, base.commit, base.ref, inputs, { timeoutMs: options.timeoutMs ?? 300_000, cache: cache ?? null, inProcess: options.inProcess ?? true, signal: options.signal });
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

function run(command: string, args: readonly string[], cwd: string, timeoutMs: number, signal?: AbortSignal): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "" }, ...(signal === undefined ? {} : { signal }) },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof (error as { code?: unknown }).code === "number" ? ((error as { code: number }).code as number) : null;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) + (error !== null && code === null ? `\n${error.message}` : "") });
      },
    );
  });
}

/**
 * The files floe is made of, relative to its package folder: what `npm run build` compiles
 * (tsconfig.build.json's folders), the SQL and scaffold templates it reads at run time, and
 * what fixes its version, its tools' versions and how its TypeScript resolves. When all of
 * them are the same at a commit as in the running floe, that floe renders the commit's base.
 */
export const FLOE_SOURCES = [
  "api",
  "cli",
  "components",
  "errors",
  "generators",
  "lifecycle",
  "sandbox",
  "snowflake",
  "sql",
  "sql-templates",
  "templates",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
] as const;

/** Which floe renders a git base, and the note that says so. */
type Renderer =
  /** The running floe, in this process. */
  | { readonly kind: "running"; readonly note: string }
  /** The commit's own cli/floe.ts, in the worktree, under tsx. */
  | { readonly kind: "commit"; readonly note: string }
  /** The running floe's command line in a child process started in the worktree. */
  | { readonly kind: "child"; readonly entry: string; readonly note: string };

/** Git's object ids of files, in order (`git hash-object`, with the repository's filters). */
function objectIds(toplevel: string, files: readonly string[]): string[] {
  if (files.length === 0) return [];
  const out = execFileSync("git", ["hash-object", "--stdin-paths"], { cwd: toplevel, input: files.join("\n") + "\n", encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
  return out.trim().split("\n");
}

/** Adds the regular files at or below `base/rel` to `into` (path with `/` → full path); false when one is neither a file nor a folder (a symbolic link, say). */
function filesBelow(base: string, rel: string, into: Map<string, string>): boolean {
  const full = path.join(base, rel);
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(full);
  } catch {
    return true;
  }
  if (stat.isFile()) {
    into.set(rel.split(path.sep).join("/"), full);
    return true;
  }
  if (!stat.isDirectory()) return false;
  for (const entry of fs.readdirSync(full)) if (!filesBelow(base, path.join(rel, entry), into)) return false;
  return true;
}

/**
 * The files under `paths` of `dir` (path with `/` → full path): when `dir` is in a git work
 * tree, those git tracks or would add (its ignored files, such as a `.floe-cache/` a render left
 * in `templates/`, are not floe's sources), else every regular file; null when one is not a
 * regular file.
 */
function filesOf(dir: string, paths: readonly string[]): Map<string, string> | null {
  const files = new Map<string, string>();
  const listed = tryGit(dir, ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ...paths]);
  if (listed === null) {
    for (const p of paths) if (!filesBelow(dir, p, files)) return null;
    return files;
  }
  for (const rel of listed.split("\0")) {
    if (rel === "") continue;
    const full = path.join(dir, rel);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(full);
    } catch {
      continue; // Tracked but deleted: missing here, so the commit's copy makes the difference.
    }
    if (!stat.isFile()) return null;
    files.set(rel, full);
  }
  return files;
}

/**
 * Are `paths` (relative to `dir` on disk, and to `prefix` in the commit) the same files with
 * the same contents on both sides? Compared by git object id, so the working tree's own
 * uncommitted edits and untracked files count as differences.
 */
function sameFilesAtCommit(toplevel: string, commit: string, dir: string, prefix: string, paths: readonly string[]): boolean {
  const onDisk = filesOf(dir, paths);
  if (onDisk === null) return false;
  const spec = paths.map((p) => (prefix === "" ? p : `${prefix}/${p}`));
  const listed = tryGit(toplevel, ["ls-tree", "-r", "-z", "--full-tree", commit, "--", ...spec]);
  if (listed === null) return false;
  const atCommit = new Map<string, string>();
  for (const line of listed.split("\0")) {
    if (line === "") continue;
    const match = /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(line);
    if (match === null || (match[1] !== "100644" && match[1] !== "100755")) return false;
    atCommit.set(prefix === "" ? match[4] : match[4].slice(prefix.length + 1), match[3]);
  }
  if (atCommit.size !== onDisk.size) return false;
  const names = [...onDisk.keys()];
  if (!names.every((n) => atCommit.has(n))) return false;
  const ids = objectIds(toplevel, names.map((n) => onDisk.get(n)!));
  return names.every((n, i) => atCommit.get(n) === ids[i]);
}

/** The tsconfig.json files the TypeScript loader may read: from `cwd` up to the repository's top, relative to it. */
function tsconfigPaths(toplevel: string, cwd: string, packageDir: string): string[] {
  const paths: string[] = [];
  for (const start of [cwd, packageDir]) {
    for (let dir = start; inside(toplevel, dir); dir = path.dirname(dir)) {
      const rel = path.relative(toplevel, path.join(dir, "tsconfig.json"));
      if (!paths.includes(rel)) paths.push(rel);
      if (dir === toplevel) break;
    }
  }
  return paths;
}

/** The running floe's command line: its compiled cli (the installed package) or its source. */
function runningEntry(): string {
  return path.join(FLOE_ROOT, FROM_DIST ? path.join("dist", "cli", "floe.js") : path.join("cli", "floe.ts"));
}

/** Decides which floe renders the base at `commit` (see the header), and says so in a note. */
function chooseRenderer(toplevel: string, commit: string, ref: string, packageDir: string, cwd: string, inProcess: boolean): Renderer {
  const at = `${ref} (${commit.slice(0, 12)})`;
  if (!isFloePackage(packageDir)) {
    // The running floe is the one this repository depends on. It loads the base's TypeScript
    // with the loader it set up for the head, which read the head's tsconfig.json.
    const configs = tsconfigPaths(toplevel, cwd, packageDir);
    if (!inProcess) {
      return { kind: "child", entry: runningEntry(), note: `the base was rendered by the running floe ${floeVersion()}, in a process started in the base's checkout.` };
    }
    if (sameFilesAtCommit(toplevel, commit, toplevel, "", configs)) {
      return { kind: "running", note: `the base was rendered by the running floe ${floeVersion()}, in this process (this repository is not floe's own).` };
    }
    return {
      kind: "child",
      entry: runningEntry(),
      note: `the base was rendered by the running floe ${floeVersion()}, in a process started in the base's checkout: tsconfig.json differs at ${at}.`,
    };
  }
  // floe's own repository. The running floe must run from its sources (a dist/ may be older
  // than them), and those sources must be the commit's.
  const own = path.relative(toplevel, packageDir).split(path.sep).join("/");
  if (inProcess && !FROM_DIST && sameFilesAtCommit(toplevel, commit, FLOE_ROOT, own, FLOE_SOURCES)) {
    return { kind: "running", note: `the base was rendered by the running floe, in this process: floe's sources at ${at} are the same as its own.` };
  }
  return { kind: "commit", note: `the base was rendered by the floe of ${at}, from its sources in a temporary worktree${inProcess ? ": they differ from the running floe's" : ""}.` };
}

/** A base render's inputs, mapped into the worktree. */
interface BaseRender {
  readonly ref: string;
  readonly commit: string;
  readonly connector: string;
  readonly hooks: readonly string[];
  /** The program file, or null for none. */
  readonly program: string | null;
  /** The current directory of the render. */
  readonly runDir: string;
  readonly timeoutMs: number;
  /** The head's cache (compiled hooks, gated statements): content-addressed, so the base's inputs share it. */
  readonly cache: CacheStore | null;
  /** Stops the render (the program's process, or the floe process in the worktree). */
  readonly signal: AbortSignal | undefined;
}

/**
 * Renders the base in this process, as `plan --save` would in the worktree: the definition is
 * loaded from the worktree (in the worktree's folder, as the current directory), the program
 * evaluated in its own process meanwhile, and the snapshot goes through the same JSON and
 * checks as a saved one.
 */
async function renderInProcess(render: BaseRender): Promise<Snapshot> {
  /* eslint-disable @typescript-eslint/no-require-imports -- the definition loader and the renderer are the command's, loaded when a base is rendered */
  const { loadDefinition } = require("./common") as typeof import("./common");
  const { renderConnector } = require("../generators/pipeline") as typeof import("../generators/pipeline");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const failed = (e: unknown): never => {
    if (e instanceof FloeError) throw new FloeError(`--base: rendering ${render.ref} (${render.commit.slice(0, 12)}) failed:\n${e.message}`);
    throw e;
  };
  const abort = new AbortController();
  const stop = () => abort.abort();
  render.signal?.addEventListener("abort", stop);
  // The program's own output is not the reader's business unless it fails (then the error says why).
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  // The definition loads, and the program's process starts, in the base's folder as the current
  // directory, as `plan --save` would run there. Only these synchronous steps see it: the head
  // may be rendering at the same time, and nothing after them reads the current directory.
  const previous = process.cwd();
  let definition: ReturnType<typeof loadDefinition>;
  let programRun: ReturnType<typeof programSnapshotOf>;
  process.chdir(render.runDir);
  try {
    try {
      definition = loadDefinition({ connector: render.connector, ...(render.hooks.length > 0 ? { hooks: render.hooks } : {}) });
    } catch (e) {
      return failed(e);
    }
    const root = path.resolve(definition.root ?? path.dirname(render.connector));
    const choice: ProgramChoice = render.program === null ? { kind: "none" } : { kind: "file", file: render.program };
    programRun = programSnapshotOf(choice, root, { output: discard, signal: abort.signal });
    programRun.catch(() => undefined);
  } finally {
    process.chdir(previous);
  }
  try {
    let rendered: Awaited<ReturnType<typeof renderConnector>>;
    try {
      rendered = await renderConnector(definition, { cache: render.cache });
    } catch (e) {
      abort.abort();
      return failed(e);
    }
    const program = await programRun.catch(failed);
    if (abort.signal.aborted) throw new FloeError(`--base: rendering ${render.ref} was stopped.`);
    const snapshot = buildSnapshot(rendered, program);
    return checkSnapshot(JSON.parse(serializeSnapshot(snapshot)), `the base rendered from ${render.ref}`);
  } finally {
    render.signal?.removeEventListener("abort", stop);
  }
}

/** Renders the base with a floe command line (`entry`) run under tsx in the worktree, through a saved snapshot. */
async function renderInWorktree(render: BaseRender, entry: string, saved: string): Promise<Snapshot> {
  const args = ["plan", "--save", saved, "--connector", render.connector];
  for (const hook of render.hooks) args.push("--hooks", hook);
  if (render.program === null) args.push("--no-program");
  else args.push("--program", render.program);
  const result = await run(process.execPath, ["--require", require.resolve("tsx/cjs"), entry, ...args], render.runDir, render.timeoutMs, render.signal);
  if (result.code !== 0) {
    const output = (result.stderr + result.stdout).trim();
    if (/unknown command 'plan'|unknown option '--save'/.test(output)) {
      throw new FloeError(`--base: the floe at ${render.ref} (${render.commit.slice(0, 12)}) has no 'plan --save', so it cannot render its own base. Plan against a snapshot directory (floe plan --save DIR on that commit), or pick a base that has floe plan.`);
    }
    throw new FloeError(`--base: rendering ${render.ref} (${render.commit.slice(0, 12)}) failed:\n${output}`);
  }
  return readSnapshot(saved, "--base");
}

async function snapshotAtCommit(
  toplevel: string,
  commit: string,
  ref: string,
  inputs: BaseInputs,
  { timeoutMs, cache, inProcess, signal }: { readonly timeoutMs: number; readonly cache: CacheStore | null; readonly inProcess: boolean; readonly signal: AbortSignal | undefined },
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
    const hooks: string[] = [];
    for (const hook of inputs.hooks) {
      const mapped = map(hook);
      if (fs.existsSync(mapped)) hooks.push(mapped);
      else notes.push(`${shown(hook)} does not exist at ${ref}; the base is rendered without it.`);
    }
    if (inputs.hooks.length > 0 && hooks.length === 0) notes.push(`none of the --hooks files exist at ${ref}; the base uses the connector's own hooks.`);
    // A program that is absent at the base counts as a program with no resources, so its
    // resources show as added rather than "not compared".
    let program: string | null = null;
    let programAbsent = false;
    if (inputs.program !== false) {
      const mapped = map(inputs.program);
      if (fs.existsSync(mapped)) program = mapped;
      else {
        programAbsent = true;
        if (fs.existsSync(inputs.program)) notes.push(`${shown(inputs.program)} does not exist at ${ref}: its resources all count as added.`);
      }
    }

    const realConnector = fs.realpathSync(inputs.connector);
    const packageDir = nearest(toplevel, path.dirname(realConnector), "package.json") ?? toplevel;
    linkNodeModules(toplevel, worktree, packageDir);
    // Run where the user runs, so relative paths in the definition resolve alike.
    const realCwd = fs.realpathSync(process.cwd());
    const mappedCwd = inside(toplevel, realCwd) ? path.join(worktree, path.relative(toplevel, realCwd)) : path.join(worktree, path.relative(toplevel, packageDir));
    const runDir = fs.existsSync(mappedCwd) ? mappedCwd : worktree;
    const render: BaseRender = { ref, commit, connector, hooks, program, runDir, timeoutMs, cache, signal };

    const renderer = chooseRenderer(toplevel, commit, ref, packageDir, realCwd, inProcess);
    notes.push(renderer.note);
    let snapshot: Snapshot;
    if (renderer.kind === "running") snapshot = await renderInProcess(render);
    else if (renderer.kind === "child") snapshot = await renderInWorktree(render, renderer.entry, saved);
    else {
      const entry = path.join(worktree, path.relative(toplevel, packageDir), "cli", "floe.ts");
      if (!fs.existsSync(entry)) {
        throw new FloeError(`--base: ${ref} has no ${path.relative(toplevel, path.join(packageDir, "cli", "floe.ts"))}, so its floe cannot render the base; plan against a snapshot directory instead.`);
      }
      snapshot = await renderInWorktree(render, entry, saved);
    }
    return { snapshot: programAbsent ? { ...snapshot, program: { file: null, resources: [] } } : snapshot, notes };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    cleanup();
  }
}
