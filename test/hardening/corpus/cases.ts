/**
 * The hostile-input corpus: one row per input a careless or malicious user may give floe, with
 * the outcome floe must produce. Each row runs as a real `floe` process (corpus.test.ts) in a
 * temporary folder of its own.
 *
 * A row says what is written before the run (`files`, `setup`), the arguments (`{dir}` is the
 * row's folder, `{port}` a port `setup` provides), and what must come out:
 * - `refused`: exit 1; stderr names the place at fault — `file:line:col` (`where: "location"`)
 *   or the argument / definition field (`where: "--out"`, `where: "[name]"`) — with the given
 *   text; no stack trace; nothing written that was not there (`unchanged` folders compared
 *   byte for byte);
 * - `warned`: exit 0, and stderr carries the warning;
 * - `accepted`: exit 0 — input that looks hostile but is fine (a labelled loop, a hooks file name
 *   with a newline) and must not be refused.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { CAN_SWITCH_USER } from "../helpers";

export type Outcome = "refused" | "warned" | "accepted";
export type Category = "output path" | "hooks" | "connector definition" | "override" | "program" | "cli misuse" | "secrets" | "simulate";

/** Outputs made once for all rows by a real floe process: copied into a row's folder when it needs them. */
export interface SharedOutputs {
  /** A bundle folder `floe render` wrote (with its .floe-bundle marker). */
  readonly bundle: string;
  /** A snapshot folder `floe plan --save` wrote (with its .floe-snapshot marker). */
  readonly snapshot: string;
}

export interface SetupResult {
  /** Extra `{name}` placeholders for the arguments. */
  readonly vars?: Readonly<Record<string, string>>;
  readonly cleanup?: () => Promise<void> | void;
}

export interface CorpusCase {
  readonly name: string;
  readonly category: Category;
  readonly outcome: Outcome;
  readonly files?: Readonly<Record<string, string>>;
  readonly setup?: (dir: string, shared: SharedOutputs) => SetupResult | void | Promise<SetupResult | void>;
  readonly args: readonly string[];
  /** Working directory, relative to the row's folder; default the row's folder. */
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly asNobody?: boolean;
  /** Skipped (with the reason) when this is not undefined. */
  readonly skip?: string;
  readonly expect: {
    /** For refusals: "location" (file:line:col) or the argument / field the message must name. */
    readonly where?: string;
    readonly stderr?: readonly (string | RegExp)[];
    readonly notOutput?: readonly (string | RegExp)[];
    /** Folders (relative to the row's folder) that must be byte-identical before and after. */
    readonly unchanged?: readonly string[];
    /** Paths (relative) that must not exist afterwards. */
    readonly absent?: readonly string[];
    readonly check?: (dir: string, stdout: string, stderr: string) => void;
  };
}

const API = `import { defineResumeHooks, definePauseHooks, ok, error, rollback, type HookContext } from "floe";\n`;
const hooks = (body: string) => API + body;
const validate = (code: string) => hooks(`export default defineResumeHooks({\n  validate(ctx: HookContext) {\n${code}\n  },\n});\n`);
const connector = (fields: string) => `export default { name: "CORPUS_CONNECTOR", ${fields} };\n`;
const OK_HOOKS = validate("    return ok();");

/** An override of RESUME_CONNECTOR_VALIDATE with extra statements after it. */
const override = (extra: string) =>
  [
    "CREATE OR REPLACE PROCEDURE PUBLIC.RESUME_CONNECTOR_VALIDATE()",
    "  RETURNS VARIANT",
    "  LANGUAGE JAVASCRIPT",
    "  EXECUTE AS OWNER",
    "AS",
    "$$",
    'return { response_code: "OK" };',
    "$$;",
    extra,
    "",
  ].join("\n");
const withOverride = connector(`overrides: [{ procedure: "PUBLIC.RESUME_CONNECTOR_VALIDATE", file: "validate.sql" }]`);

/** A listener on a free port, to make `floe sandbox --port` find it taken. */
async function busyPort(): Promise<SetupResult> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { vars: { port: String(port) }, cleanup: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const needsNobody = CAN_SWITCH_USER ? undefined : "needs root to run floe as another user (file permissions do not bind root)";

/** A previous render floe owns, for rows that must keep it intact. */
const RENDERED = "out";

export const CASES: readonly CorpusCase[] = [
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
        const leftovers = fs.readdirSync(dir).filter((f) => f.includes(".floe-"));
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

  // -------------------------------------------------------------------------------- hooks
  {
    name: "dynamic import() behind @ts-ignore",
    category: "hooks",
    outcome: "refused",
    files: { "h.ts": validate(`    // @ts-ignore\n    import("node:fs").then((fs) => fs.writeFileSync("/tmp/floe-pwned", "x"));\n    return ok();`) },
    args: ["render", "--hooks", "{dir}/h.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: ["h.ts:4:5 - error: '@ts-ignore' is not allowed", "h.ts:5:5 - error: dynamic import() is not allowed"], absent: ["out"] },
  },
  {
    name: "@ts-nocheck hiding a path without an answer",
    category: "hooks",
    outcome: "refused",
    files: { "h.ts": "// @ts-nocheck\n" + validate("    if (ctx) return ok();") },
    args: ["render", "--hooks", "{dir}/h.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: ["h.ts:1:1 - error: '@ts-nocheck' is not allowed"], absent: ["out"] },
  },
  {
    name: "@ts-expect-error in a block comment",
    category: "hooks",
    outcome: "refused",
    files: { "h.ts": validate("    /* @ts-expect-error */\n    const n: string = 1;\n    return n === '' ? ok() : ok();") },
    args: ["render", "--hooks", "{dir}/h.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: ["h.ts:4:5 - error: '@ts-expect-error' is not allowed"] },
  },
  {
    name: "import.meta",
    category: "hooks",
    outcome: "refused",
    files: { "h.ts": validate("    // eslint-disable-next-line\n    return String(import.meta) === '' ? ok() : ok();") },
    args: ["render", "--hooks", "{dir}/h.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: ["import.meta is not allowed in a hooks file"] },
  },
  {
    name: "mutable state in a const object (S.n++)",
    category: "hooks",
    outcome: "refused",
    files: { "h.ts": hooks(`const S = { n: 0 };\nexport default defineResumeHooks({\n  validate() {\n    S.n++;\n    return ok();\n  },\n});\n`) },
    args: ["render", "--hooks", "{dir}/h.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: ["h.ts:5:5 - error: hook 'validate' changes 'S', a top-level constant (S.n++)"] },
  },
  {
    name: "mutable state in a const array (A.push)",
    category: "hooks",
    outcome: "refused",
    files: { "h.ts": hooks(`const A: string[] = [];\nfunction remember(x: string): void { A.push(x); }\nexport default defineResumeHooks({\n  validate() {\n    remember("x");\n    return ok();\n  },\n});\n`) },
    args: ["render", "--hooks", "{dir}/h.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: ["h.ts:3:38 - error: hook 'validate' changes 'A', a top-level constant (A.push(x))"] },
  },
  {
    name: "20,000 nested parentheses",
    category: "hooks",
    outcome: "refused",
    files: { "h.ts": hooks(`const X = ${"(".repeat(20_000)}1${")".repeat(20_000)};\nexport default defineResumeHooks({ validate() { return X > 0 ? ok() : ok(); } });\n`) },
    args: ["render", "--hooks", "{dir}/h.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: ["h.ts:2:139 - error: brackets nest more than 128 levels deep here"], notOutput: ["Maximum call stack"] },
  },
  {
    name: "hooks path is a folder",
    category: "hooks",
    outcome: "refused",
    files: { "hooks.ts/inner.ts": OK_HOOKS },
    args: ["render", "--hooks", "{dir}/hooks.ts", "--out", "{dir}/out"],
    expect: { where: "--hooks", stderr: [/--hooks: .*hooks\.ts is a folder; give a file\./] },
  },
  {
    name: "hooks file the user cannot read",
    category: "hooks",
    outcome: "refused",
    asNobody: true,
    skip: needsNobody,
    files: { "h.ts": OK_HOOKS },
    setup: (dir) => fs.chmodSync(path.join(dir, "h.ts"), 0o600),
    args: ["render", "--hooks", "{dir}/h.ts", "--out", "{dir}/out"],
    expect: { where: "--hooks", stderr: [/--hooks: .*h\.ts cannot be read: permission denied \(EACCES\)/] },
  },
  { name: "hooks file missing", category: "hooks", outcome: "refused", args: ["render", "--hooks", "{dir}/nope.ts", "--out", "{dir}/out"], expect: { where: "--hooks", stderr: [/--hooks: .*nope\.ts does not exist\./] } },
  {
    name: "hooks file in JavaScript",
    category: "hooks",
    outcome: "refused",
    files: { "h.js": "module.exports = {};\n" },
    args: ["render", "--hooks", "{dir}/h.js", "--out", "{dir}/out"],
    expect: { where: "hooks file", stderr: ["must be a TypeScript file (.ts)"] },
  },
  {
    name: "process.exit inside a hook",
    category: "hooks",
    outcome: "refused",
    files: { "h.ts": validate("    process.exit(0);\n    return ok();") },
    args: ["render", "--hooks", "{dir}/h.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: ["h.ts:4:5 - error: hook 'validate' uses 'process', a Node.js global"] },
  },
  {
    name: "async hook",
    category: "hooks",
    outcome: "refused",
    files: { "h.ts": hooks(`export default defineResumeHooks({\n  async validate() {\n    return ok();\n  },\n});\n`) },
    args: ["render", "--hooks", "{dir}/h.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: ["uses an async function"] },
  },
  {
    name: "top-level let state",
    category: "hooks",
    outcome: "refused",
    files: { "h.ts": hooks(`let calls = 0;\nexport default defineResumeHooks({\n  validate() {\n    calls = calls + 1;\n    return ok();\n  },\n});\n`) },
    args: ["render", "--hooks", "{dir}/h.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: ["mutable outer state (declared with let)"] },
  },
  {
    name: "import of node:child_process",
    category: "hooks",
    outcome: "refused",
    files: { "h.ts": `import { execSync } from "node:child_process";\n` + validate("    execSync('id');\n    return ok();") },
    args: ["render", "--hooks", "{dir}/h.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: ["h.ts:1:1 - error: hooks may import only the hook API from \"floe\""] },
  },
  {
    name: "$$ in an identifier",
    category: "hooks",
    outcome: "refused",
    files: { "h.ts": hooks(`export const $$mark = 1;\nexport default defineResumeHooks({ validate() { return $$mark > 0 ? ok() : ok(); } });\n`) },
    args: ["render", "--hooks", "{dir}/h.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: ["h.ts:2:14 - error: hook 'validate' contains '$$' in code"] },
  },
  {
    name: "a function named snowflake",
    category: "hooks",
    outcome: "refused",
    files: { "h.ts": hooks(`function snowflake(): number { return 1; }\nexport default defineResumeHooks({ validate() { return snowflake() > 0 ? ok() : ok(); } });\n`) },
    args: ["render", "--hooks", "{dir}/h.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: ["h.ts:2:1 - error: hook 'validate': 'snowflake' (declared in h.ts) has the name of a global"] },
  },
  {
    name: "a hook without an answer on every path",
    category: "hooks",
    outcome: "refused",
    files: { "h.ts": validate("    if (ctx.sql('SELECT 1 AS X').length > 0) return ok();") },
    args: ["render", "--hooks", "{dir}/h.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: ["does not return an answer on every path"] },
  },
  {
    name: "syntax error in a hooks file",
    category: "hooks",
    outcome: "refused",
    files: { "h.ts": validate("    return ok(;") },
    args: ["render", "--hooks", "{dir}/h.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: [/h\.ts:4:\d+ - error: /] },
  },
  {
    name: "a file without hooks",
    category: "hooks",
    outcome: "refused",
    files: { "h.ts": "export const x = 1;\n" },
    args: ["render", "--hooks", "{dir}/h.ts", "--out", "{dir}/out"],
    expect: { where: "hooks file", stderr: [/hooks file .*h\.ts defines no hooks/] },
  },
  {
    name: "a backslash in the hooks file name",
    category: "hooks",
    outcome: "refused",
    files: { "a\\b.ts": OK_HOOKS },
    args: ["render", "--hooks", "{dir}/a\\b.ts", "--out", "{dir}/out"],
    expect: { where: "hooks file", stderr: ["has a backslash in its path"] },
  },
  {
    name: "a labelled loop (accepted, it is plain JavaScript)",
    category: "hooks",
    outcome: "accepted",
    files: { "h.ts": validate("    let found = 0;\n    outer: for (let i = 0; i < 3; i++) {\n      for (let j = 0; j < 3; j++) {\n        if (j === 1) continue outer;\n        if (i === 2) break outer;\n        found++;\n      }\n    }\n    return found > 0 ? ok() : error('NONE', 'none');") },
    args: ["render", "--hooks", "{dir}/h.ts", "--out", "{dir}/out"],
    expect: { check: (dir) => expectContains(dir, "out/setup.sql", "outer: for") },
  },
  {
    name: "a hooks file name with a newline, */, $$ and quotes (escaped in the header)",
    category: "hooks",
    outcome: "accepted",
    files: { "evil\nreturn {response_code: 'PWNED'};\u2028*/ $$ '\".ts": OK_HOOKS },
    args: ["render", "--hooks", "{dir}/evil\nreturn {response_code: 'PWNED'};\u2028*/ $$ '\".ts", "--out", "{dir}/out"],
    expect: {
      check: (dir) => {
        const setup = fs.readFileSync(path.join(dir, "out", "setup.sql"), "utf8");
        const header = setup.split("\n").find((l) => l.includes("Generated by floe render from") && l.includes("evil"));
        if (header === undefined || !header.includes("evil\\nreturn {response_code: 'PWNED'};\\u2028*\\/ $\\$ '\\\".ts (resume validate)")) {
          throw new Error(`the header is not one escaped line: ${JSON.stringify(header)}`);
        }
        if (/^return \{response_code: 'PWNED'\}/m.test(setup)) throw new Error("the file name became code");
      },
    },
  },

  // ------------------------------------------------------------------ connector definitions
  { name: "lower-case connector name", category: "connector definition", outcome: "refused", files: { "c.ts": `export default { name: "orders" };\n` }, args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"], expect: { where: "[name]", stderr: ['[name] "orders" is not upper case', 'Write "ORDERS"'], absent: ["out"] } },
  { name: "300-character name", category: "connector definition", outcome: "refused", files: { "c.ts": `export default { name: "${"N".repeat(300)}" };\n` }, args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"], expect: { where: "[name]", stderr: ["[name] is 300 characters long; Snowflake identifiers have at most 255"] } },
  { name: "a reserved keyword as name", category: "connector definition", outcome: "refused", files: { "c.ts": `export default { name: "SELECT" };\n` }, args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"], expect: { where: "[name]", stderr: ['[name] "SELECT" is a reserved keyword'] } },
  { name: "name with a quote and a semicolon", category: "connector definition", outcome: "refused", files: { "c.ts": `export default { name: "X\\"; DROP DATABASE Y; --" };\n` }, args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"], expect: { where: "[name]", stderr: ["[name] must be an identifier"] } },
  { name: "privilege LAUNCH MISSILES", category: "connector definition", outcome: "refused", files: { "c.ts": connector(`privileges: ["LAUNCH MISSILES"]`) }, args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"], expect: { where: "[privileges]", stderr: ['[privileges] "LAUNCH MISSILES" is not a privilege a Native App manifest can request'] } },
  { name: "lower-case version", category: "connector definition", outcome: "refused", files: { "c.ts": connector(`version: "v1"`) }, args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"], expect: { where: "[version]", stderr: ['[version] "v1" is not upper case'] } },
  { name: "features not booleans", category: "connector definition", outcome: "refused", files: { "c.ts": connector(`features: { pause: "yes" }`) }, args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"], expect: { where: "[features]", stderr: ["[features] pause must be true or false"] } },
  { name: "process.exit(0) while loading", category: "connector definition", outcome: "refused", files: { "c.ts": "process.exit(0);\n" + connector("") }, args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"], expect: { where: "--connector", stderr: ["the connector definition called process.exit(0) while floe loaded it"], absent: ["out"] } },
  {
    name: "process.exit(0) from a timer, during the render",
    category: "connector definition",
    outcome: "refused",
    files: { "c.ts": "setTimeout(() => process.exit(0), 20);\n" + connector("") },
    args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"],
    expect: { where: "c.ts", stderr: [/c\.ts called process\.exit\(0\) while floe was working; floe stopped without finishing/], absent: ["out"] },
  },
  { name: "a definition that throws", category: "connector definition", outcome: "refused", files: { "c.ts": "const cfg: { name?: { value: string } } = {};\nexport default { name: cfg.name!.value };\n" }, args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"], expect: { where: "location", stderr: [/c\.ts:2:\d+ - error: the connector definition threw while floe loaded it: TypeError/] } },
  { name: "a definition with a syntax error", category: "connector definition", outcome: "refused", files: { "c.ts": `export default { name: "X",, };\n` }, args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"], expect: { where: "location", stderr: [/c\.ts:1:\d+ - error: .*the connector definition does not compile/] } },
  { name: "a definition exporting a promise that never settles", category: "connector definition", outcome: "refused", files: { "c.ts": "export default new Promise(() => undefined);\n" }, args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"], expect: { where: "--connector", stderr: ["the default export is a promise"] } },
  { name: "a definition exporting nothing", category: "connector definition", outcome: "refused", files: { "c.ts": "export const x = 1;\n" }, args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"], expect: { where: "--connector", stderr: ["it must export default defineConnector"] } },
  { name: "--connector is a folder", category: "connector definition", outcome: "refused", files: { "c/x.ts": "" }, args: ["render", "--connector", "{dir}/c", "--out", "{dir}/out"], expect: { where: "--connector", stderr: [/--connector: .*c is a folder/] } },
  { name: "--connector missing", category: "connector definition", outcome: "refused", args: ["render", "--connector", "{dir}/nope.ts", "--out", "{dir}/out"], expect: { where: "--connector", stderr: [/--connector: .*nope\.ts does not exist/] } },
  { name: "a definition's hooks entry is a folder", category: "connector definition", outcome: "refused", files: { "c.ts": connector(`hooks: ["hooks"]`), "hooks/x.ts": OK_HOOKS }, args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"], expect: { where: "hooks file", stderr: [/hooks file .*hooks is a folder/] } },

  // ------------------------------------------------------------------------------ overrides
  {
    name: "override granting a hook procedure to VIEWER",
    category: "override",
    outcome: "warned",
    files: { "c.ts": withOverride, "validate.sql": override("GRANT USAGE ON PROCEDURE PUBLIC.RESUME_CONNECTOR_VALIDATE() TO APPLICATION ROLE VIEWER;") },
    args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"],
    expect: { stderr: ["warning: validate.sql:9: grants the internal procedure PUBLIC.RESUME_CONNECTOR_VALIDATE to application role VIEWER"] },
  },
  {
    name: "override dropping a state table",
    category: "override",
    outcome: "refused",
    files: { "c.ts": withOverride, "validate.sql": override("DROP TABLE IF EXISTS STATE.APP_STATE;") },
    args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: ["validate.sql:9:1 - error: this drops TABLE STATE.APP_STATE"], absent: ["out"] },
  },
  {
    name: "override replacing the state schema",
    category: "override",
    outcome: "refused",
    files: { "c.ts": withOverride, "validate.sql": override('CREATE OR REPLACE SCHEMA "STATE";') },
    args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: ["validate.sql:9:1 - error: this replaces SCHEMA STATE"] },
  },
  {
    name: "override truncating a state table",
    category: "override",
    outcome: "warned",
    files: { "c.ts": withOverride, "validate.sql": override("TRUNCATE TABLE state.app_config;") },
    args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"],
    expect: { stderr: ["warning: validate.sql:9: TRUNCATE of STATE.APP_CONFIG empties the connector's state at every upgrade"] },
  },
  {
    name: "override creating another procedure",
    category: "override",
    outcome: "refused",
    files: { "c.ts": withOverride, "validate.sql": override("").replace("RESUME_CONNECTOR_VALIDATE()", "PAUSE_CONNECTOR_VALIDATE()") },
    args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: ["validate.sql:1:1 - error: this file overrides PUBLIC.RESUME_CONNECTOR_VALIDATE, but the procedure it creates is PUBLIC.PAUSE_CONNECTOR_VALIDATE"] },
  },
  {
    name: "override running as the caller",
    category: "override",
    outcome: "refused",
    files: { "c.ts": withOverride, "validate.sql": override("").replace("EXECUTE AS OWNER", "EXECUTE AS CALLER") },
    args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: ["validate.sql:4:3 - error: a setup script may not create a procedure with EXECUTE AS CALLER"], absent: ["out"] },
  },
  {
    name: "override with a USE statement",
    category: "override",
    outcome: "refused",
    files: { "c.ts": withOverride, "validate.sql": "USE SCHEMA STATE;\n" + override("") },
    args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"],
    expect: { where: "location", stderr: ["validate.sql:1:1 - error: a setup script and the files it runs may not contain USE statements"], absent: ["out"] },
  },
  {
    name: "override file missing",
    category: "override",
    outcome: "refused",
    files: { "c.ts": withOverride },
    args: ["render", "--connector", "{dir}/c.ts", "--out", "{dir}/out"],
    expect: { where: "[overrides]", stderr: [/\[overrides\] PUBLIC\.RESUME_CONNECTOR_VALIDATE: file .*validate\.sql does not exist/] },
  },

  // -------------------------------------------------------------------------------- programs
  {
    name: "a Pulumi program that calls process.exit(0)",
    category: "program",
    outcome: "refused",
    files: { "p.ts": "process.exit(0);\n" },
    args: ["plan", "--program", "{dir}/p.ts", "--save", "{dir}/snap"],
    expect: { where: "--program", stderr: [/--program: .*p\.ts called process\.exit\(0\) before it finished registering its resources/], absent: ["snap"] },
  },
  {
    name: "a program that exits later, from a timer",
    category: "program",
    outcome: "refused",
    files: { "p.ts": "setTimeout(() => process.exit(0), 20);\nexport default async () => { await new Promise(() => undefined); };\n" },
    args: ["plan", "--program", "{dir}/p.ts", "--save", "{dir}/snap"],
    expect: { where: "--program", stderr: ["called process.exit(0) before it finished registering its resources"], absent: ["snap"] },
  },
  {
    name: "a program that never settles",
    category: "program",
    outcome: "refused",
    files: { "p.ts": "export default async () => { await new Promise(() => undefined); };\n" },
    args: ["plan", "--program", "{dir}/p.ts", "--program-timeout", "2", "--save", "{dir}/snap"],
    expect: { where: "--program", stderr: ["did not finish registering its resources within 2 s", "something it awaits never settles"], absent: ["snap"] },
  },
  {
    name: "a program whose real error is a rejection nobody awaits (not a bare timeout)",
    category: "program",
    outcome: "refused",
    files: { "p.ts": 'Promise.reject(new Error("the ingest warehouse is missing"));\nexport default async () => { await new Promise(() => undefined); };\n' },
    args: ["plan", "--program", "{dir}/p.ts", "--save", "{dir}/snap"],
    expect: { where: "--program", stderr: ["failed under Pulumi mocks: the ingest warehouse is missing"], notOutput: ["did not finish"] },
  },
  {
    name: "a program that kills itself",
    category: "program",
    outcome: "refused",
    files: { "p.ts": 'process.kill(process.pid, "SIGKILL");\n' },
    args: ["plan", "--program", "{dir}/p.ts", "--save", "{dir}/snap"],
    expect: { where: "--program", stderr: ["was killed by SIGKILL before it finished registering its resources"], absent: ["snap"] },
  },
  {
    name: "a program that throws, in a plan with --fail-on",
    category: "program",
    outcome: "refused",
    setup: (dir, shared) => copyInto(shared.snapshot, dir, "base"),
    files: { "p.ts": 'throw new Error("Missing required configuration variable \'snowflake:account\'");\n' },
    args: ["plan", "--program", "{dir}/p.ts", "--base", "{dir}/base", "--fail-on", "any"],
    expect: { where: "--program", stderr: ["failed under Pulumi mocks: Missing required configuration variable 'snowflake:account'"] },
  },

  // ------------------------------------------------------------------------------ CLI misuse
  { name: "an unknown command", category: "cli misuse", outcome: "refused", args: ["frobnicate"], expect: { where: "frobnicate", stderr: ["unknown command 'frobnicate'"] } },
  { name: "an unknown option", category: "cli misuse", outcome: "refused", args: ["render", "--bogus"], expect: { where: "--bogus", stderr: ["unknown option '--bogus'"] } },
  { name: "--hooks without a value", category: "cli misuse", outcome: "refused", args: ["render", "--hooks"], expect: { where: "--hooks", stderr: ["option '--hooks <file>' argument missing"] } },
  { name: "simulate without an action", category: "cli misuse", outcome: "refused", args: ["simulate"], expect: { where: "action", stderr: ["missing required argument 'action'"] } },
  { name: "simulate restart", category: "cli misuse", outcome: "refused", args: ["simulate", "restart"], expect: { where: "restart", stderr: ['simulate takes resume or pause, not "restart".'] } },
  { name: "simulate --status RUNNING", category: "cli misuse", outcome: "refused", args: ["simulate", "resume", "--status", "RUNNING"], expect: { where: "--status", stderr: ["--status must be one of"] } },
  { name: "simulate --without-privilege not in the manifest", category: "cli misuse", outcome: "refused", args: ["simulate", "pause", "--without-privilege", "CREATE DATABASE"], expect: { where: "--without-privilege", stderr: ['--without-privilege: the manifest does not request "CREATE DATABASE"'] } },
  { name: "sandbox --port 70000", category: "cli misuse", outcome: "refused", args: ["sandbox", "--port", "70000"], expect: { where: "--port", stderr: ["--port must be a port number (0-65535)"] } },
  { name: "sandbox --port abc", category: "cli misuse", outcome: "refused", args: ["sandbox", "--port", "abc"], expect: { where: "--port", stderr: ["--port must be a port number"] } },
  { name: "sandbox --port in use", category: "cli misuse", outcome: "refused", setup: busyPort, args: ["sandbox", "--port", "{port}"], expect: { where: "--port", stderr: [/--port \d+: the port is already in use/] } },
  { name: "plan without --base or --save", category: "cli misuse", outcome: "refused", args: ["plan"], expect: { where: "--base", stderr: ["--base is required"] } },
  { name: "plan --format html", category: "cli misuse", outcome: "refused", args: ["plan", "--base", "x", "--format", "html"], expect: { where: "--format", stderr: ["option '--format <format>' argument 'html' is invalid"] } },
  { name: "plan --base that is neither a snapshot nor a ref", category: "cli misuse", outcome: "refused", files: { "c.ts": connector("") }, args: ["plan", "--connector", "{dir}/c.ts", "--no-program", "--base", "no-such-ref-xyz"], expect: { where: "--base", stderr: ["--base: no-such-ref-xyz is not a directory, and the connector's directory"] } },
  { name: "plan --program-timeout 0", category: "cli misuse", outcome: "refused", args: ["plan", "--save", "{dir}/s", "--program-timeout", "0"], expect: { where: "--program-timeout", stderr: ["--program-timeout must be a number of seconds"], absent: ["s"] } },

  // -------------------------------------------------------------------------------- secrets
  {
    name: "a password with two spaces, a tab and a newline, echoed by the program",
    category: "secrets",
    outcome: "refused",
    files: { "p.ts": 'const pw = JSON.parse(process.env.PULUMI_CONFIG ?? "{}")["snowflake:password"];\nconsole.log(`logging in with ${pw}`);\nthrow new Error(`login refused for password ${pw}`);\n' },
    env: { PULUMI_CONFIG: JSON.stringify({ "snowflake:account": "ORG-ACC", "snowflake:password": "sp  ace\ttab\nline-99" }) },
    args: ["plan", "--program", "{dir}/p.ts", "--save", "{dir}/snap"],
    expect: { where: "--program", stderr: ["login refused for password [redacted]"], notOutput: ["sp  ace", "sp ace", "tab\nline-99", "line-99"] },
  },
  {
    name: "a 3-character secret in the environment, quoted in an error",
    category: "secrets",
    outcome: "refused",
    files: { "p.ts": 'throw new Error(`bad passphrase "${process.env.SNOWFLAKE_PRIVATE_KEY_PASSPHRASE}" for the key`);\n' },
    env: { SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: "q7z" },
    args: ["plan", "--program", "{dir}/p.ts", "--save", "{dir}/snap"],
    expect: { where: "--program", stderr: ['bad passphrase "[redacted]" for the key'], notOutput: ['"q7z"'] },
  },
  {
    name: "a 1-character secret as a word of its own",
    category: "secrets",
    outcome: "refused",
    files: { "p.ts": "throw new Error(`password was ${process.env.SNOWFLAKE_PASSWORD}, try again`);\n" },
    env: { SNOWFLAKE_PASSWORD: "Q" },
    args: ["plan", "--program", "{dir}/p.ts", "--save", "{dir}/snap"],
    expect: { where: "--program", stderr: ["password was [redacted], try again"], notOutput: ["was Q,"] },
  },
  {
    name: "a private key echoed line by line",
    category: "secrets",
    outcome: "refused",
    files: { "p.ts": "const key = process.env.SNOWFLAKE_PRIVATE_KEY ?? '';\nconsole.error(key.split('\\n')[1]);\nthrow new Error('key rejected: ' + key.replace(/\\n/g, ' '));\n" },
    env: { SNOWFLAKE_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQDx5mJ3rSecRet\n-----END PRIVATE KEY-----" },
    args: ["plan", "--program", "{dir}/p.ts", "--save", "{dir}/snap"],
    expect: { where: "--program", stderr: ["key rejected: [redacted]"], notOutput: ["MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "BKcwggSjAgEAAoIBAQDx5mJ3rSecRet"] },
  },

  // ------------------------------------------------------------------------------- simulate
  {
    name: "a hook that loops until the time limit blames the hook",
    category: "simulate",
    outcome: "refused",
    files: { "h.ts": validate("    while (ctx.sql('SELECT 1 AS X').length > 0) {\n      // forever\n    }\n    return ok();") },
    args: ["simulate", "resume", "--hooks", "{dir}/h.ts"],
    expect: { where: "location", stderr: ["h.ts:3:3 - error: hook 'validate' (PUBLIC.RESUME_CONNECTOR_VALIDATE) did not finish within the procedure time limit, so CALL RESUME_CONNECTOR() failed"] },
  },
];

function expectFile(dir: string, rel: string, content: string): void {
  const actual = fs.readFileSync(path.join(dir, rel), "utf8");
  if (actual !== content) throw new Error(`${rel} changed: ${JSON.stringify(actual)}`);
}

function expectContains(dir: string, rel: string, text: string): void {
  const actual = fs.readFileSync(path.join(dir, rel), "utf8");
  if (!actual.includes(text)) throw new Error(`${rel} does not contain ${JSON.stringify(text)}`);
}

function copyInto(from: string, dir: string, name: string): void {
  fs.cpSync(from, path.join(dir, name), { recursive: true });
}
