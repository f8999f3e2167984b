/**
 * Running floe as a user does, for the hardening tests: a real process (`node --require tsx/cjs
 * cli/floe.ts`, what bin/floe.js does), optionally as an unprivileged user, with its exit code,
 * signal, stdout and stderr; and reading a folder back to check that nothing changed.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");
const CLI = path.join(ROOT, "cli", "floe.ts");
const TSX_CJS = require.resolve("tsx/cjs");

/** The unprivileged user tests run floe as when they need permissions to bite (root reads and writes anything). */
export const NOBODY = { uid: 65534, gid: 65534 };

/** True when this process can start processes as another user (it runs as root). */
export const CAN_SWITCH_USER = typeof process.getuid === "function" && process.getuid() === 0;

export interface FloeRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock milliseconds. */
  readonly ms: number;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Run as `nobody` (only when this process is root). */
  readonly asNobody?: boolean;
  /** Kill the process after this long; the result then has signal SIGKILL. Default 180 s. */
  readonly timeoutMs?: number;
}

/** Runs `floe <args>` and resolves when it has exited. */
export function runFloe(args: readonly string[], options: RunOptions = {}): Promise<FloeRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...(options.env ?? {}) };
  delete env.FLOE_DEBUG;
  if (options.env?.FLOE_DEBUG !== undefined) env.FLOE_DEBUG = options.env.FLOE_DEBUG;
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--require", TSX_CJS, CLI, ...args], {
      cwd: options.cwd ?? ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      ...(options.asNobody === true ? NOBODY : {}),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 180_000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A fresh folder under the system's temporary folder; `open` makes it usable by `nobody` too. */
export function makeTempDir(prefix: string, open = false): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (open) fs.chmodSync(dir, 0o755);
  return dir;
}

/** Every entry below `dir` with its content (files), link target (links) or "<dir>", by relative path. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub === "" ? entry.name : `${sub}/${entry.name}`;
      const full = path.join(dir, rel);
      if (entry.isSymbolicLink()) out[rel] = `-> ${fs.readlinkSync(full)}`;
      else if (entry.isDirectory()) {
        out[rel] = "<dir>";
        walk(rel);
      } else out[rel] = fs.readFileSync(full, "utf8");
    }
  };
  walk("");
  return out;
}

/** Writes files (relative path → content) below `dir`. */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/** A stack trace line, which a refusal must never print. */
export const STACK_LINE = /\n\s+at .+:\d+:\d+\)?/;
