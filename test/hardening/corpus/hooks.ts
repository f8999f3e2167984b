/** Corpus rows: hostile hooks files. */
import * as fs from "node:fs";
import * as path from "node:path";
import { hooks, validate, OK_HOOKS, needsNobody, expectContains, type CorpusCase } from "./kit";

export const HOOKS_CASES: readonly CorpusCase[] = [
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

];
