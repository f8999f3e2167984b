/**
 * How every command ends (cli/common.ts runCommand): a user error prints its message and exits
 * 1; an internal error prints one line and a hint (the stack only with FLOE_DEBUG=1); code that
 * calls process.exit, or leaves the command waiting on something that never settles, cannot make
 * it end with 0 and no report. Each case is a real Node process running runCommand.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");
const TSX_CJS = require.resolve("tsx/cjs");

function run(body: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = `const { runCommand } = require(${JSON.stringify(path.join(ROOT, "cli", "common.ts"))});\nconst { FloeError } = require(${JSON.stringify(path.join(ROOT, "errors", "index.ts"))});\nrunCommand(${body});\n`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--require", TSX_CJS, "-e", script], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", FLOE_DEBUG: "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("runCommand", { timeout: 60_000 }, () => {
  it("passes the body's exit code through, and 0 for nothing", async () => {
    expect((await run("async () => 2")).code).toBe(2);
    expect((await run("async () => undefined")).code).toBe(0);
  });

  it("prints a user error without a stack, exit 1", async () => {
    const result = await run(`async () => { throw new FloeError("--out: . is the current folder"); }`);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("error: --out: . is the current folder\n");
  });

  it("prints an internal error as one line and a hint; the stack only with FLOE_DEBUG=1", async () => {
    const body = `async () => { const x = undefined; return x.field; }`;
    const plain = await run(body);
    expect(plain.code).toBe(1);
    const lines = plain.stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^internal error: Cannot read properties of undefined \(reading 'field'\) \(TypeError\)$/);
    expect(lines[1]).toContain("Run again with FLOE_DEBUG=1 for the stack trace");
    const debug = await run(body, { FLOE_DEBUG: "1" });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it("turns process.exit(0) from code the command runs into exit 1 with the reason", async () => {
    const result = await run(`async () => { setTimeout(() => process.exit(0), 10); await new Promise((r) => setTimeout(r, 2000)); return 0; }`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("called process.exit(0) while floe was working; floe stopped without finishing.");
  });

  it("exits 1 and says so when the command waits on something that never settles", async () => {
    const result = await run(`() => new Promise(() => undefined)`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("floe stopped before the command finished: work it waited for");
  });

  it("ends when the command is done, whatever timers user code left behind", async () => {
    const started = Date.now();
    const result = await run(`async () => { setInterval(() => undefined, 1000); return 0; }`);
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("redacts secrets from the environment out of everything printed", async () => {
    const result = await run(`async () => { process.stdout.write("token is " + process.env.FLOE_TEST_TOKEN + "\\n"); throw new FloeError("login with " + process.env.FLOE_TEST_TOKEN + " failed"); }`, {
      FLOE_TEST_TOKEN: "tok-12345-secret",
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("token is [redacted]\n");
    expect(result.stderr).toBe("error: login with [redacted] failed\n");
  });
});
