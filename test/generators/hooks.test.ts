import { describe, expect, it } from "vitest";
import { readHooksFile, readHooksFiles } from "../../generators/hooks";
import { FloeError, SourceError } from "../../errors";
import { tempDir, writeFile } from "../helpers/tmp";

const dir = tempDir("floe-hooks-");
const hooksFile = (source: string) => writeFile(dir, "hooks-{n}.ts", source);

/** Expects the file to be refused with a diagnostic at line:column whose message matches. */
function expectRefusal(source: string, line: number, column: number, message: RegExp | string, sourceLine?: string) {
  const file = hooksFile(source);
  let error: unknown;
  try {
    readHooksFile(file);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SourceError);
  const diagnostics = (error as SourceError).diagnostics;
  const match = diagnostics.find((d) => d.line === line && d.column === column && (typeof message === "string" ? d.message.includes(message) : message.test(d.message)));
  expect(match, `no diagnostic at ${line}:${column} matching ${message}; got:\n${(error as Error).message}`).toBeDefined();
  expect(match!.file).toBe(file);
  if (sourceLine !== undefined) expect(match!.sourceLine).toBe(sourceLine);
  // The formatted message names file:line:col and shows the line with a caret.
  expect((error as Error).message).toContain(`:${line}:${column} - error: `);
  return diagnostics;
}

const HEADER = 'import { defineResumeHooks, definePauseHooks, ok, error, rollback, type HookContext } from "floe";\n';

describe("reading hooks files", () => {
  it("compiles resume and pause hooks from default and named exports", () => {
    const file = hooksFile(
      HEADER +
        `const LIMIT = 3;
function check(ctx: HookContext) {
  const rows = ctx.sql<{ N: number }>("SELECT COUNT(*) AS N FROM STATE.APP_CONFIG");
  return rows[0].N >= LIMIT ? ok() : error("TOO_FEW", "need " + LIMIT);
}
export default defineResumeHooks({ validate: check, internal: (ctx) => rollback("no " + ctx.sql("SELECT 1").length) });
export const pause = definePauseHooks({ validate(ctx) { return check(ctx); } });
`,
    );
    const hooks = readHooksFile(file);
    expect(hooks.map((h) => [h.procedure, h.line])).toEqual([
      ["PUBLIC.RESUME_CONNECTOR_VALIDATE", 7],
      ["PUBLIC.RESUME_CONNECTOR_INTERNAL", 7],
      ["PUBLIC.PAUSE_CONNECTOR_VALIDATE", 8],
    ]);
    const validate = hooks[0].body;
    // The bundler declares module-level constants with `var` (one scope for every module).
    expect(validate).toMatch(/\b(const|var) LIMIT = 3;/);
    expect(validate).toContain("function check(ctx)");
    expect(validate).toContain('return runHook(snowflake, __floe_hooks, "validate");');
    // Only what the hook uses is compiled in.
    expect(validate).not.toContain("function rollback");
    expect(hooks[1].body).toContain("function rollback");
    expect(hooks[1].body).not.toContain("function check");
  });

  it("refuses type errors", () => {
    expectRefusal(HEADER + `export default defineResumeHooks({\n  validate(ctx) {\n    const n: number = "three";\n    return ok();\n  },\n});\n`, 4, 11, "Type 'string' is not assignable to type 'number'.", '    const n: number = "three";');
  });

  it("refuses imports other than the hook API", () => {
    expectRefusal(HEADER + `import * as fs from "node:fs";\nexport default defineResumeHooks({ validate() { return ok(fs.readFileSync("x", "utf8")); } });\n`, 2, 1, `hooks may import only the hook API from "floe", not 'node:fs'`);
    expectRefusal(`import { ok, defineConnector } from "floe";\nexport default defineConnector({ name: "X" });\n`, 1, 14, "'defineConnector' is not part of the hook API");
  });

  it("refuses async functions, await and promises", () => {
    expectRefusal(HEADER + `export default defineResumeHooks({\n  async validate(ctx) {\n    return ok();\n  },\n});\n`, 3, 3, "uses an async function");
    expectRefusal(HEADER + `export default defineResumeHooks({\n  validate(ctx) {\n    Promise.resolve(1).then(() => ctx.sql("SELECT 1"));\n    return ok();\n  },\n});\n`, 4, 5, "uses 'Promise'; promises and timers never run");
  });

  it("refuses timers", () => {
    expectRefusal(HEADER + `export default defineResumeHooks({\n  internal(ctx) {\n    setTimeout(() => ctx.sql("SELECT 1"), 10);\n    return ok();\n  },\n});\n`, 4, 5, "uses 'setTimeout'");
  });

  it.each([
    ["process", 'process.env.HOME ?? ""'],
    ["require", 'require("fs")'],
    ["Buffer", 'Buffer.from("x").toString()'],
    ["console", 'console.log("x")'],
  ])("refuses the Node global %s", (name, expression) => {
    expectRefusal(HEADER + `export default defineResumeHooks({\n  validate() {\n    const x = ${expression};\n    return ok(String(x));\n  },\n});\n`, 4, 15, `uses '${name}', a Node.js global`);
  });

  it("refuses references to mutable outer state", () => {
    expectRefusal(HEADER + `let calls = 0;\nexport default defineResumeHooks({\n  validate() {\n    calls++;\n    return ok();\n  },\n});\n`, 5, 5, "reads 'calls', mutable outer state (declared with let)");
    expectRefusal(HEADER + `var seen = "";\nfunction remember(x: string) { seen = x; }\nexport default defineResumeHooks({\n  validate() {\n    remember("a");\n    return ok();\n  },\n});\n`, 3, 32, "reads 'seen', mutable outer state (declared with var)");
  });

  it("refuses a hook that does not return an answer on every path", () => {
    expectRefusal(
      HEADER + `export default defineResumeHooks({\n  validate(ctx) {\n    if (ctx.sql("SELECT 1").length > 0) {\n      return ok();\n    }\n  },\n});\n`,
      3,
      3,
      "hook 'validate' does not return an answer on every path",
    );
  });

  it("refuses '$$' where no escape exists", () => {
    const file = hooksFile(HEADER + `const $$total = 1;\nexport default defineResumeHooks({ validate() { return ok(String($$total)); } });\n`);
    expect(() => readHooksFile(file)).toThrow(/contains '\$\$' in code \("\$\$total/);
  });

  it("refuses a top-level name that would hide the snowflake object inside the procedure", () => {
    const file = hooksFile(HEADER + `const snowflake = "mine";\nexport default defineResumeHooks({ validate() { return ok(snowflake); } });\n`);
    expect(() => readHooksFile(file)).toThrow(/'snowflake' \(declared in .*\) has the name of a global Snowflake gives the procedure/);
  });

  it("refuses hooks that are not exported, not an object literal, unknown or defined twice", () => {
    expectRefusal(HEADER + `const hooks = defineResumeHooks({ validate() { return ok(); } });\n`, 2, 7, "these hooks are not exported");
    expectRefusal(HEADER + `const impl = { validate() { return ok(); } };\nexport default defineResumeHooks(impl);\n`, 3, 16, "as an object literal");
    expectRefusal(HEADER + `export default defineResumeHooks({ validte() { return ok(); } } as never);\n`, 2, 16, "as an object literal");
    expectRefusal(HEADER + `export const a = definePauseHooks({ validate() { return ok(); } });\nexport const b = definePauseHooks({ internal() { return ok(); } });\n`, 3, 18, "pause hooks are defined twice in this file (first at line 2)");
    expectRefusal(HEADER + `export default defineResumeHooks({\n  validate() { return ok(); },\n  check() { return ok(); },\n});\n`, 4, 3, "unknown resume hook 'check'; the resume hooks are 'validate' and 'internal'.");
  });

  it("refuses 'this' and names from enclosing functions", () => {
    expectRefusal(HEADER + `export default defineResumeHooks({\n  validate() {\n    return (this as unknown as { x: () => ReturnType<typeof ok> }).x();\n  },\n});\n`, 4, 13, "uses 'this'");
  });

  it("reports a missing or empty hooks file", () => {
    expect(() => readHooksFile(`${dir}/nope.ts`)).toThrow(FloeError);
    expect(() => readHooksFile(`${dir}/nope.ts`)).toThrow(/hooks file .*nope\.ts does not exist/);
    const empty = hooksFile(`export const x = 1;\n`);
    expect(() => readHooksFile(empty)).toThrow(/defines no hooks/);
  });

  it("refuses the same hook in two files, naming both", () => {
    const a = hooksFile(HEADER + `export default defineResumeHooks({ validate() { return ok(); } });\n`);
    const b = hooksFile(HEADER + `export default defineResumeHooks({ validate() { return ok("b"); } });\n`);
    expect(() => readHooksFiles([a, b])).toThrow(new RegExp(`PUBLIC.RESUME_CONNECTOR_VALIDATE is defined by two hooks files: .*${a.split("/").pop()}:2 and .*${b.split("/").pop()}:2`));
  });
});
