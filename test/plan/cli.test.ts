/**
 * `floe plan` through its command entry `planCommand`: snapshots saved and planned against,
 * --fail-on exit codes, formats and colour, and arguments refused with a message naming them
 * before any output file is written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { planCommand, type PlanOptions } from "../../cli/plan";
import { FloeError } from "../../errors";
import { loadSqlParser } from "../../generators/sql-check";
import { SNAPSHOT_FILE } from "../../generators/plan/snapshot";
import { tempDir } from "../helpers/tmp";
import { captureIo, FIXTURES, ROOT } from "./helpers";

const BASE_CONNECTOR = path.join(FIXTURES, "base", "connector.ts");
const PRIVILEGE_CONNECTOR = path.join(FIXTURES, "new-privilege", "connector.ts");
const OVERRIDE_CONNECTOR = path.join(FIXTURES, "override-added", "connector.ts");
const BODY_CHANGE_HOOKS = path.join(FIXTURES, "body-change", "hooks.ts");
const PROGRAMS = path.join(FIXTURES, "programs");

let work: string;
let baseDir: string;

async function plan(options: PlanOptions, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo(env);
  const code = await planCommand(options, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

beforeAll(async () => {
  await loadSqlParser();
  work = tempDir("floe-plan-cli-");
  baseDir = path.join(work, "base");
  const saved = await plan({ connector: BASE_CONNECTOR, save: baseDir });
  expect(saved.code).toBe(0);
  expect(saved.stdout).toBe("");
  expect(saved.stderr).toContain("snapshot of PLAN_FIXTURE written to");
});

describe("floe plan --save / --base DIR", () => {
  it("writes a canonical snapshot: sorted keys, the same bytes when saved again", async () => {
    const first = fs.readFileSync(path.join(baseDir, SNAPSHOT_FILE), "utf8");
    const data = JSON.parse(first);
    expect(data.schemaVersion).toBe(1);
    expect(Object.keys(data)).toEqual([...Object.keys(data)].sort());
    expect(data.connector.name).toBe("PLAN_FIXTURE");
    // No index.ts beside the fixture connector: a program with no resources, not "not evaluated".
    expect(data.program).toEqual({ file: null, resources: [] });
    expect(first).not.toContain(FIXTURES);
    const again = path.join(work, "again");
    await plan({ connector: BASE_CONNECTOR, save: again });
    expect(fs.readFileSync(path.join(again, SNAPSHOT_FILE), "utf8")).toBe(first);
  });

  it("plans against a snapshot directory and reports No changes for the same state", async () => {
    const result = await plan({ connector: BASE_CONNECTOR, base: baseDir, format: "markdown", failOn: "any" });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("**No changes.**");
    expect(result.stdout).toContain(`the snapshot in \`${baseDir}\``);
  });

  it("writes the report to --out and nothing to stdout; --save alongside writes the head snapshot", async () => {
    const out = path.join(work, "plan.json");
    const headDir = path.join(work, "head");
    const result = await plan({ connector: BASE_CONNECTOR, hooks: [BODY_CHANGE_HOOKS], base: baseDir, format: "json", out, save: headDir });
    expect(result.stdout).toBe("");
    const json = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(json.schemaVersion).toBe(1);
    expect(json.base).toEqual({ kind: "snapshot", ref: baseDir });
    expect(json.procedures.changed.map((c: { name: string }) => c.name)).toContain("PUBLIC.RESUME_CONNECTOR_VALIDATE");
    expect(fs.existsSync(path.join(headDir, SNAPSHOT_FILE))).toBe(true);
    expect(fs.readdirSync(work).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe("the example connector and its program", () => {
  const exampleProgram = path.join(ROOT, "index.ts");
  const exists = fs.existsSync(exampleProgram);
  it.skipIf(!exists)(`evaluates index.ts beside the connector by default${exists ? "" : " (skipped: index.ts does not exist yet)"}`, async () => {
    const dir = path.join(work, "example");
    const saved = await plan({ connector: path.join(ROOT, "connector.ts"), save: dir });
    expect(saved.stderr).toContain("under Pulumi mocks");
    const snapshot = JSON.parse(fs.readFileSync(path.join(dir, SNAPSHOT_FILE), "utf8"));
    expect(snapshot.program.file).toBe("index.ts");
    expect(snapshot.program.resources.length).toBeGreaterThan(0);
    const text = JSON.stringify(snapshot.program);
    expect(text).not.toContain("__provider");
    // Bundle files the program uploads are references, not a second copy of the bundle.
    expect(text).not.toContain("CREATE OR REPLACE PROCEDURE");
    // Planned against itself (a second evaluation of the program): no changes.
    expect((await plan({ connector: path.join(ROOT, "connector.ts"), base: dir, failOn: "any" })).code).toBe(0);
  });
});

describe("--fail-on exit codes", () => {
  it("a body change trips only 'any'", async () => {
    const options = { connector: BASE_CONNECTOR, hooks: [BODY_CHANGE_HOOKS], base: baseDir, format: "json" };
    expect((await plan({ ...options, failOn: "privileges" })).code).toBe(0);
    expect((await plan({ ...options, failOn: "grants" })).code).toBe(0);
    const any = await plan({ ...options, failOn: "any" });
    expect(any.code).toBe(2);
    expect(any.stderr).toContain("--fail-on any: the plan has changes");
    expect((await plan(options)).code).toBe(0);
  });

  it("a new grant trips 'grants' but not 'privileges'", async () => {
    const options = { connector: OVERRIDE_CONNECTOR, base: baseDir, format: "json" };
    expect((await plan({ ...options, failOn: "privileges" })).code).toBe(0);
    expect((await plan({ ...options, failOn: "grants" })).code).toBe(2);
  });

  it("a newly requested privilege trips 'privileges'", async () => {
    const result = await plan({ connector: PRIVILEGE_CONNECTOR, base: baseDir, format: "markdown", failOn: "privileges" });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("`CREATE DATABASE`");
    expect(result.stderr).toContain("--fail-on privileges: the app newly gets a privilege");
  });

  it("a privilege newly granted to the application by the program trips 'privileges'", async () => {
    const before = path.join(work, "with-program");
    await plan({ connector: BASE_CONNECTOR, program: path.join(PROGRAMS, "grants-v1.ts"), save: before });
    const result = await plan({ connector: BASE_CONNECTOR, program: path.join(PROGRAMS, "grants-v2.ts"), base: before, format: "json", failOn: "privileges" });
    expect(result.code).toBe(2);
    const json = JSON.parse(result.stdout);
    expect(json.grants.added.map((g: { target: string; privilege: string }) => `${g.target} ${g.privilege}`)).toEqual(["account-role OPERATE", "application CREATE DATABASE"]);
  });
});

describe("formats", () => {
  const options = { connector: BASE_CONNECTOR, hooks: [BODY_CHANGE_HOOKS] };

  it("terminal: plain when not a TTY, coloured with FORCE_COLOR, plain again with NO_COLOR", async () => {
    const plain = await plan({ ...options, base: baseDir });
    expect(plain.stdout).toContain("floe plan  PLAN_FIXTURE V1");
    expect(plain.stdout).toContain("~ PUBLIC.RESUME_CONNECTOR_VALIDATE()");
    expect(plain.stdout).not.toContain("\x1b[");
    expect((await plan({ ...options, base: baseDir }, { FORCE_COLOR: "1" })).stdout).toContain("\x1b[");
    expect((await plan({ ...options, base: baseDir }, { FORCE_COLOR: "1", NO_COLOR: "1" })).stdout).not.toContain("\x1b[");
  });

  it("terminal on a TTY is coloured unless NO_COLOR; --out is never coloured", async () => {
    const io = captureIo({}, true);
    await planCommand({ ...options, base: baseDir }, io);
    expect(io.stdout.text).toContain("\x1b[");
    const quiet = captureIo({ NO_COLOR: "1" }, true);
    await planCommand({ ...options, base: baseDir }, quiet);
    expect(quiet.stdout.text).not.toContain("\x1b[");
    const out = path.join(work, "plan.txt");
    await planCommand({ ...options, base: baseDir, out }, captureIo({ FORCE_COLOR: "1" }, true));
    expect(fs.readFileSync(out, "utf8")).not.toContain("\x1b[");
  });
});

/** A snapshot written by a future floe. */
function futureSnapshot(): string {
  const dir = path.join(work, "future");
  fs.mkdirSync(dir, { recursive: true });
  const data = JSON.parse(fs.readFileSync(path.join(baseDir, SNAPSHOT_FILE), "utf8"));
  fs.writeFileSync(path.join(dir, SNAPSHOT_FILE), JSON.stringify({ ...data, schemaVersion: 99 }));
  return dir;
}

describe("bad arguments exit 1 naming the argument, and write nothing", () => {
  // Each case also asks for --out and --save (unless it is about them), to show neither is written.
  const cases: [string, () => PlanOptions, RegExp][] = [
    ["--format", () => ({ base: baseDir, format: "html" }), /--format must be one of terminal, markdown, json/],
    ["--fail-on", () => ({ base: baseDir, failOn: "everything" }), /--fail-on must be one of privileges, grants, any/],
    ["--base missing", () => ({ save: undefined, out: undefined }), /--base is required/],
    ["--base neither", () => ({ connector: BASE_CONNECTOR, base: "no-such-ref-or-dir-xyz" }), /--base: no-such-ref-or-dir-xyz is neither a snapshot directory nor a commit/],
    ["--base empty dir", () => ({ connector: BASE_CONNECTOR, base: work }), /--base: .* holds no snapshot\.json/],
    ["--base other schemaVersion", () => ({ connector: BASE_CONNECTOR, base: futureSnapshot() }), /--base: .*snapshot\.json has schemaVersion 99; this floe reads schemaVersion 1/],
    ["--program", () => ({ base: baseDir, program: "nope/index.ts" }), /--program: nope\/index\.ts does not exist/],
    ["--program throws", () => ({ connector: BASE_CONNECTOR, base: baseDir, program: path.join(PROGRAMS, "throws.ts") }), /--program: .*throws\.ts failed under Pulumi mocks: Missing required configuration/],
    ["--hooks", () => ({ base: baseDir, hooks: ["nope.ts"] }), /--hooks: nope\.ts does not exist/],
    ["--connector", () => ({ base: baseDir, connector: "nope/connector.ts" }), /--connector: nope\/connector\.ts does not exist/],
    ["--out directory", () => ({ base: baseDir, out: "no/such/dir/plan.md" }), /--out: directory no\/such\/dir does not exist/],
    ["--fail-on without --base", () => ({ out: undefined, failOn: "any" }), /--fail-on needs --base/],
  ];
  for (const [name, options, message] of cases) {
    it(name, async () => {
      const slug = name.replace(/\W+/g, "-");
      const out = path.join(work, `out${slug}.md`);
      const save = path.join(work, `save${slug}`);
      const io = captureIo();
      const attempt = planCommand({ out, save, ...options() }, io);
      await expect(attempt).rejects.toThrow(FloeError);
      await expect(attempt).rejects.toThrow(message);
      expect(fs.existsSync(out)).toBe(false);
      expect(fs.existsSync(save)).toBe(false);
      expect(io.stdout.text).toBe("");
    });
  }
});
