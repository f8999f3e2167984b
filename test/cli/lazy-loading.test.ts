/**
 * Heavy dependencies load only in the command that needs them: a render whose hooks the cache
 * knows loads neither the TypeScript compiler (ts-morph) nor the SQL parser; a plan without a
 * Pulumi program never loads @pulumi/pulumi; neither loads snowflake-sdk or DuckDB. Checked by
 * listing the modules a real floe process has loaded when it exits.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/tmp";

const ROOT = path.resolve(__dirname, "..", "..");
const TSX_CJS = require.resolve("tsx/cjs");
const HEAVY = ["ts-morph", "@guanmingchiu/sqlparser-ts", "@pulumi/pulumi", "snowflake-sdk", "@duckdb"] as const;

/** Runs floe and returns which heavy packages it had loaded when it exited. */
function loadedBy(args: string[], cwd: string): Record<(typeof HEAVY)[number], boolean> {
  const dir = tempDir("floe-lazy-probe-");
  const probe = path.join(dir, "probe.cjs");
  const out = path.join(dir, "loaded.json");
  fs.writeFileSync(probe, `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.keys(require.cache))));\n`);
  const result = spawnSync(process.execPath, ["--require", probe, "--require", TSX_CJS, path.join(ROOT, "cli", "floe.ts"), ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  expect(result.status, result.stderr).toBe(0);
  const ids = JSON.parse(fs.readFileSync(out, "utf8")) as string[];
  return Object.fromEntries(HEAVY.map((name) => [name, ids.some((id) => id.includes(`${path.sep}node_modules${path.sep}${name}${path.sep}`))])) as Record<(typeof HEAVY)[number], boolean>;
}

describe("lazy loading", { timeout: 120_000 }, () => {
  it("a render the cache answers loads no compiler; a plan without a program loads no Pulumi", () => {
    const dir = tempDir("floe-lazy-");
    fs.mkdirSync(path.join(dir, "hooks"));
    fs.copyFileSync(path.join(ROOT, "hooks", "resume.ts"), path.join(dir, "hooks", "resume.ts"));
    fs.writeFileSync(path.join(dir, "connector.ts"), `export default { name: "LAZY", hooks: ["hooks/resume.ts"], privileges: ["EXECUTE TASK"] };\n`);

    const first = loadedBy(["render"], dir);
    expect(first["ts-morph"]).toBe(true);
    const again = loadedBy(["render"], dir);
    expect(again).toEqual({ "ts-morph": false, "@guanmingchiu/sqlparser-ts": false, "@pulumi/pulumi": false, "snowflake-sdk": false, "@duckdb": false });

    expect(loadedBy(["plan", "--save", path.join(dir, "snapshot"), "--no-program"], dir)["@pulumi/pulumi"]).toBe(false);
    const plan = loadedBy(["plan", "--base", path.join(dir, "snapshot"), "--no-program"], dir);
    expect(plan).toEqual({ "ts-morph": false, "@guanmingchiu/sqlparser-ts": false, "@pulumi/pulumi": false, "snowflake-sdk": false, "@duckdb": false });
  });
});
