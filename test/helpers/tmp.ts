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

/**
 * Points os.tmpdir() (TMPDIR) at a new folder for the rest of this test file and returns it.
 * Each test file runs in its own process (vitest's forks pool), so whatever the code under test
 * puts in the temporary folder, and whatever a test lists there, is this file's alone, however
 * many other floe processes run on the machine. Call it at the top of the file.
 */
export function privateTmpdir(prefix = "floe-test-tmp-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  afterAll(() => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}
