/** Corpus rows: output paths (render --out) and plan --save / --out. */
import * as fs from "node:fs";
import * as path from "node:path";
import { connector, OK_HOOKS, needsNobody, RENDERED, expectFile, copyInto, type CorpusCase } from "./kit";

export const OUTPUT_PATH_CASES: readonly CorpusCase[] = [
  // ---------------------------------------------------------------- output paths (render --out)
  {
    name: "--out . in a repository",
    category: "output path",
    outcome: "refused",
    files: { "repo/.git/HEAD": "ref: refs/heads/main\n", "repo/src/keep.ts": "export {};\n" },
    cwd: "repo",
    args: ["render", "--out", "."],
    expect: { where: "--out", stderr: ["--out: . is the current folder"], unchanged: ["repo"] },
  },
  { name: "--out /", category: "output path", outcome: "refused", args: ["render", "--out", "/"], expect: { where: "--out", stderr: ["--out: / is the root of the file system"] } },
  {
    name: "--out .. (holds the current folder)",
    category: "output path",
    outcome: "refused",
    files: { "work/keep.txt": "mine\n" },
    cwd: "work",
    args: ["render", "--out", ".."],
    expect: { where: "--out", stderr: ["is a folder that holds the current folder"], unchanged: ["work"] },
  },
  {
    name: "--out the hooks file's folder",
    category: "output path",
    outcome: "refused",
    files: { "hooks/resume.ts": OK_HOOKS, "connector.ts": connector(`hooks: ["hooks/resume.ts"]`) },
    args: ["render", "--connector", "{dir}/connector.ts", "--out", "{dir}/hooks"],
    expect: { where: "--out", stderr: [/--out: .*hooks holds .*resume\.ts, an input of this command/], unchanged: ["hooks"] },
  },
  {
    name: "--out the connector's own folder",
    category: "output path",
    outcome: "refused",
    files: { "app/connector.ts": connector("") },
    args: ["render", "--connector", "{dir}/app/connector.ts", "--out", "{dir}/app"],
    expect: { where: "--out", stderr: [/holds .*connector\.ts, an input of this command/], unchanged: ["app"] },
  },
  {
    name: "--out a regular file",
    category: "output path",
    outcome: "refused",
    files: { "notes.txt": "do not lose me\n" },
    args: ["render", "--out", "{dir}/notes.txt"],
    expect: { where: "--out", stderr: ["is a file, not a folder"], check: (dir) => expectFile(dir, "notes.txt", "do not lose me\n") },
  },
  {
    name: "--out a symbolic link to a folder",
    category: "output path",
    outcome: "refused",
    files: { "real/keep.txt": "mine\n" },
    setup: (dir) => fs.symlinkSync(path.join(dir, "real"), path.join(dir, "link")),
    args: ["render", "--out", "{dir}/link"],
    expect: { where: "--out", stderr: ["is a symbolic link"], unchanged: ["real"] },
  },
  {
    name: "--out under /proc (used to spin forever)",
    category: "output path",
    outcome: "refused",
    args: ["render", "--out", "/proc/floe-corpus/out"],
    expect: { where: "--out", stderr: ["is under /proc, a file system of the kernel"] },
  },
  { name: "--out /dev/null", category: "output path", outcome: "refused", args: ["render", "--out", "/dev/null"], expect: { where: "--out", stderr: ["is under /dev"] } },
  {
    name: "--out a folder of someone else's files",
    category: "output path",
    outcome: "refused",
    files: { "docs/a.md": "# a\n", "docs/b/c.md": "# c\n" },
    args: ["render", "--out", "{dir}/docs"],
    expect: { where: "--out", stderr: ["is not empty and floe did not write it (it has no .floe-bundle)", "It holds a.md, b."], unchanged: ["docs"] },
  },
  {
    name: "--out a floe bundle a user added a file to",
    category: "output path",
    outcome: "refused",
    setup: (dir, shared) => {
      copyInto(shared.bundle, dir, RENDERED);
      fs.writeFileSync(path.join(dir, RENDERED, "my-notes.md"), "mine\n");
    },
    args: ["render", "--out", `{dir}/${RENDERED}`],
    expect: { where: "--out", stderr: ["floe wrote this folder, but it now also holds a file floe did not write: my-notes.md"], unchanged: [RENDERED] },
  },
  {
    name: "--out a folder with a forged marker",
    category: "output path",
    outcome: "refused",
    files: { "forged/.floe-bundle": "not json\n", "forged/important.db": "data\n" },
    args: ["render", "--out", "{dir}/forged"],
    expect: { where: "--out", stderr: [".floe-bundle is not a marker floe wrote"], unchanged: ["forged"] },
  },
  {
    name: "--out a marker that lists files outside the folder",
    category: "output path",
    outcome: "refused",
    files: { "forged/.floe-bundle": JSON.stringify({ generator: "floe", version: "0.1.0", kind: "bundle", files: ["../victim.txt"] }), "victim.txt": "keep\n" },
    args: ["render", "--out", "{dir}/forged"],
    expect: { where: "--out", stderr: ["is not a marker floe wrote (its fields do not match)"], unchanged: ["forged"], check: (dir) => expectFile(dir, "victim.txt", "keep\n") },
  },
  {
    name: "--out a folder of floe plan --save",
    category: "output path",
    outcome: "refused",
    files: { "snap/.floe-snapshot": JSON.stringify({ generator: "floe", version: "0.1.0", kind: "snapshot", files: ["snapshot.json"] }), "snap/snapshot.json": "{}\n" },
    args: ["render", "--out", "{dir}/snap"],
    expect: { where: "--out", stderr: ["holds output of floe plan --save (.floe-snapshot), not of floe render"], unchanged: ["snap"] },
  },
  {
    name: "--out below a regular file",
    category: "output path",
    outcome: "refused",
    files: { "file.txt": "x\n" },
    args: ["render", "--out", "{dir}/file.txt/out"],
    expect: { where: "--out", stderr: ["is a file, not a folder, so the folder cannot be created there"], check: (dir) => expectFile(dir, "file.txt", "x\n") },
  },
  {
    name: "--out in a folder the user cannot write",
    category: "output path",
    outcome: "refused",
    asNobody: true,
    skip: needsNobody,
    setup: (dir) => {
      fs.mkdirSync(path.join(dir, "readonly"), { mode: 0o755 });
    },
    args: ["render", "--out", "{dir}/readonly/out"],
    expect: { where: "--out", stderr: ["floe cannot create folders in", "permission denied (EACCES)"], absent: ["readonly/out"] },
  },
  { name: "--out empty", category: "output path", outcome: "refused", args: ["render", "--out", ""], expect: { where: "--out", stderr: ["--out needs a folder name"] } },
  {
    name: "--out a bundle floe wrote before (replaced, nothing else touched)",
    category: "output path",
    outcome: "accepted",
    files: { "sibling.txt": "keep\n" },
    setup: (dir, shared) => copyInto(shared.bundle, dir, RENDERED),
    args: ["render", "--out", `{dir}/${RENDERED}`],
    expect: {
      check: (dir) => {
        expectFile(dir, "sibling.txt", "keep\n");
        const marker = JSON.parse(fs.readFileSync(path.join(dir, RENDERED, ".floe-bundle"), "utf8")) as { files: string[] };
        if (!marker.files.includes("setup.sql")) throw new Error("the marker does not list setup.sql");
        // The staging folders are `.<name>.floe-*`; `.floe-cache` is the project's cache, kept on purpose.
        const leftovers = fs.readdirSync(dir).filter((f) => f.includes(".floe-") && f !== ".floe-cache");
        if (leftovers.length > 0) throw new Error(`staging folders left behind: ${leftovers.join(", ")}`);
      },
    },
  },

  // ------------------------------------------------------------------ plan --save / --out
  {
    name: "plan --save .",
    category: "output path",
    outcome: "refused",
    files: { "keep.txt": "x\n" },
    args: ["plan", "--no-program", "--save", "."],
    expect: { where: "--save", stderr: ["--save: . is the current folder"], unchanged: ["."] },
  },
  {
    name: "plan --save into a render bundle",
    category: "output path",
    outcome: "refused",
    setup: (dir, shared) => copyInto(shared.bundle, dir, RENDERED),
    args: ["plan", "--no-program", "--save", `{dir}/${RENDERED}`],
    expect: { where: "--save", stderr: ["holds output of floe render (.floe-bundle), not of floe plan --save"], unchanged: [RENDERED] },
  },
  { name: "plan --save under /proc", category: "output path", outcome: "refused", args: ["plan", "--no-program", "--save", "/proc/self/floe"], expect: { where: "--save", stderr: ["is under /proc"] } },
  {
    name: "plan --out over a file that is not a report",
    category: "output path",
    outcome: "refused",
    setup: (dir, shared) => {
      copyInto(shared.snapshot, dir, "base");
      fs.writeFileSync(path.join(dir, "README.md"), "# my project\n");
    },
    args: ["plan", "--no-program", "--base", "{dir}/base", "--out", "{dir}/README.md"],
    expect: { where: "--out", stderr: ["the file exists and is not a floe plan report"], check: (dir) => expectFile(dir, "README.md", "# my project\n") },
  },
  {
    name: "plan --out a symbolic link",
    category: "output path",
    outcome: "refused",
    files: { "target.md": "keep\n" },
    setup: (dir) => fs.symlinkSync(path.join(dir, "target.md"), path.join(dir, "plan.md")),
    args: ["plan", "--no-program", "--save", "{dir}/snap", "--base", "{dir}", "--out", "{dir}/plan.md"],
    expect: { where: "--out", stderr: ["is a symbolic link"], absent: ["snap"], check: (dir) => expectFile(dir, "target.md", "keep\n") },
  },
  {
    name: "plan --out into a missing folder",
    category: "output path",
    outcome: "refused",
    args: ["plan", "--no-program", "--base", "{dir}", "--out", "{dir}/no/such/plan.md"],
    expect: { where: "--out", stderr: ["--out: directory"] },
  },

];
