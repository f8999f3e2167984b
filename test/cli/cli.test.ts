/**
 * The floe command as a user runs it: a real process, its exit code, stdout and stderr, and the
 * files it leaves (or does not leave) behind.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, writeFile } from "../helpers/tmp";

const ROOT = path.resolve(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const SCRIPTED = path.join(ROOT, "test", "fixtures", "hooks", "scripted.ts");

function floe(args: string[], cwd = ROOT): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, [path.join(ROOT, "cli", "floe.ts"), ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[path.relative(dir, path.join(entry.parentPath, entry.name))] = fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8");
  }
  return out;
}

const dir = tempDir("floe-cli-");

describe("floe", { timeout: 120_000 }, () => {
  it("prints its version and its commands", async () => {
    const version = await floe(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
    const help = await floe(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["render", "simulate", "sandbox", "plan", "demo"]) expect(help.stdout).toContain(command);
    // The installed command: bin/floe.js registers tsx and runs the same CLI.
    const bin = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [path.join(ROOT, "bin", "floe.js"), "--version"], { cwd: ROOT });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.on("close", () => resolve(out));
    });
    expect(bin.trim()).toBe(version.stdout.trim());
    const bad = await floe(["render", "--bogus"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("unknown option '--bogus'");
  });

  it("renders the example bundle, byte-identical in a second process", async () => {
    const first = path.join(dir, "first");
    const second = path.join(dir, "second");
    const [a, b] = await Promise.all([floe(["render", "--out", first]), floe(["render", "--out", second])]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.stdout).toMatch(/EXAMPLE_CONNECTOR V1 → .*first/);
    expect(a.stdout).toContain("PUBLIC.RESUME_CONNECTOR()");
    expect(a.stdout).toContain("privileges requested: EXECUTE TASK (manifest v1)");
    const tree = readTree(first);
    expect(Object.keys(tree).sort()).toContain("setup.sql");
    expect(readTree(second)).toEqual(tree);
  });

  it("refuses a bad hooks file with file:line:col, exit 1, and leaves the previous output alone", async () => {
    // An earlier render floe owns (a folder it did not write is refused before any rendering).
    const out = path.join(dir, "kept");
    expect((await floe(["render", "--out", out])).code).toBe(0);
    const before = readTree(out);
    const bad = writeFile(dir, "bad-{n}.ts", 'import { defineResumeHooks, ok } from "floe";\nexport default defineResumeHooks({\n  validate() {\n    process.exit(1);\n    return ok();\n  },\n});\n');
    const result = await floe(["render", "--hooks", bad, "--out", out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${path.basename(bad)}:4:5 - error: hook 'validate' uses 'process', a Node.js global`);
    expect(result.stderr).toContain("    process.exit(1);");
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace for the user's mistake
    expect(readTree(out)).toEqual(before);
    const fresh = path.join(dir, "never");
    expect((await floe(["render", "--hooks", bad, "--out", fresh])).code).toBe(1);
    expect(fs.existsSync(fresh)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.includes(".floe-"))).toEqual([]);
  });

  it("simulates a resume and prints exactly one JSON object", async () => {
    const result = await floe(["simulate", "resume", "--hooks", SCRIPTED, "--json"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(result.stdout)).toEqual({
      response: { response_code: "OK", message: "Connector successfully resumed." },
      status: { status: "STARTED", configurationStatus: "FINALIZED" },
      statements: 5,
    });
  });

  it("simulates a pause without EXECUTE TASK and a resume without a status row", async () => {
    const [pause, missing] = await Promise.all([
      floe(["simulate", "pause", "--hooks", SCRIPTED, "--without-privilege", "EXECUTE TASK", "--json"]),
      floe(["simulate", "resume", "--hooks", SCRIPTED, "--status", "missing", "--json"]),
    ]);
    expect(pause.code).toBe(0);
    expect(JSON.parse(pause.stdout)).toEqual({
      response: {
        response_code: "REQUIRED_PRIVILEGES_MISSING",
        message:
          "The application lacks account privileges this operation needs: EXECUTE TASK. The consumer grants them with GRANT <privilege> ON ACCOUNT TO APPLICATION <application>.",
      },
      status: { status: "STARTED", configurationStatus: "FINALIZED" },
      statements: 1,
    });
    expect(missing.code).toBe(0);
    expect(JSON.parse(missing.stdout)).toMatchObject({ response: { response_code: "CONNECTOR_STATUS_NOT_FOUND" }, status: null, statements: 1 });
  });

  it("shows the phases of a simulation in plain text", async () => {
    const result = await floe(["simulate", "resume", "--hooks", SCRIPTED, "--status", "STARTING"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("1. privileges and status");
    expect(result.stdout).toContain("2. state validation PUBLIC.RESUME_CONNECTOR_VALIDATE() → OK");
    expect(result.stdout).toContain("3. status → STARTING / FINALIZED");
    expect(result.stdout).toContain("4. internal callback PUBLIC.RESUME_CONNECTOR_INTERNAL() → OK");
    expect(result.stdout).toContain("5. status → STARTED / FINALIZED");
    expect(result.stdout).toContain("statements: 5 inside RESUME_CONNECTOR");
  });

  it.each([
    [["simulate", "restart"], 'simulate takes resume or pause, not "restart".'],
    [["simulate", "resume", "--status", "RUNNING"], "--status must be one of CONFIGURING, STARTING, STARTED, PAUSING, PAUSED, ERROR, MISSING"],
    [["simulate", "resume", "--configuration-status", "DONE"], "--configuration-status must be one of INSTALLED"],
    [["simulate", "pause", "--without-privilege", "CREATE DATABASE"], '--without-privilege: the manifest does not request "CREATE DATABASE"'],
    [["simulate", "resume", "--hooks", "nope.ts"], "--hooks: nope.ts does not exist."],
    [["sandbox", "--port", "70000"], "--port must be a port number"],
  ])("refuses %j with exit 1", async (args, message) => {
    const result = await floe(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe("");
  });
});
