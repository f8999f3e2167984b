/**
 * The sandbox's catalog statements, dispatched by one exhaustive table: a statement kind that
 * sql/statements.ts reads and this table lacks is a type error, not a runtime surprise.
 * Table statements (SELECT, DML, CREATE TABLE ...) are not here: the table store runs them.
 */
import type { CatalogStatement } from "../../sql/statements";
import { runAnonymousBlock } from "../scripting";
import type { Context } from "../session";
import { createStream } from "../streams";
import { alterPackage, createApplication, executeImmediateFrom, upgradeApplication } from "./applications";
import { createDatabase, createRole, createSchema, drop, use } from "./databases";
import { grant, grantApplicationRole } from "./grants";
import { alterTask, createApplicationRole, createProcedure, createSequence, createStage, createTask, streamHost } from "./objects";
import { keyOf, onlyOptions, type Env, type Handler, type StatementOutcome } from "./scope";
import { show } from "./show";
import type { BindValue } from "../types";
import { list, put, remove } from "./stages";

export { isPendingCall, returnType, type Env, type PendingCall, type StatementOutcome } from "./scope";

const HANDLERS: { readonly [K in CatalogStatement["kind"]]: Handler<K> } = {
  use: (env, ctx, s) => use(env, ctx, s.object, s.name),
  create_database: (env, ctx, s) => createDatabase(env, ctx, s.name, s.orReplace, s.ifNotExists, "DATABASE"),
  create_application_package: (env, ctx, s) => {
    onlyOptions(s.options, ["COMMENT", "DISTRIBUTION", "DATA_RETENTION_TIME_IN_DAYS"], "CREATE APPLICATION PACKAGE");
    return createDatabase(env, ctx, s.name, s.orReplace, s.ifNotExists, "APPLICATION PACKAGE");
  },
  create_role: (env, _ctx, s) => {
    onlyOptions(s.options, ["COMMENT"], "CREATE ROLE");
    return createRole(env, s);
  },
  create_schema: (env, ctx, s) => createSchema(env, ctx, s.name, s.orReplace, s.ifNotExists, s.orAlterVersioned),
  create_stage: (env, ctx, s) => {
    // Encryption and directory tables change nothing a local stage does; anything else would be ignored, so it is refused.
    onlyOptions(s.options, ["COMMENT", "ENCRYPTION", "DIRECTORY"], "CREATE STAGE");
    return createStage(env, ctx, s.name, s.orReplace, s.ifNotExists);
  },
  create_application_role: (_env, ctx, s) => createApplicationRole(ctx, keyOf(s.name), s.ifNotExists),
  create_procedure: (env, ctx, s) => createProcedure(env, ctx, s),
  create_task: (env, ctx, s) => createTask(env, ctx, s),
  alter_task: (env, ctx, s) => alterTask(env, ctx, s.name, s.action, s.ifExists),
  create_stream: (env, ctx, s) => createStream(streamHost(env, ctx), s),
  create_sequence: (env, ctx, s) => createSequence(env, ctx, s),
  call: (env, ctx, s, binds) => env.call(ctx, s.name, s.args, binds),
  execute_immediate_from: (env, ctx, s) => executeImmediateFrom(env, ctx, s.path),
  put: (env, ctx, s) => put(env, ctx, s.localPath, s.stage, s.options),
  list: (env, ctx, s) => list(env, ctx, s.stage),
  remove: (env, ctx, s) => remove(env, ctx, s.stage),
  alter_application_package: (env, ctx, s) => alterPackage(env, ctx, s),
  create_application: (env, ctx, s) => createApplication(env, ctx, s),
  alter_application_upgrade: (env, ctx, s) => upgradeApplication(env, ctx, s.name, s.version, s.patch),
  grant: (env, ctx, s) => grant(env, ctx, s),
  revoke: (env, ctx, s) => grant(env, ctx, s),
  grant_application_role: (env, ctx, s) => grantApplicationRole(env, ctx, s),
  revoke_application_role: (env, ctx, s) => grantApplicationRole(env, ctx, s),
  drop: (env, ctx, s) => drop(env, ctx, s),
  show: (env, ctx, s) => show(env, ctx, s),
  block: (env, ctx, s) => ({
    columns: [{ name: "anonymous block", type: "VARIANT", nullable: true }],
    rows: [[runAnonymousBlock(s.body, { execute: (sqlText, innerBinds) => env.runForScripting(ctx, sqlText, innerBinds) })]],
  }),
};

/** Runs a catalog statement through its handler. */
export function runCatalogStatement(env: Env, ctx: Context, statement: CatalogStatement, binds: readonly BindValue[]): StatementOutcome {
  // The table is keyed by kind, so the handler found takes exactly this statement's type.
  const handler = HANDLERS[statement.kind] as Handler<CatalogStatement["kind"]>;
  return handler(env, ctx, statement as never, binds);
}
