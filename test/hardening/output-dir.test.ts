/**
 * Output safety, in the writer itself (generators/output-dir.ts): a folder floe owns is replaced
 * by exactly what it wrote; a failed write leaves the previous output as it was, with no staging
 * folder left; the marker lists the files; plan reports replace only reports.
 * (The refusals, through real processes, are rows of the corpus.)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isPlanReport } from "../../cli/plan";
import { FloeError } from "../../generators/errors";
import { checkOutputFolder, MARKER_FILES, writeOutputFile, writeOutputFolder } from "../../generators/output-dir";
import { makeTempDir, readTree } from "./helpers";

const dir = makeTempDir("floe-output-dir-");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const bundle = (files: Record<string, string>) => new Map(Object.entries(files));
const options = { kind: "bundle" as const, argument: "--out", cwd: dir };

describe("writeOutputFolder", () => {
  it("writes a new folder with a marker that lists its files", () => {
    const target = path.join(dir, "new", "nested", "out");
    writeOutputFolder(target, bundle({ "setup.sql": "a", "lifecycle/resume.sql": "b" }), options);
    const tree = readTree(target);
    expect(Object.keys(tree).sort()).toEqual([".floe-bundle", "lifecycle", "lifecycle/resume.sql", "setup.sql"]);
    expect(JSON.parse(tree[".floe-bundle"])).toMatchObject({ generator: "floe", kind: "bundle", files: ["lifecycle/resume.sql", "setup.sql"] });
  });

  it("replaces an owned folder by exactly the new files, removing only what it wrote before", () => {
    const target = path.join(dir, "owned");
    writeOutputFolder(target, bundle({ "setup.sql": "v1", "old/gone.sql": "x", "keep.sql": "k1" }), options);
    writeOutputFolder(target, bundle({ "setup.sql": "v2", "keep.sql": "k2" }), options);
    const tree = readTree(target);
    expect(tree["setup.sql"]).toBe("v2");
    expect(tree["keep.sql"]).toBe("k2");
    expect(tree["old/gone.sql"]).toBeUndefined();
    expect(tree.old).toBeUndefined();
    expect(fs.readdirSync(dir).filter((f) => f.includes(".floe-"))).toEqual([]);
  });

  it("leaves the previous output untouched when a write fails, and no staging folder behind", () => {
    const target = path.join(dir, "kept");
    writeOutputFolder(target, bundle({ "setup.sql": "previous" }), options);
    const before = readTree(target);
    // "a" as a file and as a folder: the second write fails half-way through staging.
    expect(() => writeOutputFolder(target, bundle({ a: "file", "a/b": "under a file", "setup.sql": "new" }), options)).toThrow(
      /--out: .*kept: could not write the output: .*; the previous output is unchanged\./,
    );
    expect(readTree(target)).toEqual(before);
    expect(fs.readdirSync(dir).filter((f) => f.includes(".floe-"))).toEqual([]);
  });

  it("refuses names that would leave the folder", () => {
    for (const name of ["../escape.sql", "/abs.sql", "a/../../b.sql", ".floe-bundle"]) {
      expect(() => writeOutputFolder(path.join(dir, "names"), bundle({ [name]: "x" }), options), name).toThrow(/is not a plain relative path/);
    }
    expect(fs.existsSync(path.join(dir, "names"))).toBe(false);
  });

  it("keeps files a user puts in an owned folder: the folder is refused rather than cleaned", () => {
    const target = path.join(dir, "shared");
    writeOutputFolder(target, bundle({ "setup.sql": "v1" }), options);
    fs.mkdirSync(path.join(target, "mine"));
    expect(() => checkOutputFolder(target, options)).toThrow(/also holds a file floe did not write: mine\//);
    expect(fs.existsSync(path.join(target, "mine"))).toBe(true);
  });

  it("has one marker per kind, and refuses to write one kind over the other", () => {
    expect(MARKER_FILES).toEqual({ bundle: ".floe-bundle", snapshot: ".floe-snapshot" });
    const target = path.join(dir, "snapshot");
    writeOutputFolder(target, bundle({ "snapshot.json": "{}" }), { ...options, kind: "snapshot", argument: "--save" });
    expect(() => writeOutputFolder(target, bundle({ "setup.sql": "x" }), options)).toThrow(FloeError);
    expect(readTree(target)["snapshot.json"]).toBe("{}");
  });
});

describe("writeOutputFile (plan --out)", () => {
  const report = { argument: "--out", what: "a floe plan report", isOwnOutput: isPlanReport, cwd: dir };

  it("replaces a report it wrote, in any format, and refuses any other file", () => {
    const file = path.join(dir, "plan.md");
    writeOutputFile(file, "<!-- floe-plan -->\n## floe plan: `X` `V1`\n", report);
    writeOutputFile(file, "<!-- floe-plan -->\n## floe plan: `X` `V2`\n", report);
    expect(fs.readFileSync(file, "utf8")).toContain("V2");
    expect(isPlanReport("floe plan  X V1  base: snapshot s\n")).toBe(true);
    expect(isPlanReport(JSON.stringify({ schemaVersion: 1, base: {}, procedures: {}, connector: {} }))).toBe(true);
    expect(isPlanReport("")).toBe(true);
    const notes = path.join(dir, "notes.md");
    fs.writeFileSync(notes, "# my notes\n");
    expect(() => writeOutputFile(notes, "<!-- floe-plan -->\n", report)).toThrow(/--out: notes\.md: the file exists and is not a floe plan report/);
    expect(fs.readFileSync(notes, "utf8")).toBe("# my notes\n");
  });
});
