/**
 * The hostile-input corpus (corpus/cases.ts), each row a real `floe` process in a folder of its
 * own: the exit code, the message and where it points, no stack trace, and nothing written or
 * removed that should not be. The last test prints the corpus counted by outcome and category.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CASES, type CorpusCase, type SharedOutputs } from "./corpus/cases";
import { makeTempDir, readTree, runFloe, STACK_LINE, writeFiles } from "./helpers";

const work = makeTempDir("floe-corpus-", true);
const DEFAULT_CONNECTOR = `export default { name: "CORPUS_CONNECTOR" };\n`;
let shared: SharedOutputs;
const results = new Map<string, "passed" | "skipped">();

beforeAll(async () => {
  // One render and one snapshot, by real floe processes, copied into the rows that need them.
  const bundle = path.join(work, "shared-bundle");
  const snapshot = path.join(work, "shared-snapshot");
  const [rendered, saved] = await Promise.all([runFloe(["render", "--out", bundle]), runFloe(["plan", "--no-program", "--save", snapshot])]);
  expect(rendered.code, rendered.stderr).toBe(0);
  expect(saved.code, saved.stderr).toBe(0);
  shared = { bundle, snapshot };
}, 180_000);

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

function fill(arg: string, dir: string, vars: Readonly<Record<string, string>>): string {
  return arg.replace(/\{(\w+)\}/g, (whole, name: string) => (name === "dir" ? dir : (vars[name] ?? whole)));
}

function matches(text: string, pattern: string | RegExp): boolean {
  return typeof pattern === "string" ? text.includes(pattern) : pattern.test(text);
}

async function runCase(c: CorpusCase, index: number): Promise<void> {
  const dir = path.join(work, `case-${String(index).padStart(3, "0")}`);
  fs.mkdirSync(dir, { mode: 0o755 });
  fs.chmodSync(dir, 0o755);
  writeFiles(dir, c.files ?? {});
  // floe works on ./connector.ts unless told otherwise: a row that gives no connector gets a plain one.
  const cwd = path.join(dir, c.cwd ?? ".");
  fs.mkdirSync(cwd, { recursive: true });
  if (!fs.existsSync(path.join(cwd, "connector.ts"))) fs.writeFileSync(path.join(cwd, "connector.ts"), DEFAULT_CONNECTOR);
  const prepared = (await c.setup?.(dir, shared)) ?? {};
  const vars = prepared.vars ?? {};
  try {
    const before = new Map((c.expect.unchanged ?? []).map((rel) => [rel, readTree(path.join(dir, rel))]));
    const result = await runFloe(
      c.args.map((a) => fill(a, dir, vars)),
      { cwd, ...(c.env === undefined ? {} : { env: c.env }), ...(c.asNobody === true ? { asNobody: true } : {}) },
    );
    const output = result.stdout + result.stderr;
    const context = `floe ${c.args.join(" ")}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
    expect(result.signal, context).toBeNull();
    expect(result.code, context).toBe(c.outcome === "refused" ? 1 : 0);
    // Whatever the outcome: never a stack trace, never an internal error.
    expect(output, context).not.toMatch(STACK_LINE);
    expect(output, context).not.toContain("internal error");
    if (c.outcome === "refused") {
      if (c.expect.where === "location") expect(result.stderr, context).toMatch(/:\d+:\d+ - error: /);
      else if (c.expect.where !== undefined) expect(result.stderr, context).toContain(c.expect.where);
      expect(result.stdout, context).toBe("");
    }
    if (c.outcome === "warned") expect(result.stderr, context).toContain("warning: ");
    for (const pattern of c.expect.stderr ?? []) expect(matches(result.stderr, pattern), `stderr lacks ${String(pattern)}\n${context}`).toBe(true);
    for (const pattern of c.expect.notOutput ?? []) expect(matches(output, pattern), `output has ${String(pattern)}\n${context}`).toBe(false);
    for (const [rel, tree] of before) expect(readTree(path.join(dir, rel)), `${rel} changed\n${context}`).toEqual(tree);
    for (const rel of c.expect.absent ?? []) expect(fs.existsSync(path.join(dir, rel)), `${rel} exists\n${context}`).toBe(false);
    c.expect.check?.(dir, result.stdout, result.stderr);
  } finally {
    await prepared.cleanup?.();
  }
}

describe("the hostile-input corpus", { timeout: 240_000 }, () => {
  it("has at least 60 rows with unique names", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  describe.concurrent.each(CASES.map((c, i) => [c.category, c.name, c, i] as const))("%s", (_category, name, c, index) => {
    it.skipIf(c.skip !== undefined)(`${c.outcome}: ${name}${c.skip === undefined ? "" : ` (skipped: ${c.skip})`}`, async () => {
      await runCase(c, index);
      results.set(name, "passed");
    });
  });

  it("counts the corpus by outcome", () => {
    const count = (pick: (c: CorpusCase) => string) => {
      const totals = new Map<string, number>();
      for (const c of CASES) totals.set(pick(c), (totals.get(pick(c)) ?? 0) + 1);
      return [...totals].map(([k, n]) => `${k} ${n}`).join(", ");
    };
    const skipped = CASES.filter((c) => c.skip !== undefined).length;
    process.stdout.write(
      `hostile-input corpus: ${CASES.length} rows — by outcome: ${count((c) => c.outcome)}; by category: ${count((c) => c.category)}` +
        `; refusals located at file:line:col: ${CASES.filter((c) => c.expect.where === "location").length}; skipped here: ${skipped}\n`,
    );
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });
});
