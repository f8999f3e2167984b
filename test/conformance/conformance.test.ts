/**
 * The conformance table (table.ts) run through the real snowflake-sdk driver: on the embedded
 * sandbox always, and on a real account when SNOWFLAKE_* settings are present (reported as
 * skipped otherwise). Rows that depend on the hooks run twice: over hooks written in
 * TypeScript and over hooks written in Snowflake Scripting without $$.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RenderedApp } from "../../generators/pipeline";
import { ACCOUNT_SKIP_REASON } from "../helpers/account";
import { install, TARGETS, type InstalledApp } from "../helpers/targets";
import { tempDir } from "../helpers/tmp";
import { renderConformanceApps, runRow, type AppVariant, type HookVariant } from "./harness";
import { dependsOnHooks, ROWS, type Row } from "./table";

let rendered: Record<AppVariant, RenderedApp>;
beforeAll(async () => {
  rendered = await renderConformanceApps(tempDir("floe-conformance-"));
}, 60_000);

function appFor(row: Row, hooks: HookVariant): AppVariant {
  return row.situation.missing === undefined ? hooks : `without-${row.situation.missing}`;
}

function check(row: Row, outcome: Awaited<ReturnType<typeof runRow>>, target: string): void {
  const { expected } = row;
  const label = `${row.situation.procedure} ${row.name}: ${JSON.stringify(outcome.answer)}`;
  expect(outcome.answer.response_code, label).toBe(expected.code);
  if (expected.answer !== undefined) expect(outcome.answer, label).toEqual(expected.answer);
  if (typeof expected.message === "string") expect(outcome.answer.message, label).toBe(expected.message);
  if (expected.message instanceof RegExp) expect(String(outcome.answer.message), label).toMatch(expected.message);
  // Every answer other than OK carries a message, as the reference's responses must.
  if (expected.code !== "OK") expect(typeof outcome.answer.message, label).toBe("string");
  expect(outcome.storedAfter, `${label}: the stored status after the call`).toEqual(expected.storedAfter);
  if (expected.configAfter !== undefined) expect(outcome.flowAfter?.config, `${label}: STATE.APP_CONFIG after the call`).toEqual(expected.configAfter);
  if (expected.prerequisitesAfter !== undefined) expect(outcome.flowAfter?.prerequisites, `${label}: STATE.PREREQUISITES after the call`).toEqual(expected.prerequisitesAfter);
  if (target === "sandbox" && expected.statements !== undefined) expect(outcome.statements, `${label}: statements`).toBe(expected.statements);
}

describe.each(TARGETS)("on $name", ({ name: target, available }) => {
  describe.skipIf(!available)(available ? "the conformance table" : `the conformance table (${ACCOUNT_SKIP_REASON})`, () => {
    const apps = new Map<AppVariant, InstalledApp>();
    beforeAll(async () => {
      for (const variant of Object.keys(rendered) as AppVariant[]) apps.set(variant, await install(target, rendered[variant]));
    }, 600_000);
    afterAll(async () => {
      for (const app of apps.values()) await app.close();
    });

    describe.each<HookVariant>(["typescript", "scripting"])("with hooks in %s", (hooks) => {
      // A missing hook procedure is missing whatever its language: those rows run once.
      const rows = hooks === "typescript" ? ROWS : ROWS.filter((row) => dependsOnHooks(row) && row.situation.missing === undefined);
      it.each(rows.map((row) => [`${row.situation.procedure} ${row.name} → ${row.expected.code}`, row] as const))("%s", async (_title, row) => {
        const app = apps.get(appFor(row, hooks))!;
        check(row, await runRow(app, row), target);
      });
    });
  });
});

describe("the conformance table", () => {
  it("has a row for every response code of the reference's lifecycle, for resume and for pause", () => {
    const codes = ["OK", "INVALID_CONNECTOR_STATUS", "CONNECTOR_STATUS_NOT_FOUND", "REQUIRED_PRIVILEGES_MISSING", "ROLLBACK", "UNKNOWN_SQL_ERROR", "PROCEDURE_NOT_FOUND", "INVALID_RESPONSE", "UNKNOWN_ERROR", "INTERNAL_ERROR"];
    for (const procedure of ["RESUME_CONNECTOR", "PAUSE_CONNECTOR"]) {
      const seen = new Set(ROWS.filter((r) => r.situation.procedure === procedure).map((r) => r.expected.code));
      for (const code of codes) expect(seen, `${procedure} ${code}`).toContain(code);
    }
    const all = new Set(ROWS.map((r) => r.expected.code));
    for (const code of [...codes, "INVALID_NEW_CONNECTOR_STATUS", "INVALID_CONNECTOR_CONFIGURATION_STATUS"]) expect(all, code).toContain(code);
    for (const procedure of ["GET_CONNECTOR_STATUS", "RECOVER_CONNECTOR_STATE"]) expect(ROWS.some((r) => r.situation.procedure === procedure)).toBe(true);
  });

  it("has rows for every procedure of the flow a client calls, with the codes the SDK answers there", () => {
    const codes = (procedure: string) => new Set(ROWS.filter((r) => r.situation.procedure === procedure).map((r) => r.expected.code));
    const wanted: Record<string, readonly string[]> = {
      COMPLETE_PREREQUISITES_STEP: ["OK", "INVALID_CONNECTOR_STATUS", "INVALID_CONNECTOR_CONFIGURATION_STATUS", "CONNECTOR_STATUS_NOT_FOUND"],
      UPDATE_PREREQUISITE: ["OK", "PREREQUISITE_NOT_FOUND", "INVALID_CONNECTOR_STATUS", "INVALID_CONNECTOR_CONFIGURATION_STATUS"],
      MARK_ALL_PREREQUISITES_AS_DONE: ["OK", "INVALID_CONNECTOR_STATUS", "INVALID_CONNECTOR_CONFIGURATION_STATUS"],
      CONFIGURE_CONNECTOR: ["OK", "INVALID_CONNECTOR_STATUS", "CONNECTOR_CONFIGURATION_PARSING_ERROR", "INTERNAL_ERROR", "PROCEDURE_NOT_FOUND"],
      SET_CONNECTION_CONFIGURATION: ["OK", "INVALID_CONNECTOR_STATUS", "INVALID_CONNECTOR_CONFIGURATION_STATUS", "PROCEDURE_NOT_FOUND", "UNKNOWN_SQL_ERROR"],
      GET_CONNECTION_CONFIGURATION: ["OK", "CONNECTION_CONFIGURATION_NOT_FOUND"],
      FINALIZE_CONNECTOR_CONFIGURATION: ["OK", "INVALID_CONNECTOR_STATUS", "INVALID_CONNECTOR_CONFIGURATION_STATUS", "PROCEDURE_NOT_FOUND", "INVALID_RESPONSE", "CONNECTOR_STATUS_NOT_FOUND"],
    };
    for (const [procedure, expected] of Object.entries(wanted)) for (const code of expected) expect(codes(procedure), `${procedure} ${code}`).toContain(code);
  });
});
