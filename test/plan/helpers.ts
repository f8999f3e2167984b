import * as fs from "node:fs";
import * as path from "node:path";
import { Writable } from "node:stream";
import { expect } from "vitest";
import type { PlanIo } from "../../cli/plan";

export const ROOT = path.resolve(__dirname, "..", "..");
export const FIXTURES = path.join(ROOT, "test", "fixtures", "plan");
export const GOLDEN = path.join(FIXTURES, "golden");

/** Compares with a golden file; UPDATE_GOLDEN=1 rewrites it instead. */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === "1") {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
  }
  if (!fs.existsSync(file)) throw new Error(`golden file ${path.relative(ROOT, file)} is missing; run UPDATE_GOLDEN=1 npx vitest run test/plan`);
  expect(actual, name).toBe(fs.readFileSync(file, "utf8"));
}

/** A writable that keeps what is written to it. */
export class Collector extends Writable {
  text = "";
  isTTY?: boolean;
  constructor(tty = false) {
    super();
    if (tty) this.isTTY = true;
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    callback();
  }
}

/** Streams and environment for planCommand, captured. */
export function captureIo(env: NodeJS.ProcessEnv = {}, tty = false): PlanIo & { stdout: Collector; stderr: Collector } {
  return { stdout: new Collector(tty), stderr: new Collector(), env };
}
