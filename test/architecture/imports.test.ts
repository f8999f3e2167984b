/**
 * floe's import direction, checked on every TypeScript file git tracks: each file's imports
 * (static, type-only, `export ... from`, `import()`, `require()` and `import("...")` types),
 * read with the TypeScript compiler's parser, must stay inside its own folder or point to a
 * folder its rule allows. The layers, bottom first:
 *
 *   errors  →  lifecycle, sql  →  generators  →  snowflake  →  components, sandbox  →  cli, api
 *
 * A folder imports from itself and the layers before it; folders of one layer do not import
 * each other. lifecycle/ is stricter: it is compiled into the stored procedures, so it imports
 * nothing outside itself. The example and template connectors import floe by its package name
 * only, as a user's code does. Each folder's main module states its rule in its header, and
 * this test keeps that sentence true.
 *
 * test/ holds floe's tests (`npm test`), one folder per part, with their shared helpers in
 * test/helpers/ and their inputs in fixtures/ folders and test/golden/; this file is its header.
 * May import: errors, lifecycle, sql, generators, snowflake, components, sandbox, cli, api, bench, hooks, templates, the root files.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");

/** Product folders, bottom layer first; the folders of one row are one layer. */
const LAYERS: readonly (readonly string[])[] = [["errors"], ["lifecycle", "sql"], ["generators"], ["snowflake"], ["components", "sandbox"], ["cli", "api"]];

/** What each folder may import besides itself, and the module whose header says so. */
interface Rule {
  readonly mayImport: readonly string[];
  readonly main: string | null;
  /** Whether `floe` and `floe/*` package imports are the only way out (user-side code). */
  readonly packageOnly?: boolean;
}

function layered(folder: string): readonly string[] {
  const index = LAYERS.findIndex((layer) => layer.includes(folder));
  return LAYERS.slice(0, index).flat();
}

const PRODUCT = LAYERS.flat();
const RULES: Readonly<Record<string, Rule>> = {
  errors: { mayImport: layered("errors"), main: "errors/index.ts" },
  // Compiled into the stored procedures: nothing from outside may come along.
  lifecycle: { mayImport: [], main: "lifecycle/procedures.ts" },
  sql: { mayImport: layered("sql"), main: "sql/statements.ts" },
  generators: { mayImport: layered("generators"), main: "generators/index.ts" },
  snowflake: { mayImport: layered("snowflake"), main: "snowflake/facade.ts" },
  components: { mayImport: layered("components"), main: "components/index.ts" },
  sandbox: { mayImport: layered("sandbox"), main: "sandbox/index.ts" },
  cli: { mayImport: layered("cli"), main: "cli/floe.ts" },
  // The package's main entry, for hooks files and tests: kept free of Pulumi, the driver and the sandbox.
  api: { mayImport: ["errors", "lifecycle", "sql", "generators"], main: "api/index.ts" },
  // The example connector and the Pulumi program at the root, and the files `floe init` writes.
  hooks: { mayImport: [], main: "hooks/resume.ts", packageOnly: true },
  // The files `floe init` writes into a user's repository: their headers are the user's, so
  // cli/init.ts describes them, and no rule sentence is added to them.
  templates: { mayImport: [], main: null, packageOnly: true },
  "(root)": { mayImport: ["components", "api"], main: "index.ts" },
  // Tools: the tests may import anything; the benchmarks anything but the tests' own files, helpers aside.
  test: { mayImport: [...PRODUCT, "bench", "hooks", "templates", "(root)"], main: "test/architecture/imports.test.ts" },
  bench: { mayImport: [...PRODUCT, "test/helpers", "test/pulumi-engine", "(root)"], main: "bench/run.ts" },
};

/** Package names floe is imported by, and the folder each means (package.json "exports"). */
const PACKAGE_FOLDERS: Readonly<Record<string, string>> = {
  floe: "api",
  "floe/generators": "generators",
  "floe/sandbox": "sandbox",
  "floe/pulumi": "components",
  "floe/providers": "components",
};

export interface ImportEdge {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
}

/** Every module specifier a file names, with its line. */
export function importsOf(file: string, text: string): ImportEdge[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: ImportEdge[] = [];
  const add = (node: ts.Node, literal: ts.Expression | undefined) => {
    if (literal !== undefined && ts.isStringLiteralLike(literal)) {
      out.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, specifier: literal.text });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node, node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node, node.moduleReference.expression);
    else if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require")) add(node, node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** The folder a repository path belongs to: its first segment, or "(root)" for a file at the top. */
function folderOf(relative: string): string {
  const parts = relative.split("/");
  return parts.length === 1 ? "(root)" : parts[0];
}

/** The folder (or, for tools, `folder/sub`) an import lands in; undefined for node: and npm packages. */
export function targetOf(file: string, specifier: string): string | undefined {
  if (specifier.startsWith(".")) {
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    if (resolved.startsWith("../")) return "(outside)";
    // `../errors` names the folder errors/ (its index.ts), not a file at the top.
    const isFolder = !resolved.includes("/") && fs.existsSync(path.join(ROOT, resolved)) && fs.statSync(path.join(ROOT, resolved)).isDirectory();
    const folder = isFolder ? resolved : folderOf(resolved);
    return folder === "test" ? resolved.split("/").slice(0, 2).join("/") : folder;
  }
  return PACKAGE_FOLDERS[specifier];
}

/** Why an import breaks the rules, or undefined when it keeps them. */
export function violation(edge: ImportEdge): string | undefined {
  const from = folderOf(edge.file);
  const rule = RULES[from];
  if (rule === undefined) return `${edge.file} is in a folder with no import rule (add ${from}/ to RULES)`;
  const target = targetOf(edge.file, edge.specifier);
  if (target === undefined) return undefined;
  const packageImport = !edge.specifier.startsWith(".");
  if (rule.packageOnly) return packageImport || target === from ? undefined : `user-side code imports floe by its package name only`;
  const folder = target.split("/")[0];
  if (folder === from) return undefined;
  if (rule.mayImport.includes(target) || rule.mayImport.includes(folder)) return undefined;
  return `${from}/ may import ${rule.mayImport.length === 0 ? "nothing outside itself" : rule.mayImport.join(", ")}; not ${folder}/`;
}

function trackedTypeScript(): string[] {
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "*.ts", "*.mts", "*.cts"], { cwd: ROOT, encoding: "utf8" });
  // Inputs of tests (hooks that are wrong on purpose, generated output) are data, not floe's code.
  return listed
    .split("\0")
    .filter((f) => f !== "" && fs.existsSync(path.join(ROOT, f)))
    .filter((f) => !/^test\/(.*\/)?fixtures\//.test(f) && !f.startsWith("test/golden/"));
}

describe("the import direction", () => {
  const files = trackedTypeScript();

  it("reads the repository's TypeScript files", () => {
    expect(files.length).toBeGreaterThan(200);
    for (const folder of ["errors", "lifecycle", "sql", "generators", "snowflake", "components", "sandbox", "cli", "api"]) {
      expect(files.some((f) => f.startsWith(`${folder}/`)), folder).toBe(true);
    }
  });

  it("every import points down the layers (or stays in its folder)", () => {
    const broken: string[] = [];
    for (const file of files) {
      for (const edge of importsOf(file, fs.readFileSync(path.join(ROOT, file), "utf8"))) {
        const why = violation(edge);
        if (why !== undefined) broken.push(`${edge.file}:${edge.line}: import "${edge.specifier}": ${why}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("each folder's main module states its rule in its header", () => {
    const wrong: string[] = [];
    for (const [folder, rule] of Object.entries(RULES)) {
      if (rule.main === null) continue;
      const text = fs.readFileSync(path.join(ROOT, rule.main), "utf8");
      const header = /^(?:#!.*\n)?\s*\/\*\*([\s\S]*?)\*\//.exec(text)?.[1].replace(/\n\s*\*\s?/g, " ") ?? "";
      const stated = /May import: ([^.]*)\./.exec(header)?.[1];
      const expected = rule.packageOnly ? "floe by its package name only" : rule.mayImport.length === 0 ? "nothing outside itself" : rule.mayImport.map((f) => (f === "(root)" ? "the root files" : f)).join(", ");
      if (stated === undefined) wrong.push(`${rule.main}: no "May import: ...." in its header (${folder}/ may import ${expected})`);
      else if (stated.replace(/\s+/g, " ").trim() !== expected) wrong.push(`${rule.main}: says "May import: ${stated}", the rule is "${expected}"`);
    }
    expect(wrong).toEqual([]);
  });

  it("sees a wrong import: a rule check that cannot fail would prove nothing", () => {
    expect(violation({ file: "sql/lexer.ts", line: 1, specifier: "../generators/model" })).toMatch(/sql\/ may import errors; not generators\//);
    expect(violation({ file: "lifecycle/flow.ts", line: 1, specifier: "../errors" })).toMatch(/nothing outside itself/);
    expect(violation({ file: "components/index.ts", line: 1, specifier: "../sandbox/app" })).toMatch(/not sandbox\//);
    expect(violation({ file: "generators/plan/plan.ts", line: 1, specifier: "floe/sandbox" })).toMatch(/not sandbox\//);
    expect(violation({ file: "hooks/resume.ts", line: 1, specifier: "../api" })).toMatch(/package name only/);
    expect(violation({ file: "bench/run.ts", line: 1, specifier: "../test/e2e/lifecycle.test" })).toMatch(/not test\//);
    expect(violation({ file: "sandbox/app.ts", line: 1, specifier: "../snowflake/deploy" })).toBeUndefined();
    expect(importsOf("x.ts", 'import type { A } from "./a";\nexport * from "./b";\nconst c = require("./c");\ntype D = import("./d").D;\nvoid import("./e");').map((e) => `${e.line} ${e.specifier}`)).toEqual([
      "1 ./a",
      "2 ./b",
      "3 ./c",
      "4 ./d",
      "5 ./e",
    ]);
  });
});
