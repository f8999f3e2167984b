/**
 * The render cache (generators/cache/store.ts): compiled hooks and gated statements kept in the
 * project's `.floe-cache/`. It may only ever save time: the bundle is byte-identical with the
 * cache, without it, and with a cache whose entries were corrupted, planted or left stale, and
 * a cache folder someone else could write is not used at all (entries hold code that runs
 * inside Snowflake).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { KEEP_PER_KIND, PRUNE_SLACK, cachePruned, openCache, resetCaches, type CacheStore } from "../../generators/cache/store";
import * as artifact from "../../generators/compile/lifecycle-artifact";
import { FLOE_ROOT } from "../../generators/floe-root";
import { renderConnector } from "../../generators/pipeline";
import type { ConnectorDefinition } from "../../generators/definition";
import type { Bundle } from "../../generators/render";
import { tempDir } from "../helpers/tmp";
import { ROOT } from "./helpers";

const HOOKS = ["resume.ts", "configure.ts", "connection.ts", "finalize.ts"];

/** A connector project of its own: the example's hooks copied into a temporary folder. */
function project(): { root: string; definition: ConnectorDefinition } {
  const root = tempDir("floe-render-cache-");
  fs.mkdirSync(path.join(root, "hooks"));
  for (const file of HOOKS) fs.copyFileSync(path.join(ROOT, "hooks", file), path.join(root, "hooks", file));
  return { root, definition: { name: "CACHE_TEST", version: "V1", hooks: HOOKS.map((f) => `hooks/${f}`), privileges: ["EXECUTE TASK"], root } };
}

async function render(definition: ConnectorDefinition, cache: CacheStore | null): Promise<Bundle> {
  return (await renderConnector(definition, { cache })).bundle;
}

function asText(bundle: Bundle): string {
  return JSON.stringify([...bundle].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function entries(cache: CacheStore, kind: string): string[] {
  const folder = path.join(cache.dir, kind);
  return fs.readdirSync(folder).filter((f) => f.endsWith(".json")).map((f) => path.join(folder, f));
}

function freshCache(root: string): CacheStore {
  resetCaches();
  const cache = openCache(root);
  if (cache === null) throw new Error("no cache");
  return cache;
}

beforeEach(() => {
  resetCaches();
  delete process.env.FLOE_CACHE;
  delete process.env.FLOE_CACHE_DIR;
});

describe("the render cache", { timeout: 180_000 }, () => {
  it("gives byte-identical output with and without it, and is read on the second render", async () => {
    const { root, definition } = project();
    const uncached = asText(await render(definition, null));
    const cache = freshCache(root);
    expect(cache.dir).toBe(path.join(root, ".floe-cache", "floe"));
    expect(asText(await render(definition, cache))).toBe(uncached);
    expect(entries(cache, "hooks")).toHaveLength(HOOKS.length);
    expect(entries(cache, "gate").length).toBeGreaterThan(0);
    expect(fs.statSync(cache.dir).mode & 0o777).toBe(0o700);
    const before = { ...cache.stats };
    expect(asText(await render(definition, cache))).toBe(uncached);
    // Every hooks file came from the cache, and nothing was compiled or written again.
    expect(cache.stats.hits - before.hits).toBeGreaterThanOrEqual(HOOKS.length);
    expect(cache.stats.writes).toBe(before.writes);
  });

  it("ignores corrupt, planted and truncated entries and writes the same bytes", async () => {
    const { root, definition } = project();
    const cache = freshCache(root);
    const expected = asText(await render(definition, cache));
    const hookEntries = entries(cache, "hooks");
    const [garbage, planted, truncated, wrongKey] = hookEntries;
    const another = fs.readFileSync(garbage, "utf8");
    fs.writeFileSync(garbage, "\u0000not json at all");
    // A planted body with the entry's key but a checksum that does not match it.
    const entry = JSON.parse(fs.readFileSync(planted, "utf8")) as { value: { body: string }[] };
    entry.value[0].body = "return { response_code: 'OK', message: 'planted' };";
    fs.writeFileSync(planted, JSON.stringify(entry));
    const text = fs.readFileSync(truncated, "utf8");
    fs.writeFileSync(truncated, text.slice(0, text.length / 2));
    // A whole valid entry of another file, copied over this one: names another key.
    fs.writeFileSync(wrongKey, another);
    for (const file of entries(cache, "gate")) fs.writeFileSync(file, "{\"format\":1,\"value\":false}");
    const rejectedBefore = cache.stats.rejected;
    const again = asText(await render(definition, cache));
    expect(again).toBe(expected);
    expect(again).not.toContain("planted");
    expect(cache.stats.rejected - rejectedBefore).toBeGreaterThanOrEqual(4);
    // The refused entries were rebuilt: a third render finds every hooks file.
    const hits = cache.stats.hits;
    expect(asText(await render(definition, cache))).toBe(expected);
    expect(cache.stats.hits - hits).toBeGreaterThanOrEqual(HOOKS.length);
  });

  it("never answers an edited hooks file with the old entry", async () => {
    const { root, definition } = project();
    const cache = freshCache(root);
    await render(definition, cache);
    const file = path.join(root, "hooks", "resume.ts");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("last_lifecycle_event", "last_lifecycle_change"));
    const edited = asText(await render(definition, cache));
    expect(edited).toContain("last_lifecycle_change");
    expect(edited).not.toContain("last_lifecycle_event");
    expect(edited).toBe(asText(await render(definition, null)));
  });

  it("does not use a cache folder others can write, nor one when FLOE_CACHE=0", async () => {
    const { root, definition } = project();
    const cache = freshCache(root);
    const expected = asText(await render(definition, cache));
    for (const file of entries(cache, "hooks")) {
      // Planted with a valid checksum: only the folder's mode can refuse it.
      const entry = JSON.parse(fs.readFileSync(file, "utf8")) as { value: { body: string }[]; sum: string };
      entry.value[0].body = "return { response_code: 'OK', message: 'planted' };";
      entry.sum = createHash("sha256").update(JSON.stringify(entry.value)).digest("hex");
      fs.writeFileSync(file, JSON.stringify(entry));
    }
    fs.chmodSync(cache.dir, 0o777);
    resetCaches();
    expect(openCache(root)).toBeNull();
    expect(asText((await renderConnector(definition)).bundle)).toBe(expected);
    process.env.FLOE_CACHE = "0";
    resetCaches();
    expect(openCache(root)).toBeNull();
    fs.chmodSync(cache.dir, 0o700);
    expect(asText((await renderConnector(definition)).bundle)).toBe(expected);
  });

  it("builds floe's lifecycle procedures again when their cached artifact is corrupt, with the same bodies", () => {
    const first = artifact.lifecycleArtifact();
    const cache = openCache(FLOE_ROOT);
    if (cache === null) throw new Error("no cache in floe's checkout");
    const folder = path.join(cache.dir, "lifecycle");
    const entries = fs.readdirSync(folder).filter((f) => f.endsWith(".json"));
    expect(entries.length).toBeGreaterThan(0);
    const saved = entries.map((f) => [f, fs.readFileSync(path.join(folder, f))] as const);
    try {
      for (const f of entries) {
        // Planted bodies under a checksum that fits: what refuses them is that the artifact no
        // longer names the lifecycle sources it was built from.
        const entry = JSON.parse(fs.readFileSync(path.join(folder, f), "utf8")) as { value: { entries: Record<string, { code: string }>; lifecycleHash: string }; sum: string };
        for (const e of Object.values(entry.value.entries)) e.code = "return { response_code: 'OK', message: 'planted' };";
        entry.value.lifecycleHash = "0".repeat(64);
        entry.sum = createHash("sha256").update(JSON.stringify(entry.value)).digest("hex");
        fs.writeFileSync(path.join(folder, f), JSON.stringify(entry));
      }
      artifact.forgetLifecycleArtifact();
      const rebuilt = artifact.lifecycleArtifact();
      expect(artifact.artifactSource).toBe("built");
      expect(rebuilt.entries).toEqual(first.entries);
      expect(JSON.stringify(rebuilt)).not.toContain("planted");
    } finally {
      artifact.forgetLifecycleArtifact();
      for (const [f, bytes] of saved) fs.writeFileSync(path.join(folder, f), bytes);
    }
  });

  it("keeps each kind's folder bounded, pruning back to the newest entries once it outgrows its slack", async () => {
    const root = tempDir("floe-render-cache-prune-");
    const cache = freshCache(root);
    const accept = (v: unknown): v is number => typeof v === "number";
    const total = KEEP_PER_KIND + PRUNE_SLACK + 1;
    const sizes: number[] = [];
    let seen = new Set<string>();
    for (let i = 0; i < total; i++) {
      cache.put("bounded", ["entry", String(i)], i);
      const now = entries(cache, "bounded");
      // Pruning goes by age, and writes this fast can share a millisecond: each entry gets a second of its own.
      for (const file of now) if (!seen.has(file)) fs.utimesSync(file, 1_000_000 + i, 1_000_000 + i);
      seen = new Set(now);
      sizes.push(now.length);
    }
    // Nothing is pruned before the folder outgrows its slack; the write that outgrew it prunes it
    // back to KEEP_PER_KIND (in the background).
    expect(sizes[total - 2]).toBe(KEEP_PER_KIND + PRUNE_SLACK);
    await cachePruned();
    expect(entries(cache, "bounded")).toHaveLength(KEEP_PER_KIND);
    // The newest entries survive the pruning.
    expect(cache.get("bounded", ["entry", String(total - 1)], accept)).toBe(total - 1);
    expect(cache.get("bounded", ["entry", String(total - KEEP_PER_KIND)], accept)).toBe(total - KEEP_PER_KIND);
  });
});
