/**
 * Where floe may write, and how: the one module that puts floe's output on disk (the bundle of
 * `floe render --out`, the snapshot of `floe plan --save`, the report of `floe plan --out`).
 *
 * The rules, for a folder:
 * - floe writes only into a folder that is missing, empty, or marked as its own by a marker
 *   file (`.floe-bundle`, `.floe-snapshot`) that names floe, its version and the files it wrote
 *   (or, written before markers existed, a folder of nothing but floe's own generated files);
 * - it refuses anything else with a message that names the path, the reason and the way out:
 *   a folder with other files, a regular file, a symbolic link, the current folder or one that
 *   holds it (`.`, `/`), a folder that holds an input of the command (`--out hooks`), a system
 *   folder (`/proc`, `/sys`, `/dev`), one it cannot write in;
 * - it never removes what it did not write: replacing an owned folder removes exactly the files
 *   its marker lists, and refuses when the folder holds anything else;
 * - a failed write never touches the previous output: everything is written into a staging
 *   folder beside the target first and swapped in by rename at the end.
 *
 * For a single file (`--out FILE`): a missing file, or one floe wrote (the caller recognises its
 * own reports), is replaced by rename; anything else is refused the same way.
 *
 * Folders are created one level at a time: `mkdirSync(..., { recursive: true })` loops forever
 * under `/proc` on Node 20, where `mkdir` answers ENOENT for a parent that `stat` finds.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FloeError } from "../errors";
import { floeVersion } from "./floe-root";

export type OutputKind = "bundle" | "snapshot";

/** The marker file floe leaves in each folder it writes. */
export const MARKER_FILES: Readonly<Record<OutputKind, string>> = { bundle: ".floe-bundle", snapshot: ".floe-snapshot" };

/** Which command writes each kind, for messages. */
const WRITERS: Readonly<Record<OutputKind, string>> = { bundle: "floe render", snapshot: "floe plan --save" };

/** What a marker file holds: who wrote the folder, and the files it wrote (relative, `/`-separated, sorted). */
export interface OutputMarker {
  readonly generator: "floe";
  readonly version: string;
  readonly kind: OutputKind;
  readonly files: readonly string[];
}

/** File systems of the kernel: writing there is never what a user meant, and can hang. */
const SYSTEM_ROOTS = ["/proc", "/sys", "/dev"];

export interface OutputFolderOptions {
  readonly kind: OutputKind;
  /** The command-line argument the path came from, e.g. `--out`; every message starts with it. */
  readonly argument: string;
  /** Files the command reads (hooks, connector, overrides): the output folder must not hold any of them. */
  readonly inputs?: readonly string[];
  /** The current directory; default process.cwd(). */
  readonly cwd?: string;
}

/** What is at an output folder now, checked and allowed. */
export interface CheckedOutputFolder {
  /** Absolute path. */
  readonly target: string;
  readonly state: "missing" | "empty" | "owned";
  /** For an owned folder: the files floe wrote there last time, from its marker. */
  readonly previous: readonly string[];
}

/** floe's version for the marker; "unknown" when package.json cannot be read (the marker is still floe's). */
function version(): string {
  try {
    return floeVersion();
  } catch {
    return "unknown";
  }
}

/** A path as the user sees it: relative to the current directory when below it. */
function shown(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel === "" ? "." : rel.startsWith("..") || path.isAbsolute(rel) ? file : rel;
}

/** Is `child` inside `parent`, or the same path? */
function within(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

function lstat(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw e;
  }
}

/** The real path of the nearest ancestor that exists (symbolic links resolved), and what is missing below it. */
function nearestExisting(target: string): { real: string; missing: string[] } {
  const missing: string[] = [];
  let current = target;
  for (;;) {
    const stat = lstat(current);
    if (stat !== undefined) return { real: fs.realpathSync(current), missing };
    const parent = path.dirname(current);
    if (parent === current) return { real: current, missing };
    missing.unshift(path.basename(current));
    current = parent;
  }
}

function systemRoot(real: string): string | undefined {
  return SYSTEM_ROOTS.find((root) => within(root, real));
}

function errnoText(e: unknown): string {
  const error = e as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "the file system is read-only",
    ENOSPC: "no space left on the device",
    EDQUOT: "the disk quota is exhausted",
    ENOTDIR: "a part of the path is a file, not a folder",
    ENOENT: "a part of the path does not exist",
    EEXIST: "something appeared there meanwhile",
    ENOTEMPTY: "something appeared there meanwhile",
    ENAMETOOLONG: "the name is too long",
    ELOOP: "too many symbolic links",
    EISDIR: "it is a folder",
  };
  return error.code !== undefined && reasons[error.code] !== undefined ? `${reasons[error.code]} (${error.code})` : error.message;
}

/** Reads a marker; undefined when there is none, FloeError when it is not floe's. */
function readMarker(dir: string, kind: OutputKind, argument: string, where: string): OutputMarker | undefined {
  for (const [otherKind, name] of Object.entries(MARKER_FILES) as [OutputKind, string][]) {
    const file = path.join(dir, name);
    const stat = lstat(file);
    if (stat === undefined) continue;
    if (otherKind !== kind) {
      throw new FloeError(
        `${argument}: ${where} holds output of ${WRITERS[otherKind]} (${name}), not of ${WRITERS[kind]}; floe does not replace one with the other. Give another folder.`,
      );
    }
    let data: unknown;
    try {
      if (!stat.isFile()) throw new Error("not a file");
      data = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
      throw new FloeError(`${argument}: ${where}: ${name} is not a marker floe wrote (it does not read as one), so floe cannot tell which files are its own. Remove the folder's contents yourself, or give another folder.`);
    }
    const marker = data as Partial<OutputMarker>;
    const files = marker.files;
    const valid =
      marker.generator === "floe" &&
      marker.kind === kind &&
      Array.isArray(files) &&
      files.every((f) => typeof f === "string" && f !== "" && !path.isAbsolute(f) && !f.split(/[\\/]/).includes("..") && !f.split(/[\\/]/).includes("."));
    if (!valid) {
      throw new FloeError(`${argument}: ${where}: ${name} is not a marker floe wrote (its fields do not match), so floe cannot tell which files are its own. Remove the folder's contents yourself, or give another folder.`);
    }
    return marker as OutputMarker;
  }
  return undefined;
}

/** The first line of each file a bundle holds, when floe wrote it (render.ts writes these marks). */
const BUNDLE_MARKS = [/^-- Generated by floe render/, /^# Generated by floe render/, /^<!-- Generated by floe render/, /^-- Copied by floe render from /];

/**
 * Output an earlier floe wrote before folders had markers: a bundle whose every file carries
 * floe's generated mark, a snapshot folder holding only a floe snapshot.json. Such a folder is
 * floe's as surely as a marked one; everything in it is what floe wrote, so it is replaced (and a
 * marker written) instead of refused on the first render after an upgrade.
 */
function legacyOutput(dir: string, kind: OutputKind, tree: { files: string[]; folders: string[] }): OutputMarker | undefined {
  const firstLine = (file: string) => {
    try {
      const stat = fs.lstatSync(path.join(dir, file));
      if (!stat.isFile() || stat.size > 16 * 1024 * 1024) return undefined;
      return fs.readFileSync(path.join(dir, file), "utf8").split("\n", 1)[0];
    } catch {
      return undefined;
    }
  };
  const folders = new Set(tree.files.flatMap(ancestorsOf));
  if (tree.folders.some((f) => !folders.has(f)) || tree.files.length === 0) return undefined;
  let own = false;
  if (kind === "bundle") {
    own = tree.files.includes("setup.sql") && tree.files.every((f) => {
      const line = firstLine(f);
      return line !== undefined && BUNDLE_MARKS.some((mark) => mark.test(line));
    });
  } else if (tree.files.length === 1 && tree.files[0] === "snapshot.json") {
    try {
      const data = JSON.parse(fs.readFileSync(path.join(dir, "snapshot.json"), "utf8")) as Record<string, unknown>;
      own = typeof data === "object" && data !== null && "schemaVersion" in data && "connector" in data && "procedures" in data && "grants" in data;
    } catch {
      own = false;
    }
  }
  return own ? { generator: "floe", version: "unknown", kind, files: tree.files } : undefined;
}

/** Every entry below `dir`, relative with `/`: files (and other non-folders) and folders apart. */
function listTree(dir: string): { files: string[]; folders: string[] } {
  const files: string[] = [];
  const folders: string[] = [];
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub === "" ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) {
        folders.push(rel);
        walk(rel);
      } else files.push(rel);
    }
  };
  walk("");
  return { files: files.sort(), folders: folders.sort() };
}

function listSome(names: readonly string[], max = 5): string {
  const head = names.slice(0, max).join(", ");
  return names.length > max ? `${head} (and ${names.length - max} more)` : head;
}

/**
 * Checks that floe may write an output folder at `dir`; throws FloeError naming the argument,
 * the path, the reason and the way out. Cheap: commands call it before any work, and the writer
 * calls it again just before the swap.
 */
export function checkOutputFolder(dir: string, options: OutputFolderOptions): CheckedOutputFolder {
  const cwd = options.cwd ?? process.cwd();
  const argument = options.argument;
  if (typeof dir !== "string" || dir.trim() === "") throw new FloeError(`${argument} needs a folder name, such as build/app.`);
  if (dir.includes("\0")) throw new FloeError(`${argument}: ${JSON.stringify(dir)}: a path cannot hold a NUL character.`);
  const target = path.resolve(cwd, dir);
  const where = shown(target, cwd);
  const marker = MARKER_FILES[options.kind];

  const existing = nearestExisting(target);
  const realTarget = path.join(existing.real, ...existing.missing);
  if (within(target, path.resolve(cwd)) || within(realTarget, fs.realpathSync(cwd))) {
    const what = target === path.parse(target).root ? "the root of the file system" : path.resolve(cwd) === target ? "the current folder" : "a folder that holds the current folder";
    throw new FloeError(
      `${argument}: ${where} is ${what}; floe writes its output into a folder of its own, which it replaces as a whole. Give a new or empty folder, such as ${options.kind === "bundle" ? "build/app" : "snapshots/base"}.`,
    );
  }
  const system = systemRoot(existing.real) ?? systemRoot(target);
  if (system !== undefined) {
    throw new FloeError(`${argument}: ${where} is under ${system}, a file system of the kernel, not a place for files. Give a folder in your project, such as build/app.`);
  }
  const stat = lstat(target);
  if (stat === undefined) {
    // Every existing ancestor must be a folder floe can create the rest in.
    const ancestor = existing.real;
    if (!fs.statSync(ancestor).isDirectory()) {
      throw new FloeError(`${argument}: ${where}: ${shown(ancestor, cwd)} is a file, not a folder, so the folder cannot be created there.`);
    }
    try {
      fs.accessSync(ancestor, fs.constants.W_OK | fs.constants.X_OK);
    } catch (e) {
      throw new FloeError(`${argument}: ${where}: floe cannot create folders in ${shown(ancestor, cwd)}: ${errnoText(e)}. Give a folder you can write in.`);
    }
    return { target, state: "missing", previous: [] };
  }
  if (stat.isSymbolicLink()) {
    let to = "";
    try {
      to = ` to ${fs.readlinkSync(target)}`;
    } catch {
      // An unreadable link is refused all the same.
    }
    throw new FloeError(`${argument}: ${where} is a symbolic link${to}; floe writes only into real folders, so that a link cannot lead its output (and its clean-up) elsewhere. Give the folder itself, or a new one.`);
  }
  if (!stat.isDirectory()) {
    throw new FloeError(`${argument}: ${where} is a file, not a folder; floe does not replace what it did not write. Give a new or empty folder, such as ${options.kind === "bundle" ? "build/app" : "snapshots/base"}.`);
  }
  for (const input of options.inputs ?? []) {
    const resolved = path.resolve(cwd, input);
    const real = fs.existsSync(resolved) ? fs.realpathSync(resolved) : resolved;
    if (within(target, resolved) || within(fs.realpathSync(target), real)) {
      throw new FloeError(
        `${argument}: ${where} holds ${shown(resolved, cwd)}, an input of this command, and floe replaces the folder as a whole. Give a folder outside your sources, such as build/app.`,
      );
    }
  }
  try {
    fs.accessSync(target, fs.constants.W_OK | fs.constants.X_OK);
    fs.accessSync(path.dirname(target), fs.constants.W_OK | fs.constants.X_OK);
  } catch (e) {
    throw new FloeError(`${argument}: ${where}: floe cannot write here: ${errnoText(e)}. Give a folder you can write in.`);
  }
  let tree: { files: string[]; folders: string[] };
  try {
    tree = listTree(target);
  } catch (e) {
    throw new FloeError(`${argument}: ${where}: floe cannot read this folder: ${errnoText(e)}.`);
  }
  if (tree.files.length === 0 && tree.folders.length === 0) return { target, state: "empty", previous: [] };
  const owned = readMarker(target, options.kind, argument, where) ?? legacyOutput(target, options.kind, tree);
  if (owned === undefined) {
    throw new FloeError(
      `${argument}: ${where} is not empty and floe did not write it (it has no ${marker}); floe writes only into new or empty folders, or ones it wrote before, because it replaces the whole folder. It holds ${listSome(fs.readdirSync(target).sort())}. Give a new or empty folder, or empty this one yourself.`,
    );
  }
  const listed = new Set([...owned.files, marker]);
  const parents = new Set([...listed].flatMap(ancestorsOf));
  const foreign = [...tree.files.filter((f) => !listed.has(f)), ...tree.folders.filter((f) => !parents.has(f)).map((f) => `${f}/`)];
  if (foreign.length > 0) {
    throw new FloeError(
      `${argument}: ${where}: floe wrote this folder, but it now also holds ${foreign.length === 1 ? "a file" : "files"} floe did not write: ${listSome(foreign)}. floe replaces the whole folder and never removes what it did not write: move ${foreign.length === 1 ? "it" : "them"} out first.`,
    );
  }
  return { target, state: "owned", previous: owned.files };
}

/** Creates the missing folders above `target`, one level at a time (see the header). */
function createParents(target: string, argument: string, where: string): void {
  const parent = path.dirname(target);
  const { missing } = nearestExisting(parent);
  let current = parent;
  for (let i = 0; i < missing.length; i++) current = path.dirname(current);
  for (const name of missing) {
    current = path.join(current, name);
    try {
      fs.mkdirSync(current);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST" && fs.statSync(current).isDirectory()) continue;
      throw new FloeError(`${argument}: ${where}: could not create ${current}: ${errnoText(e)}.`);
    }
  }
}

/** `a/b/c.sql` → `["a", "a/b"]`. */
function ancestorsOf(file: string): string[] {
  const parts = file.split("/");
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join("/"));
}

/**
 * Removes the files floe listed in its marker from an old folder, then the folders that held
 * them once empty. Returns what stayed (something floe did not write).
 */
function removeWritten(dir: string, files: readonly string[]): string[] {
  for (const file of files) {
    try {
      const stat = fs.lstatSync(path.join(dir, file));
      if (!stat.isDirectory()) fs.unlinkSync(path.join(dir, file));
    } catch {
      // Already gone: nothing to remove.
    }
  }
  for (const folder of [...new Set(files.flatMap(ancestorsOf))].sort((a, b) => b.length - a.length)) {
    try {
      fs.rmdirSync(path.join(dir, folder));
    } catch {
      // Not empty: it holds something floe did not write, which stays.
    }
  }
  const left = listTree(dir);
  if (left.files.length === 0 && left.folders.length === 0) fs.rmdirSync(dir);
  return [...left.files, ...left.folders.map((f) => `${f}/`)];
}

export interface WriteResult {
  readonly target: string;
  /** Things the user should know, e.g. files that appeared during the write and were kept aside. */
  readonly notes: readonly string[];
}

/**
 * Writes `files` (relative path → content) as the whole content of the folder `dir`, with floe's
 * marker. Staged beside the target and swapped in at the end; a failure leaves the previous
 * folder exactly as it was and removes the staging folder.
 */
export function writeOutputFolder(dir: string, files: ReadonlyMap<string, string>, options: OutputFolderOptions): WriteResult {
  const cwd = options.cwd ?? process.cwd();
  const marker = MARKER_FILES[options.kind];
  const names = [...files.keys()].sort();
  for (const name of names) {
    const parts = name.split("/");
    if (name === "" || path.isAbsolute(name) || parts.includes("..") || parts.includes(".") || parts.includes("") || name === marker) {
      throw new FloeError(`internal error: output file name ${JSON.stringify(name)} is not a plain relative path.`);
    }
  }
  const checked = checkOutputFolder(dir, options);
  const where = shown(checked.target, cwd);
  createParents(checked.target, options.argument, where);
  let staging: string;
  try {
    staging = fs.mkdtempSync(path.join(path.dirname(checked.target), `.${path.basename(checked.target)}.floe-`));
  } catch (e) {
    throw new FloeError(`${options.argument}: ${where}: could not create a staging folder beside it: ${errnoText(e)}.`);
  }
  const content: OutputMarker = { generator: "floe", version: version(), kind: options.kind, files: names };
  const notes: string[] = [];
  try {
    try {
      for (const name of names) {
        const file = path.join(staging, ...name.split("/"));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, files.get(name) as string);
      }
      fs.writeFileSync(path.join(staging, marker), JSON.stringify(content, null, 2) + "\n");
    } catch (e) {
      throw new FloeError(`${options.argument}: ${where}: could not write the output: ${errnoText(e)}; the previous output is unchanged.`);
    }
    // Checked again right before the swap: the folder may have changed while floe worked.
    const now = checkOutputFolder(dir, options);
    if (now.state === "missing") renameInto(staging, now.target, options.argument, where);
    else if (now.state === "empty") {
      try {
        fs.rmdirSync(now.target);
      } catch (e) {
        throw new FloeError(`${options.argument}: ${where}: could not replace the empty folder: ${errnoText(e)}.`);
      }
      renameInto(staging, now.target, options.argument, where);
    } else {
      const old = `${staging}.old`;
      try {
        fs.renameSync(now.target, old);
      } catch (e) {
        throw new FloeError(`${options.argument}: ${where}: could not move the previous output aside: ${errnoText(e)}; it is unchanged.`);
      }
      try {
        fs.renameSync(staging, now.target);
      } catch (e) {
        fs.renameSync(old, now.target);
        throw new FloeError(`${options.argument}: ${where}: could not put the new output in place: ${errnoText(e)}; the previous output is unchanged.`);
      }
      const kept = removeWritten(old, [...now.previous, marker]);
      if (kept.length > 0) notes.push(`files that appeared in ${where} while floe wrote it were kept in ${shown(old, cwd)}: ${listSome(kept)}`);
    }
  } finally {
    if (fs.existsSync(staging)) fs.rmSync(staging, { recursive: true, force: true });
  }
  return { target: checked.target, notes };
}

function renameInto(staging: string, target: string, argument: string, where: string): void {
  try {
    fs.renameSync(staging, target);
  } catch (e) {
    throw new FloeError(`${argument}: ${where}: could not put the output in place: ${errnoText(e)}.`);
  }
}

export interface OutputFileOptions {
  /** The command-line argument, e.g. `--out`. */
  readonly argument: string;
  /** True when an existing file's content is output floe wrote, which it may replace. */
  readonly isOwnOutput: (content: string) => boolean;
  /** What floe writes there, for messages: "a floe plan report". */
  readonly what: string;
  readonly cwd?: string;
}

/** Checks that floe may write the file `file`; throws FloeError otherwise (see the header). */
export function checkOutputFile(file: string, options: OutputFileOptions): string {
  const cwd = options.cwd ?? process.cwd();
  const argument = options.argument;
  if (typeof file !== "string" || file.trim() === "") throw new FloeError(`${argument} needs a file name.`);
  if (file.includes("\0")) throw new FloeError(`${argument}: ${JSON.stringify(file)}: a path cannot hold a NUL character.`);
  const target = path.resolve(cwd, file);
  const where = shown(target, cwd);
  const existing = nearestExisting(target);
  const system = systemRoot(existing.real) ?? systemRoot(target);
  if (system !== undefined) throw new FloeError(`${argument}: ${where} is under ${system}, a file system of the kernel, not a place for files. Give a file in your project.`);
  const parent = path.dirname(target);
  const parentStat = lstat(parent);
  if (parentStat === undefined || !fs.statSync(parent).isDirectory()) throw new FloeError(`${argument}: directory ${shown(parent, cwd)} does not exist (for ${where}).`);
  const stat = lstat(target);
  if (stat !== undefined) {
    if (stat.isSymbolicLink()) throw new FloeError(`${argument}: ${where} is a symbolic link; floe replaces only files it wrote itself. Give another file name.`);
    if (stat.isDirectory()) throw new FloeError(`${argument}: ${where} is a folder; give a file name.`);
    if (!stat.isFile()) throw new FloeError(`${argument}: ${where} is not a regular file; give a file name.`);
    let content: string;
    try {
      content = fs.readFileSync(target, "utf8");
    } catch (e) {
      throw new FloeError(`${argument}: ${where}: floe cannot read the existing file to check that it wrote it: ${errnoText(e)}.`);
    }
    if (!options.isOwnOutput(content)) {
      throw new FloeError(`${argument}: ${where}: the file exists and is not ${options.what}; floe replaces only files it wrote. Give a new file name, or remove this one yourself.`);
    }
  }
  try {
    fs.accessSync(parent, fs.constants.W_OK | fs.constants.X_OK);
  } catch (e) {
    throw new FloeError(`${argument}: ${where}: floe cannot write in ${shown(parent, cwd)}: ${errnoText(e)}.`);
  }
  return target;
}

/** Writes one file by rename after {@link checkOutputFile}: readers never see half of it, and a failure leaves the old one. */
export function writeOutputFile(file: string, content: string, options: OutputFileOptions): string {
  const cwd = options.cwd ?? process.cwd();
  const target = checkOutputFile(file, options);
  const staging = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.floe-tmp`);
  try {
    fs.writeFileSync(staging, content, { flag: "wx" });
    checkOutputFile(file, options);
    fs.renameSync(staging, target);
  } catch (e) {
    fs.rmSync(staging, { force: true });
    if (e instanceof FloeError) throw e;
    throw new FloeError(`${options.argument}: ${shown(target, cwd)}: could not write: ${errnoText(e)}; the previous file is unchanged.`);
  }
  return target;
}
