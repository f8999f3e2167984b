/**
 * `floe render --watch` and `floe simulate --watch`: one real process, real file edits, and a
 * count of the rounds it ran — never a clock. A save that leaves the bytes as they were runs no
 * round; a bad edit prints its error and the watch goes on; Ctrl-C ends it with exit code 0.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/tmp";

const ROOT = path.resolve(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

const everywhere = (pattern: RegExp) => new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : pattern.flags + "g");

/** A running floe whose output is read as it comes. */
class Running {
  stdout = "";
  stderr = "";
  private waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;
  constructor(readonly child: ChildProcessWithoutNullStreams) {
    const wake = () => this.waiters.splice(0).forEach((w) => w());
    child.stdout.on("data", (d: Buffer) => ((this.stdout += d.toString()), wake()));
    child.stderr.on("data", (d: Buffer) => ((this.stderr += d.toString()), wake()));
    this.exited = new Promise((resolve) => child.on("close", (code) => (wake(), resolve(code))));
  }
  /** Resolves when the output (stdout and stderr) matches `pattern` `count` times. */
  async until(pattern: RegExp, count = 1): Promise<void> {
    const global = everywhere(pattern);
    while (((this.stdout + this.stderr).match(global)?.length ?? 0) < count) {
      if (this.child.exitCode !== null) throw new Error(`floe exited (${this.child.exitCode}) before ${pattern}:\n${this.stdout}\n${this.stderr}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
  count(pattern: RegExp): number {
    return (this.stdout + this.stderr).match(everywhere(pattern))?.length ?? 0;
  }
}

const running: Running[] = [];
afterEach(() => {
  for (const r of running.splice(0)) if (r.child.exitCode === null) r.child.kill("SIGKILL");
});

function start(args: string[], cwd: string): Running {
  const r = new Running(spawn(TSX, [path.join(ROOT, "cli", "floe.ts"), ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } }));
  running.push(r);
  return r;
}

function project(): { dir: string; hooks: string } {
  const dir = tempDir("floe-watch-");
  fs.mkdirSync(path.join(dir, "hooks"));
  const hooks = path.join(dir, "hooks", "resume.ts");
  fs.copyFileSync(path.join(ROOT, "hooks", "resume.ts"), hooks);
  fs.writeFileSync(path.join(dir, "connector.ts"), `export default { name: "WATCHED", hooks: ["hooks/resume.ts"], privileges: ["EXECUTE TASK"] };\n`);
  return { dir, hooks };
}

/** An edit as an editor saves it: a new file renamed over the old one. */
function save(file: string, edit: (text: string) => string): void {
  const text = edit(fs.readFileSync(file, "utf8"));
  fs.writeFileSync(file + ".swp", text);
  fs.renameSync(file + ".swp", file);
}

describe("floe render --watch", { timeout: 120_000 }, () => {
  it("renders once per save that changes an input, prints what changed, survives a bad edit and stops on Ctrl-C", async () => {
    const { dir, hooks } = project();
    const floe = start(["render", "--watch"], dir);
    await floe.until(/watching 2 files/);
    expect(floe.count(/^render \d+/m)).toBe(1);
    const setup = () => fs.readFileSync(path.join(dir, "build", "app", "setup.sql"), "utf8");
    expect(setup()).toContain("Ingestion resumed.");

    save(hooks, (t) => t.replace('return ok("Ingestion resumed.");', 'return ok("Ingestion resumed, watched.");'));
    await floe.until(/^render 2 .*after a save of hooks\/resume\.ts$/m);
    await floe.until(/procedures changed \(1\): PUBLIC\.RESUME_CONNECTOR_INTERNAL\(\)/);
    expect(setup()).toContain("Ingestion resumed, watched.");

    // The same bytes saved again: no round. A type error: reported, and the bundle kept.
    save(hooks, (t) => t);
    save(path.join(dir, "connector.ts"), (t) => t);
    save(hooks, (t) => t.replace('return ok("Ingestion resumed, watched.");', "return 42;"));
    await floe.until(/resume\.ts:\d+:\d+ - error/);
    expect(setup()).toContain("Ingestion resumed, watched.");

    save(hooks, (t) => t.replace("return 42;", 'return ok("Ingestion resumed, fixed.");'));
    await floe.until(/^render 4 /m);
    expect(floe.count(/^render \d+/m)).toBe(3);
    expect(floe.stdout).not.toMatch(/^render 5 /m);
    expect(setup()).toContain("Ingestion resumed, fixed.");

    // A change to the definition is loaded again: a new privilege.
    save(path.join(dir, "connector.ts"), (t) => t.replace('privileges: ["EXECUTE TASK"]', 'privileges: ["EXECUTE TASK", "CREATE DATABASE"]'));
    await floe.until(/^render 5 .*after a save of connector\.ts$/m);
    await floe.until(/files changed \(\d+\): .*manifest\.yml/);
    expect(fs.readFileSync(path.join(dir, "build", "app", "manifest.yml"), "utf8")).toContain("CREATE DATABASE");

    floe.child.kill("SIGINT");
    expect(await floe.exited).toBe(0);
    expect(floe.count(/^render \d+/m)).toBe(4);
  });
});

describe("floe simulate --watch", { timeout: 180_000 }, () => {
  it("simulates again after a save, with the new hook's answer", async () => {
    const { dir, hooks } = project();
    // The validator's refusal is the call's answer: what each round's hook says shows in its response.
    fs.writeFileSync(hooks, `import { defineResumeHooks, error } from "floe";\nexport default defineResumeHooks({ validate() { return error("ON_HOLD", "first"); } });\n`);
    const floe = start(["simulate", "resume", "--watch", "--json"], dir);
    await floe.until(/watching 2 files/);
    save(hooks, (t) => t.replace('"first"', '"second"'));
    await floe.until(/"response_code"/, 2);
    const answers = floe.stdout.trim().split("\n").map((line) => JSON.parse(line) as { response: unknown });
    expect(answers.map((a) => a.response)).toEqual([
      { response_code: "ON_HOLD", message: "first" },
      { response_code: "ON_HOLD", message: "second" },
    ]);
    expect(floe.count(/^simulation \d+/m)).toBe(2);
    floe.child.kill("SIGINT");
    expect(await floe.exited).toBe(0);
  });
});
