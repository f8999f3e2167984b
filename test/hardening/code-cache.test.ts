/**
 * The V8 code cache of the hooks compiler (generators/cache/code-cache.ts). It may only save
 * time: a module loaded through it behaves as its current source says, never as a cached,
 * older one, and an entry that is corrupt or belongs to another version is refused and written
 * again. A module stands in for ts-morph here: a package under node_modules in a temporary folder.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { codeCacheStats, requireWithCodeCache, saveCodeCache } from "../../generators/cache/code-cache";
import { tempDir } from "../helpers/tmp";

/** A package `answer` whose module returns `value` (always the same length, so only the bytes change). */
function writePackage(root: string, value: number): string {
  const file = path.join(root, "node_modules", "answer", "index.js");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `"use strict";\nfunction answer() { return ${value}; }\nmodule.exports = { answer, dir: __dirname, resolved: require.resolve("./index.js") };\n`);
  return file;
}

/** Requires the package afresh (out of Node's module cache) through the code cache in `cacheDir`. */
function load(root: string, cacheDir: string | null): { answer(): number; dir: string; resolved: string } {
  const file = path.join(root, "node_modules", "answer", "index.js");
  const require = createRequire(path.join(root, "index.js"));
  delete require.cache[file];
  const loaded = requireWithCodeCache(cacheDir, () => require("answer") as { answer(): number; dir: string; resolved: string });
  loaded.answer();
  saveCodeCache();
  return loaded;
}

const entries = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".v8")) : []);

describe("the hooks compiler's code cache", () => {
  it("writes an entry, then compiles the module from it, with the module's own require and __dirname", () => {
    const root = tempDir("floe-code-cache-");
    const cacheDir = path.join(root, "cache");
    const file = writePackage(root, 1);
    const before = { ...codeCacheStats };
    expect(load(root, cacheDir).answer()).toBe(1);
    expect(codeCacheStats.misses - before.misses).toBe(1);
    expect(entries(cacheDir)).toHaveLength(1);
    const second = load(root, cacheDir);
    expect(second.answer()).toBe(1);
    expect(codeCacheStats.hits - before.hits).toBe(1);
    expect(second.dir).toBe(path.dirname(file));
    expect(second.resolved).toBe(file);
  });

  it("never runs a cached, older version of a module that changed (same length, new bytes)", () => {
    const root = tempDir("floe-code-cache-stale-");
    const cacheDir = path.join(root, "cache");
    const file = writePackage(root, 1);
    expect(load(root, cacheDir).answer()).toBe(1);
    writePackage(root, 2);
    // V8 itself checks only the source's length: the entry must be refused on floe's own check.
    const later = new Date(fs.statSync(file).mtimeMs + 5_000);
    fs.utimesSync(file, later, later);
    expect(load(root, cacheDir).answer()).toBe(2);
    expect(load(root, cacheDir).answer()).toBe(2);
  });

  it("refuses a corrupt entry and writes it again", () => {
    const root = tempDir("floe-code-cache-corrupt-");
    const cacheDir = path.join(root, "cache");
    writePackage(root, 3);
    load(root, cacheDir);
    const [entry] = entries(cacheDir);
    const bytes = fs.readFileSync(path.join(cacheDir, entry));
    bytes[bytes.length - 8] ^= 0xff;
    fs.writeFileSync(path.join(cacheDir, entry), bytes);
    const before = { ...codeCacheStats };
    expect(load(root, cacheDir).answer()).toBe(3);
    expect(codeCacheStats.rejected - before.rejected).toBe(1);
    expect(fs.readFileSync(path.join(cacheDir, entry)).equals(bytes)).toBe(false);
    const again = { ...codeCacheStats };
    expect(load(root, cacheDir).answer()).toBe(3);
    expect(codeCacheStats.hits - again.hits).toBe(1);
  });

  it("does nothing without a cache folder", () => {
    const root = tempDir("floe-code-cache-off-");
    writePackage(root, 4);
    const before = { ...codeCacheStats };
    expect(load(root, null).answer()).toBe(4);
    expect(codeCacheStats).toEqual(before);
  });
});
