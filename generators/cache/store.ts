/**
 * floe's content-addressed cache: compiled hooks, gated statements, the lifecycle procedures
 * built from a checkout, plan bases. An entry is found by a key that names everything its value
 * was made from (the input's own bytes, floe's fingerprint, the compiler options), so it is
 * never out of date: a changed input is a different key. What it saves is time only — with
 * the cache, without it, or with a broken one, floe writes the same bytes.
 *
 * It lives in `.floe-cache/floe/` beside the connector (the folder `floe init`'s .gitignore
 * already leaves out), or in `$FLOE_CACHE_DIR`; `FLOE_CACHE=0` turns it off. An entry carries
 * its key and the sha256 of its value: one that does not parse, names another key, or fails its
 * checksum or its shape is ignored and rebuilt, never trusted. A cache folder that another
 * user owns or could write is not used at all — entries hold code that runs inside Snowflake.
 * Writes go through a rename, so a reader never sees half an entry; each kind keeps its newest
 * entries only.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { hashParts } from "./fingerprint";

/** Entries kept per kind; older ones are removed when new ones are written. */
export const KEEP_PER_KIND = 400;
/**
 * How far past KEEP_PER_KIND a kind's folder may grow before it is pruned back. Pruning reads the
 * age of every entry; done on every write, a render of many hooks files paid for it each time.
 */
export const PRUNE_SLACK = 100;
const FORMAT = 1;

export interface CacheStats {
  hits: number;
  misses: number;
  /** Entries found but refused: unreadable, another key, a bad checksum or shape. */
  rejected: number;
  writes: number;
}

export interface CacheStore {
  /** The folder, for messages and tests. */
  readonly dir: string;
  /** The value stored under `key`, when there is one that passes every check. */
  get<T>(kind: string, key: readonly string[], accept: (value: unknown) => value is T): T | undefined;
  /** Stores `value` (JSON) under `key`; a failure to write is ignored. */
  put(kind: string, key: readonly string[], value: unknown): void;
  readonly stats: CacheStats;
}

/** Whether caching is turned off for this process (`FLOE_CACHE=0`). */
export function cacheDisabled(): boolean {
  return process.env.FLOE_CACHE === "0";
}

/** Creates `dir` (mode 0700) if needed; true when it is a folder only this user may write. */
function usableFolder(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(dir);
    const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
    if (!stat.isDirectory()) return false;
    if (uid !== undefined && stat.uid !== uid) return false;
    return (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

const opened = new Map<string, CacheStore | null>();

/**
 * The cache for a connector whose root folder is `root` (or `$FLOE_CACHE_DIR`); null when
 * caching is off or the folder cannot be used safely.
 */
export function openCache(root: string): CacheStore | null {
  if (cacheDisabled()) return null;
  const configured = process.env.FLOE_CACHE_DIR;
  const dir = configured !== undefined && configured !== "" ? path.resolve(configured) : path.join(path.resolve(root), ".floe-cache", "floe");
  if (opened.has(dir)) return opened.get(dir) ?? null;
  const store = usableFolder(dir) ? createStore(dir) : null;
  opened.set(dir, store);
  return store;
}

/** Forgets the folders checked so far (tests change modes and environment between calls). */
export function resetCaches(): void {
  opened.clear();
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function createStore(dir: string): CacheStore {
  const stats: CacheStats = { hits: 0, misses: 0, rejected: 0, writes: 0 };
  const fileOf = (kind: string, key: string) => path.join(dir, kind, `${key}.json`);
  // Entries per kind folder as far as this process knows: counted on its first write there,
  // then one more per write (an overwrite counts too: the estimate only ever runs high).
  const counts = new Map<string, number>();
  return {
    dir,
    stats,
    get<T>(kind: string, keyParts: readonly string[], accept: (value: unknown) => value is T): T | undefined {
      const key = hashParts(keyParts);
      let text: string;
      try {
        text = fs.readFileSync(fileOf(kind, key), "utf8");
      } catch {
        stats.misses++;
        return undefined;
      }
      try {
        const entry = JSON.parse(text) as { format?: unknown; key?: unknown; sum?: unknown; value?: unknown };
        const valueText = JSON.stringify(entry.value);
        if (entry.format === FORMAT && entry.key === key && typeof valueText === "string" && entry.sum === sha256(valueText) && accept(entry.value)) {
          stats.hits++;
          return entry.value;
        }
      } catch {
        // Not JSON: refused below.
      }
      stats.rejected++;
      stats.misses++;
      return undefined;
    },
    put(kind: string, keyParts: readonly string[], value: unknown): void {
      const key = hashParts(keyParts);
      const folder = path.join(dir, kind);
      const file = fileOf(kind, key);
      const valueText = JSON.stringify(value);
      const staging = `${file}.${process.pid}.tmp`;
      try {
        fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
        fs.writeFileSync(staging, JSON.stringify({ format: FORMAT, key, sum: sha256(valueText), value }), { mode: 0o600 });
        fs.renameSync(staging, file);
        stats.writes++;
        const known = counts.get(folder);
        const count = known === undefined ? countEntries(folder) : known + 1;
        if (count > KEEP_PER_KIND + PRUNE_SLACK) prune(folder);
        counts.set(folder, count > KEEP_PER_KIND + PRUNE_SLACK ? KEEP_PER_KIND : count);
      } catch {
        fs.rmSync(staging, { force: true });
      }
    },
  };
}

function countEntries(folder: string): number {
  return fs.readdirSync(folder).filter((n) => n.endsWith(".json")).length;
}

const pruning = new Map<string, Promise<void>>();

/**
 * Keeps the newest KEEP_PER_KIND entries of a kind's folder, in the background: the render goes
 * on while the old entries are listed and removed (Node finishes the removal before it exits).
 * An entry removed while a reader wants it is only a miss.
 */
function prune(folder: string): void {
  if (pruning.has(folder)) return;
  const done = (async () => {
    const names = (await fs.promises.readdir(folder)).filter((n) => n.endsWith(".json"));
    if (names.length <= KEEP_PER_KIND) return;
    const aged = await Promise.all(names.map(async (n) => ({ n, t: (await fs.promises.stat(path.join(folder, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
    aged.sort((a, b) => a.t - b.t);
    await Promise.all(aged.slice(0, names.length - KEEP_PER_KIND).map(({ n }) => fs.promises.rm(path.join(folder, n), { force: true })));
  })()
    .catch(() => undefined)
    .finally(() => pruning.delete(folder));
  pruning.set(folder, done);
}

/** Resolves once the cache folders being pruned in the background are pruned (for tests). */
export async function cachePruned(): Promise<void> {
  await Promise.all([...pruning.values()]);
}
