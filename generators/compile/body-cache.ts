/**
 * A disk cache of the lifecycle procedure bodies. They depend only on floe's own code (the
 * lifecycle sources, the compiler in this folder, the TypeScript version) and on the entry,
 * arguments and features; building them type-checks the lifecycle and costs seconds, in every
 * floe process: `render`, `simulate`, `plan` and the worker that evaluates a Pulumi program
 * (which renders the connector again). Bodies are cached by a fingerprint of exactly those
 * inputs, so an edit to any of them makes a new entry; the output is the same bytes either way.
 *
 * The cache lives in `<tmp>/floe-cache-<uid>`, a folder only its owner may use: a body is code
 * that runs inside Snowflake, so a folder someone else could write is never trusted (it is
 * checked for owner and mode, as tsx does for its own cache). `FLOE_CACHE=0` turns it off.
 * Unreadable or corrupt entries are ignored; writes go through a rename, so two processes never
 * see half an entry.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ts } from "ts-morph";

/** Bodies by key (entry, arguments, features), for one fingerprint. */
type Entries = Record<string, string>;

let state: { file: string; entries: Entries } | null | undefined;

function sourcesOf(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      // Sources in a checkout, compiled JavaScript (and declarations) in the installed package.
      .filter((f) => /\.(ts|js|cjs|mjs)$/.test(f))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

/** The folder, when it is usable and safe (owned by this user, writable by no one else). */
function cacheDir(): string | undefined {
  if (process.env.FLOE_CACHE === "0") return undefined;
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  const dir = path.join(os.tmpdir(), `floe-cache-${uid ?? os.userInfo().username}`);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") return undefined;
  }
  try {
    const stat = fs.lstatSync(dir);
    if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid) || (stat.mode & 0o022) !== 0) return undefined;
  } catch {
    return undefined;
  }
  return dir;
}

/** Loads the entries of this floe's fingerprint once per process; null when there is no cache. */
function load(inputs: { readonly lifecycleDir: string; readonly compilerDir: string }): { file: string; entries: Entries } | null {
  if (state !== undefined) return state;
  const dir = cacheDir();
  if (dir === undefined) return (state = null);
  const hash = createHash("sha256").update(`typescript ${ts.version}\0`);
  for (const file of [...sourcesOf(inputs.lifecycleDir), ...sourcesOf(inputs.compilerDir)]) {
    hash.update(path.basename(file)).update("\0").update(fs.readFileSync(file)).update("\0");
  }
  const file = path.join(dir, `lifecycle-bodies-${hash.digest("hex").slice(0, 32)}.json`);
  let entries: Entries = {};
  try {
    const data = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
    if (data !== null && typeof data === "object" && !Array.isArray(data) && Object.values(data).every((v) => typeof v === "string")) entries = data as Entries;
  } catch {
    // Missing or corrupt: start empty.
  }
  return (state = { file, entries });
}

/** A cached body, or undefined. */
export function cachedBody(key: string, inputs: { readonly lifecycleDir: string; readonly compilerDir: string }): string | undefined {
  return load(inputs)?.entries[key];
}

/** Stores a body; failures to write are ignored (the cache only saves time). */
export function storeBody(key: string, body: string, inputs: { readonly lifecycleDir: string; readonly compilerDir: string }): void {
  const loaded = load(inputs);
  if (loaded === null) return;
  loaded.entries[key] = body;
  const staging = `${loaded.file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(staging, JSON.stringify(loaded.entries), { mode: 0o600 });
    fs.renameSync(staging, loaded.file);
  } catch {
    fs.rmSync(staging, { force: true });
  }
}
