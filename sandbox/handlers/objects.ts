/**
 * Objects inside a schema: stages, application roles, procedures, tasks, streams and
 * sequences (CREATE, and ALTER TASK).
 */
import * as fs from "node:fs";
import type { CatalogStatement, Name } from "../../sql/statements";
import { quoteName } from "../../lifecycle/sql-text";
import { alreadyExists, insufficientPrivileges, sameArgumentTypes, type ProcedureEntry } from "../catalog";
import type { Context } from "../session";
import type { StreamHost } from "../streams";
import { objectNotFound, SnowflakeError, UnsupportedError, type QueryResult } from "../types";
import { onlyOptions, resolve, returnType, schemaOf, status, type Env } from "./scope";

export function createStage(env: Env, ctx: Context, name: Name, orReplace: boolean, ifNotExists: boolean): QueryResult {
  const { db, schema, object } = schemaOf(env, ctx, name, "CREATE STAGE");
  env.access.checkSchemaChange(ctx, db, schema.name);
  const directory = env.folder.stageDirectory(db.name, schema.name, object);
  if (schema.stages.has(object)) {
    if (ifNotExists) return status(`${object} already exists, statement succeeded.`);
    if (!orReplace) throw alreadyExists("Stage", quoteName([db.name, schema.name, object]));
    env.folder.remove(directory);
  }
  fs.mkdirSync(directory, { recursive: true });
  schema.stages.set(object, { name: object, directory });
  return status(`Stage area ${object} successfully created.`);
}

export function createApplicationRole(ctx: Context, role: string, ifNotExists: boolean): QueryResult {
  const app = ctx.application?.application;
  if (app === undefined || ctx.setup === undefined) {
    throw new SnowflakeError("003001", "42501", "SQL access control error:\nApplication roles can only be created by the setup script of an application.");
  }
  if (app.roles.has(role) && !ifNotExists) throw alreadyExists("Application role", role);
  app.roles.add(role);
  return status(`Application role ${role} successfully created.`);
}

export function createProcedure(env: Env, ctx: Context, s: Extract<CatalogStatement, { kind: "create_procedure" }>): QueryResult {
  if (s.language !== "JAVASCRIPT" && s.language !== "SQL") {
    throw new UnsupportedError(`LANGUAGE ${s.language} procedures (JAVASCRIPT and SQL procedures run here; ${quoteName(s.name)} needs a real account)`);
  }
  if (s.options.length > 0) throw new UnsupportedError(`the CREATE PROCEDURE option ${s.options[0]} for LANGUAGE JAVASCRIPT`);
  returnType(s.returns);
  const { db, schema, object } = schemaOf(env, ctx, s.name, "CREATE PROCEDURE");
  env.access.checkSchemaChange(ctx, db, schema.name);
  const overloads = schema.procedures.get(object) ?? [];
  const index = overloads.findIndex((p) => sameArgumentTypes(p.args, s.args.map((a) => a.type)));
  if (index >= 0 && !s.orReplace) {
    if (s.ifNotExists) return status(`${object} already exists, statement succeeded.`);
    throw alreadyExists("Function", object);
  }
  const entry: ProcedureEntry = {
    name: object,
    args: s.args,
    returns: s.returns,
    language: s.language,
    executeAs: s.executeAs,
    body: s.body,
    ...(s.comment === undefined ? {} : { comment: s.comment }),
    // CREATE OR REPLACE drops the grants of the replaced procedure, as in Snowflake.
    grants: new Set(),
    createdOn: new Date(),
  };
  if (index >= 0) overloads[index] = entry;
  else overloads.push(entry);
  schema.procedures.set(object, overloads);
  return status(`Function ${object} successfully created.`);
}

export function createTask(env: Env, ctx: Context, s: Extract<CatalogStatement, { kind: "create_task" }>): QueryResult {
  onlyOptions(s.options, ["WAREHOUSE", "SCHEDULE", "USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE", "COMMENT", "ALLOW_OVERLAPPING_EXECUTION"], "CREATE TASK");
  const { db, schema, object } = schemaOf(env, ctx, s.name, "CREATE TASK");
  env.access.checkSchemaChange(ctx, db, schema.name);
  if (schema.tasks.has(object)) {
    if (s.ifNotExists) return status(`${object} already exists, statement succeeded.`);
    if (!s.orReplace) throw alreadyExists("Task", object);
  }
  // Tasks are catalog objects here: their state is kept, their schedule never fires.
  schema.tasks.set(object, { name: object, state: "suspended", definition: s.body, options: s.options });
  return status(`Task ${object} successfully created.`);
}

/** What sandbox/streams.ts needs of the executor: name resolution, access checks and the table store's relations. */
export function streamHost(env: Env, ctx: Context): StreamHost {
  return {
    resolve: (name, what) => {
      const { db, schema, object } = schemaOf(env, ctx, name, what);
      return { database: db.name, schema, object };
    },
    checkChange: (database, schema) => env.access.checkSchemaChange(ctx, env.catalog.database(database), schema),
    relationExists: (database, schema, name, kind) => env.tables.listRelations(database, schema).some((r) => r.name === name && r.kind === kind),
  };
}

export function alterTask(env: Env, ctx: Context, name: Name, action: "RESUME" | "SUSPEND", ifExists: boolean): QueryResult {
  const resolved = resolve(ctx, name, "ALTER TASK");
  const existing = env.catalog.databases.get(resolved.database)?.schemas.get(resolved.schema)?.tasks.get(resolved.object);
  // IF EXISTS: a missing task (or its schema) is no error, and nothing changes.
  if (existing === undefined && ifExists) return status("Statement executed successfully.");
  const { db, schema, object } = schemaOf(env, ctx, name, "ALTER TASK");
  env.access.checkSchemaChange(ctx, db, schema.name);
  const task = schema.tasks.get(object);
  if (task === undefined) throw objectNotFound("Task", quoteName([db.name, schema.name, object]));
  const app = ctx.application?.application;
  if (action === "RESUME" && app !== undefined && !app.accountPrivileges.has("EXECUTE TASK")) {
    throw insufficientPrivileges(`task ${object}: the application does not hold EXECUTE TASK on the account`);
  }
  task.state = action === "RESUME" ? "started" : "suspended";
  return status("Statement executed successfully.");
}

export function createSequence(env: Env, ctx: Context, s: Extract<CatalogStatement, { kind: "create_sequence" }>): QueryResult {
  const { db, schema, object } = schemaOf(env, ctx, s.name, "CREATE SEQUENCE");
  env.access.checkSchemaChange(ctx, db, schema.name);
  const options = { orReplace: s.orReplace, ifNotExists: s.ifNotExists, ...(s.start === undefined ? {} : { start: s.start }), ...(s.increment === undefined ? {} : { increment: s.increment }) };
  return status(env.tables.createSequence({ database: db.name, schema: schema.name, name: object }, options));
}
