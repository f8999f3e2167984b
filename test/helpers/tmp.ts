import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll } from "vitest";

/** A temporary directory removed after the test file. */
export function tempDir(prefix = "floe-test-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let counter = 0;

/** Writes `content` to a new file in `dir` and returns its path. */
export function writeFile(dir: string, name: string, content: string): string {
  counter++;
  const file = path.join(dir, name.replace("{n}", String(counter)));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}
