/**
 * Golden Markdown and JSON plans for before/after states of a fixture connector, plus the
 * properties the goldens alone cannot show: determinism, the comment size limit, and that the
 * Markdown stays well-formed when cut.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ConnectorDefinition } from "../../generators/definition";
import { renderConnector } from "../../generators/pipeline";
import { loadSqlParser } from "../../generators/sql-check";
import { renderJson } from "../../generators/plan/json-format";
import { GITHUB_COMMENT_LIMIT, MARKDOWN_MARKER, renderMarkdown } from "../../generators/plan/markdown";
import { computePlan, failsOn, type Plan, type PlanBase } from "../../generators/plan/plan";
import { evaluateProgram, type ProgramSnapshot } from "../../generators/plan/program";
import { buildSnapshot, serializeSnapshot, type Snapshot } from "../../generators/plan/snapshot";
import { renderTerminal } from "../../generators/plan/terminal";
import * as states from "../fixtures/plan/states";
import { expectGolden, FIXTURES, ROOT } from "./helpers";
import { tempDir } from "../helpers/tmp";

const FROM: PlanBase = { kind: "git", ref: "origin/main", commit: "0123456789abcdef0123456789abcdef01234567" };

const rendered = new Map<string, Awaited<ReturnType<typeof renderConnector>>>();
async function snapshot(name: string, definition: ConnectorDefinition, program: ProgramSnapshot | null = null): Promise<Snapshot> {
  let app = rendered.get(name);
  if (app === undefined) {
    app = await renderConnector(definition);
    rendered.set(name, app);
  }
  return buildSnapshot(app, program);
}

/** sql-templates with the VIEWER grant on schema PUBLIC removed from core.sql. */
function templatesWithoutViewerGrant(): string {
  const dir = path.join(tempDir("floe-plan-templates-"), "sql-templates");
  fs.cpSync(path.join(ROOT, "sql-templates"), dir, { recursive: true });
  const core = path.join(dir, "core.sql");
  const text = fs.readFileSync(core, "utf8");
  const without = text.replace("GRANT USAGE ON SCHEMA PUBLIC TO APPLICATION ROLE VIEWER;\n", "");
  if (without === text) throw new Error("core.sql no longer holds the VIEWER grant this fixture removes; pick another grant");
  fs.writeFileSync(core, without);
  return dir;
}

let base: Snapshot;
beforeAll(async () => {
  await loadSqlParser();
  base = await snapshot("base", states.base);
});

async function planTo(name: string, definition: ConnectorDefinition): Promise<Plan> {
  return computePlan(base, await snapshot(name, definition), FROM);
}

function expectPlanGoldens(name: string, plan: Plan): void {
  expectGolden(`${name}.md`, renderMarkdown(plan));
  expectGolden(`${name}.json`, renderJson(plan));
}

describe("plan goldens", () => {
  it("hook body change: a line diff of the body; the hooks below it only moved, which changes nothing", async () => {
    const plan = await planTo("body-change", states.bodyChange);
    expect(plan.procedures.changed.map((c) => c.name)).toEqual(["PUBLIC.RESUME_CONNECTOR_VALIDATE"]);
    const validate = plan.procedures.changed.find((c) => c.name === "PUBLIC.RESUME_CONNECTOR_VALIDATE")!;
    expect(validate.changes).toEqual(["body"]);
    expect(validate.diff?.unified).toContain(`+    if (tasks[0].N === 0)`);
    expect(plan.grants.added).toEqual([]);
    // setup.sql holds the hook procedures: its bytes change (a new upload, a new patch), its
    // statements outside the bodies do not.
    expect(plan.files.changed.map((f) => [f.path, f.diff.added, f.diff.removed])).toEqual([["setup.sql", 0, 0]]);
    expectPlanGoldens("hook-body-change", plan);
  });

  it("new hook: a default hook becomes the user's", async () => {
    const plan = await planTo("new-hook", states.newHook);
    const validate = plan.procedures.changed.find((c) => c.name === "PUBLIC.PAUSE_CONNECTOR_VALIDATE")!;
    expect(validate.before.origin).toBe("default hook");
    expect(validate.after.origin).toMatch(/^hook hooks\.ts:\d+$/);
    expect(validate.after.grants).toEqual([]);
    expectPlanGoldens("new-hook", plan);
  });

  it("removed hook: the procedure falls back to the default body", async () => {
    const plan = await planTo("removed-hook", states.removedHook);
    const internal = plan.procedures.changed.find((c) => c.name === "PUBLIC.PAUSE_CONNECTOR_INTERNAL")!;
    expect(internal.after.origin).toBe("default hook");
    expect(internal.changes).toContain("file");
    expectPlanGoldens("removed-hook", plan);
  });

  it("new privilege under manifest v2: flagged as granted automatically and irrevocable", async () => {
    const plan = await planTo("new-privilege", states.newPrivilege);
    expect(plan.privileges.added).toEqual([expect.objectContaining({ name: "CREATE DATABASE", autoGranted: true })]);
    expect(plan.privileges.nowAutoGranted.map((p) => p.name)).toEqual(["EXECUTE TASK"]);
    expect(renderMarkdown(plan)).toContain("a consumer cannot revoke it");
    expect(failsOn(plan, "privileges")).toBe(true);
    expectPlanGoldens("new-privilege", plan);
  });

  it("removed grant: a template change shows as a removed grant and a file diff", async () => {
    const plan = await planTo("removed-grant", states.withTemplates(templatesWithoutViewerGrant()));
    expect(plan.grants.removed).toEqual([{ target: "application-role", privilege: "USAGE", on: "SCHEMA PUBLIC", to: "APPLICATION ROLE VIEWER", source: "core.sql" }]);
    expect(plan.grants.added).toEqual([]);
    expect(plan.files.changed.map((f) => f.path)).toEqual(["core.sql"]);
    expect(plan.files.changed[0].diff.unified).toContain("-GRANT USAGE ON SCHEMA PUBLIC TO APPLICATION ROLE VIEWER;");
    expect(failsOn(plan, "privileges")).toBe(false);
    expect(failsOn(plan, "grants")).toBe(true);
    expectPlanGoldens("removed-grant", plan);
  });

  it("override added: the SQL body replaces the hook, and its extra grant is flagged", async () => {
    const plan = await planTo("override-added", states.overrideAdded);
    const validate = plan.procedures.changed.find((c) => c.name === "PUBLIC.RESUME_CONNECTOR_VALIDATE")!;
    expect(validate.changes).toEqual(["language", "body", "grants", "origin", "file"]);
    expect(validate.after.grants).toEqual(["APPLICATION ROLE VIEWER"]);
    expect(plan.grants.added).toEqual([expect.objectContaining({ on: "PROCEDURE PUBLIC.RESUME_CONNECTOR_VALIDATE()", to: "APPLICATION ROLE VIEWER" })]);
    expect(plan.files.added.map((f) => f.path)).toEqual(["overrides/resume_connector_validate.sql"]);
    expect(plan.warnings.map((w) => [w.code, w.new])).toEqual([
      ["procedure-over-granted", true],
      ["override-replaces-hook", true],
    ]);
    expectPlanGoldens("override-added", plan);
  });

  it("a recommended lifecycle file left out: procedures, file and grants removed, and a warning", async () => {
    const plan = await planTo("pause-dropped", states.pauseDropped);
    expect(plan.procedures.removed.map((p) => p.name)).toEqual(["PUBLIC.PAUSE_CONNECTOR", "PUBLIC.PAUSE_CONNECTOR_INTERNAL", "PUBLIC.PAUSE_CONNECTOR_VALIDATE"]);
    expect(plan.files.removed.map((f) => f.path)).toEqual(["lifecycle/pause.sql"]);
    expect(plan.warnings).toEqual([expect.objectContaining({ code: "recommended-file-missing", subject: "lifecycle/pause.sql", new: true })]);
    expectPlanGoldens("pause-dropped", plan);
  });

  it("no change: says so, and --fail-on any does not trip", async () => {
    const again = await snapshot("base-again", states.base);
    const plan = computePlan(base, again, FROM);
    expect(plan.changed).toBe(false);
    expect(failsOn(plan, "any")).toBe(false);
    expect(renderMarkdown(plan)).toContain("**No changes.**");
    expect(renderTerminal(plan)).toContain("No changes.");
    expectPlanGoldens("no-change", plan);
  });

  it("program change: grants to account roles and to the application, and other resources", async () => {
    const programs = path.join(FIXTURES, "programs");
    const before = await evaluateProgram(path.join(programs, "grants-v1.ts"), { root: FIXTURES });
    const after = await evaluateProgram(path.join(programs, "grants-v2.ts"), { root: FIXTURES });
    const app = rendered.get("base")!;
    const plan = computePlan(buildSnapshot(app, before), buildSnapshot(app, after), FROM);
    const texts = (list: readonly { target: string; privilege: string; on: string; to: string }[]) => list.map((g) => `${g.target}: ${g.privilege} ON ${g.on} TO ${g.to}`);
    expect(texts(plan.grants.added)).toEqual(["account-role: OPERATE ON WAREHOUSE INGEST_WH TO ROLE CONNECTOR_ADMIN", "application: CREATE DATABASE ON ACCOUNT TO APPLICATION PLAN_APP"]);
    expect(plan.grants.removed).toEqual([]);
    expect(plan.resources.added.map((r) => r.name)).toEqual(["landing"]);
    expect(plan.resources.changed.map((r) => [r.name, r.changes.map((c) => c.path)])).toEqual([["ingest", ["comment", "warehouseSize"]]]);
    expect(failsOn(plan, "privileges")).toBe(true);
    expectPlanGoldens("program-change", plan);
  });
});

describe("plan properties", () => {
  it("is deterministic: two renders give byte-identical snapshots and plans", async () => {
    // "base-again" is a second, separate render of the base state.
    const again = await snapshot("base-again", states.base);
    expect(serializeSnapshot(again)).toBe(serializeSnapshot(base));
    const head = await snapshot("body-change", states.bodyChange);
    expect(renderJson(computePlan(again, head, FROM))).toBe(renderJson(computePlan(base, head, FROM)));
    expect(renderMarkdown(computePlan(again, head, FROM))).toBe(renderMarkdown(computePlan(base, head, FROM)));
  });

  it("keeps a Markdown comment within the limit, cutting diffs with a note and closing every block", async () => {
    const plan = await planTo("new-hook", states.newHook);
    const full = renderMarkdown(plan);
    for (const limit of [full.length - 200, 2500, 1200]) {
      const cut = renderMarkdown(plan, { limit });
      expect(cut.length, `limit ${limit}`).toBeLessThanOrEqual(limit);
      expect(cut.startsWith(MARKDOWN_MARKER)).toBe(true);
      expect(cut).toMatch(/not shown: this comment would exceed GitHub's 65,536-character limit/);
      expect(cut.split("<details>").length, `balanced details at ${limit}`).toBe(cut.split("</details>").length);
      expect((cut.match(/^```/gm) ?? []).length % 2, `balanced fences at ${limit}`).toBe(0);
    }
    // The summary table comes first and survives any cut.
    expect(renderMarkdown(plan, { limit: 1200 })).toContain("| Procedures | 0 | 0 | 1 |");
  });

  it("fits a huge body change into one GitHub comment", async () => {
    const head = await snapshot("body-change", states.bodyChange);
    const huge = (n: number) => Array.from({ length: n }, (_, i) => `    x${i} = "${"y".repeat(60)}";`).join("\n");
    const bloat = (s: Snapshot, n: number): Snapshot => ({ ...s, procedures: s.procedures.map((p) => (p.name === "PUBLIC.RESUME_CONNECTOR_INTERNAL" ? { ...p, body: huge(n) } : p)) });
    const plan = computePlan(bloat(base, 100), bloat(head, 1500), FROM);
    expect(plan.procedures.changed.find((c) => c.name === "PUBLIC.RESUME_CONNECTOR_INTERNAL")!.diff!.added).toBeGreaterThan(500);
    const md = renderMarkdown(plan);
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md).toContain("more lines not shown");
    // The JSON keeps everything.
    expect(JSON.parse(renderJson(plan)).procedures.changed.length).toBe(2);
  });

  it("warns when a hook changes signature, and when a later file shadows a definition", () => {
    const validate = "PUBLIC.RESUME_CONNECTOR_VALIDATE";
    const head: Snapshot = {
      ...base,
      procedures: base.procedures.map((p) =>
        p.name === validate ? { ...p, signature: `${validate}(VARIANT)`, args: [{ name: "CONFIG", type: "VARIANT" }], definedIn: [...p.definedIn, "overrides/late.sql"] } : p,
      ),
    };
    const plan = computePlan(base, head, FROM);
    expect(plan.procedures.changed.find((c) => c.name === validate)?.changes).toEqual(["signature"]);
    expect(plan.warnings.map((w) => `${w.code} ${w.subject} ${w.new}`)).toEqual([`definition-shadowed ${validate} true`, `hook-signature-changed ${validate} true`]);
    expect(plan.warnings[0].message).toContain("overrides/late.sql's definition is the one installed");
    // A warning the base already had is not new.
    expect(computePlan(head, head, FROM).warnings.map((w) => `${w.code} ${w.new}`)).toEqual(["definition-shadowed false"]);
  });

  it("keeps fences intact when a body holds backticks", async () => {
    const head = await snapshot("body-change", states.bodyChange);
    const withFence = { ...head, procedures: head.procedures.map((p) => (p.name === "PUBLIC.RESUME_CONNECTOR_INTERNAL" ? { ...p, body: p.body + "\nconst md = `\n```js\nx\n```\n`;" } : p)) };
    const md = renderMarkdown(computePlan(base, withFence, FROM));
    expect(md).toContain("````diff");
  });
});
