/**
 * The apps the conformance table runs on, and one row's run through snowflake-sdk.
 *
 * Every app is rendered by floe and gets one extra file, conformance/stage.sql, with the two
 * procedures that stage a row (status rows, hook behaviour) and read the status back: a
 * consumer cannot write an application's tables, so the stand-in for the reference's test-app
 * procedures lives in the app and runs the same on the sandbox and on an account.
 *
 * - `typescript`: the hooks of fixtures/hooks.ts, compiled by floe into JavaScript procedures;
 * - `scripting`: the hook procedures replaced by Snowflake Scripting overrides written without
 *   $$ (fixtures/validate.sql, internal.sql), as the reference's own SQL files are;
 * - `without-validate` / `without-internal`: the same app with that hook procedure never created.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderBundle, type Bundle } from "../../generators/render";
import { renderConnector, type RenderedApp } from "../../generators/pipeline";
import type { AppModel } from "../../generators/model";
import { checkBundleSql, loadSqlParser } from "../../generators/sql-check";
import type { InstalledApp } from "../helpers/targets";
import type { SqlBind } from "../../snowflake/facade";
import type { MissingHook, Procedure, Row } from "./table";

const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(__dirname, "fixtures");
const STAGE_FILE = "conformance/stage.sql";

export type HookVariant = "typescript" | "scripting";
export type AppVariant = HookVariant | `without-${MissingHook}`;

/** Adds the staging procedures to a rendered app; the result must pass the same parser gate. */
function withStaging(app: RenderedApp): RenderedApp {
  const bundle = new Map(app.bundle);
  bundle.set(STAGE_FILE, fs.readFileSync(path.join(FIXTURES, "stage.sql"), "utf8"));
  bundle.set("setup.sql", `${bundle.get("setup.sql")}\n-- Conformance fixture: staging procedures for the test suite.\nEXECUTE IMMEDIATE FROM '${STAGE_FILE}';\n`);
  const sorted: Bundle = new Map([...bundle.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const { problems } = checkBundleSql(sorted);
  if (problems.length > 0) throw new Error("the conformance bundle does not pass the parser gate:\n" + JSON.stringify(problems, null, 2));
  return { model: app.model, bundle: sorted };
}

/** The model with the named procedures left out: an app in which they were never created. */
function withoutProcedures(model: AppModel, names: readonly string[]): AppModel {
  const keep = (p: { readonly name: string }) => !names.includes(p.name);
  return {
    ...model,
    files: model.files.map((f) => ({ ...f, procedures: f.procedures.filter(keep) })),
    hooks: model.hooks.filter(keep),
    procedures: model.procedures.filter(keep),
    grants: model.grants.filter((g) => !names.some((n) => g.on.includes(`.${n}(`))),
  };
}

/** Writes the pause twins of the Scripting overrides (same bodies, PAUSE_ names) next to a copy of them. */
function scriptingOverrides(dir: string): { procedure: string; file: string }[] {
  const overrides: { procedure: string; file: string }[] = [];
  for (const operation of ["RESUME", "PAUSE"]) {
    for (const step of ["validate", "internal"]) {
      const text = fs.readFileSync(path.join(FIXTURES, `${step}.sql`), "utf8").replace(/RESUME_CONNECTOR_/g, `${operation}_CONNECTOR_`);
      const file = path.join(dir, `${operation.toLowerCase()}_${step}.sql`);
      fs.writeFileSync(file, text);
      overrides.push({ procedure: `PUBLIC.${operation}_CONNECTOR_${step.toUpperCase()}`, file });
    }
  }
  return overrides;
}

/** Renders the four conformance apps. `dir` receives the generated pause overrides. */
export async function renderConformanceApps(dir: string): Promise<Record<AppVariant, RenderedApp>> {
  const base = { name: "CONFORMANCE", root: ROOT, privileges: ["EXECUTE TASK"] };
  const typescript = await renderConnector({ ...base, hooks: [path.join(FIXTURES, "hooks.ts")] });
  const scripting = await renderConnector({ ...base, overrides: scriptingOverrides(dir) });
  const plain = await renderConnector(base);
  const without = (step: MissingHook): RenderedApp => {
    // Every hook procedure of that step; TEST_CONNECTION and VALIDATE_SOURCE are validators too.
    const names = plain.model.procedures
      .filter((p) => p.grants.length === 0 && (step === "internal" ? p.name.endsWith("_INTERNAL") : p.name.endsWith("_VALIDATE") || p.name === "VALIDATE_SOURCE" || p.name === "TEST_CONNECTION"))
      .map((p) => p.name);
    const model = withoutProcedures(plain.model, names);
    return { model, bundle: renderBundle(model) };
  };
  // The gate below checks every statement with the general parser too: load it first.
  await loadSqlParser();
  return {
    typescript: withStaging(typescript),
    scripting: withStaging(scripting),
    "without-validate": withStaging(without("validate")),
    "without-internal": withStaging(without("internal")),
  };
}

export interface Outcome {
  readonly answer: Record<string, unknown>;
  readonly storedAfter: readonly unknown[] | null;
  readonly statements?: number;
  /** The configuration entries and prerequisites after the call, read when the row checks them. */
  readonly flowAfter?: { readonly config: Record<string, unknown>; readonly prerequisites: Record<string, boolean> };
}

/** How each procedure's arguments are passed: `?` for text and booleans, PARSE_JSON(?) for VARIANT. */
const ARGUMENTS: Record<Procedure, readonly ("text" | "boolean" | "json")[]> = {
  RESUME_CONNECTOR: [],
  PAUSE_CONNECTOR: [],
  GET_CONNECTOR_STATUS: [],
  RECOVER_CONNECTOR_STATE: ["text"],
  COMPLETE_PREREQUISITES_STEP: [],
  UPDATE_PREREQUISITE: ["text", "boolean"],
  MARK_ALL_PREREQUISITES_AS_DONE: [],
  CONFIGURE_CONNECTOR: ["json"],
  SET_CONNECTION_CONFIGURATION: ["json"],
  GET_CONNECTION_CONFIGURATION: [],
  FINALIZE_CONNECTOR_CONFIGURATION: ["json"],
};

/** The application's current account privileges, so that a row changes only what differs. */
const granted = new WeakMap<InstalledApp, Set<string>>();

async function holdPrivileges(app: InstalledApp, wanted: readonly string[]): Promise<void> {
  const held = granted.get(app) ?? new Set(["EXECUTE TASK"]);
  for (const privilege of ["EXECUTE TASK"]) {
    if (wanted.includes(privilege) && !held.has(privilege)) await app.query(`GRANT ${privilege} ON ACCOUNT TO APPLICATION ${app.name}`);
    if (!wanted.includes(privilege) && held.has(privilege)) await app.query(`REVOKE ${privilege} ON ACCOUNT FROM APPLICATION ${app.name}`);
  }
  granted.set(app, new Set(wanted));
}

/** Stages the row's situation, calls the procedure through the driver, reads the status back. */
export async function runRow(app: InstalledApp, row: Row): Promise<Outcome> {
  const s = row.situation;
  await holdPrivileges(app, s.privileges ?? ["EXECUTE TASK"]);
  const hooks = { validate: s.validate ?? "ok", internal: s.internal ?? "ok", test: s.test ?? "ok", source: s.source ?? "ok" };
  await app.call("CONFORMANCE_STAGE", "PARSE_JSON(?)", [
    JSON.stringify({ rows: s.stored, hooks, dropStateTable: s.dropStateTable === true, config: s.config ?? {}, prerequisites: s.prerequisites ?? {} }),
  ]);
  const kinds = ARGUMENTS[s.procedure];
  const given = s.args ?? [];
  if (given.length !== kinds.length) throw new Error(`${s.procedure} takes ${kinds.length} arguments; the row gives ${given.length}`);
  const argsSql = kinds.map((k) => (k === "json" ? "PARSE_JSON(?)" : "?")).join(", ");
  const binds = given.map((value, i) => (kinds[i] === "json" ? (value === null ? null : JSON.stringify(value)) : (value as SqlBind)));
  const answer = await app.call(s.procedure, argsSql, binds);
  const storedAfter = (await app.call("CONFORMANCE_STORED")) as unknown[] | null;
  const statements = app.sandbox?.lastCall(s.procedure)?.statements.length;
  const flowAfter = row.expected.configAfter !== undefined || row.expected.prerequisitesAfter !== undefined ? ((await app.call("CONFORMANCE_FLOW_STORED")) as Outcome["flowAfter"]) : undefined;
  return {
    answer: answer as Record<string, unknown>,
    storedAfter,
    ...(statements === undefined ? {} : { statements }),
    ...(flowAfter === undefined ? {} : { flowAfter }),
  };
}
