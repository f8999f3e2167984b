/**
 * The disk cache of lifecycle bodies (generators/compile/body-cache.ts): a second process gets
 * the same bytes from it, and a cache folder that someone else could write is never trusted —
 * a body is code that runs inside Snowflake. Each case is a Node process with its own TMPDIR.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir, ROOT } from "./helpers";

const TSX_CJS = require.resolve("tsx/cjs");
const SCRIPT = `const { compileLifecycleProcedure } = require(${JSON.stringify(path.join(ROOT, "generators", "compile", "procedure-code.ts"))});
process.stdout.write(compileLifecycleProcedure("getConnectorStatusEntry", [], { taskReactor: false }));`;

function bodyIn(tmp: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--require", TSX_CJS, "-e", SCRIPT], { cwd: ROOT, env: { ...process.env, TMPDIR: tmp, ...env } });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(err))));
  });
}

const cacheFolder = (tmp: string) => path.join(tmp, `floe-cache-${process.getuid?.() ?? ""}`);
const cacheFile = (tmp: string) => {
  const folder = cacheFolder(tmp);
  const files = fs.readdirSync(folder).filter((f) => f.startsWith("lifecycle-bodies-"));
  expect(files).toHaveLength(1);
  return path.join(folder, files[0]);
};

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("the lifecycle body cache", { timeout: 120_000 }, () => {
  it("gives a second process the same bytes, from the cache", async () => {
    const tmp = makeTempDir("floe-cache-test-");
    dirs.push(tmp);
    const first = await bodyIn(tmp);
    expect(first).toContain("getConnectorStatusEntry");
    const file = cacheFile(tmp);
    expect(fs.statSync(cacheFolder(tmp)).mode & 0o777).toBe(0o700);
    // Prove the second process reads it: mark the cached body, and see the mark come back.
    const entries = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
    const key = Object.keys(entries).find((k) => k.includes("getConnectorStatusEntry")) as string;
    fs.writeFileSync(file, JSON.stringify({ ...entries, [key]: entries[key] + "\n// from the cache" }));
    expect(await bodyIn(tmp)).toBe(first + "\n// from the cache");
    // FLOE_CACHE=0 builds it afresh.
    expect(await bodyIn(tmp, { FLOE_CACHE: "0" })).toBe(first);
  });

  it("does not trust a cache folder others can write", async () => {
    const tmp = makeTempDir("floe-cache-test-");
    dirs.push(tmp);
    const first = await bodyIn(tmp);
    const file = cacheFile(tmp);
    const entries = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
    const key = Object.keys(entries).find((k) => k.includes("getConnectorStatusEntry")) as string;
    fs.writeFileSync(file, JSON.stringify({ ...entries, [key]: "return { planted: true };" }));
    fs.chmodSync(cacheFolder(tmp), 0o777);
    expect(await bodyIn(tmp)).toBe(first);
  });
});
