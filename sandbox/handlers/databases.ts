/**
 * Databases, application packages, schemas and roles: USE, CREATE DATABASE / APPLICATION
 * PACKAGE / SCHEMA / ROLE, and DROP of every kind the sandbox keeps.
 */
import type { CatalogStatement, Name } from "../../sql/statements";
import { quoteName } from "../../lifecycle/sql-text";
import { alreadyExists, type DatabaseEntry, type SchemaEntry, sameArgumentTypes } from "../catalog";
import type { Context } from "../session";
import { objectNotFound, SnowflakeError, UnsupportedError, type QueryResult } from "../types";
import { keyOf, ownerOf, refuseNul, schemaOf, status, type Env } from "./scope";

export function use(env: Env, ctx: Context, object: string, name: Name): QueryResult {
  if (ctx.depth > 0 || ctx.setup !== undefined) throw new SnowflakeError("090232", "0A000", "USE is not allowed inside a procedure or a setup script.");
  const session = ctx.session;
  if (session === undefined) throw new UnsupportedError("USE without a session");
  if (object === "DATABASE") {
    env.access.checkVisible(ctx, env.catalog.database(keyOf(name)));
    session.database = keyOf(name);
    session.schema = env.catalog.database(session.database).schemas.has("PUBLIC") ? "PUBLIC" : undefined;
  } else if (object === "SCHEMA") {
    const database = name.length === 2 ? name[0] : session.database;
    if (database === undefined) throw new SnowflakeError("090105", "22000", "Cannot use a schema without a current database.");
    const schema = name[name.length - 1];
    env.catalog.schema(database, schema);
    env.access.checkSchemaVisible(ctx, env.catalog.database(database), schema);
    session.database = database;
    session.schema = schema;
  } else if (object === "ROLE") {
    if (!env.catalog.roles.has(keyOf(name))) throw objectNotFound("Role", quoteName(name));
    session.role = keyOf(name);
  } else {
    session.warehouse = keyOf(name);
  }
  return status("Statement executed successfully.");
}

export function createDatabase(env: Env, ctx: Context, name: Name, orReplace: boolean, ifNotExists: boolean, kind: "DATABASE" | "APPLICATION PACKAGE"): QueryResult {
  const id = keyOf(name);
  const shown = quoteName(name);
  const existing = env.catalog.databases.get(id);
  const label = kind === "DATABASE" ? "Database" : "Application package";
  if (existing !== undefined) {
    if (ifNotExists) return status(`${shown} already exists, statement succeeded.`);
    if (!orReplace) throw alreadyExists(label, shown);
    if (existing.kind !== kind) throw new SnowflakeError("002043", "42601", `SQL compilation error:\nObject '${shown}' exists but is a ${existing.kind.toLowerCase()}.`);
    env.access.checkOwner(ctx, existing);
    dropDatabase(env, id);
  }
  refuseNul(id);
  const db = env.catalog.addDatabase(id, kind, ownerOf(ctx));
  addSchema(env, db, "PUBLIC", false);
  return status(`${label} ${shown} successfully created.`);
}

export function addSchema(env: Env, db: DatabaseEntry, name: string, versioned: boolean): SchemaEntry {
  refuseNul(name);
  const schema: SchemaEntry = { name, versioned, procedures: new Map(), stages: new Map(), tasks: new Map() };
  db.schemas.set(name, schema);
  env.tables.createSchema(db.name, name);
  return schema;
}

export function dropDatabase(env: Env, name: string): void {
  env.catalog.databases.delete(name);
  env.tables.dropDatabase(name);
  env.folder.remove(env.folder.databaseDirectory(name));
  env.catalog.applicationRoleGrants.splice(0, env.catalog.applicationRoleGrants.length, ...env.catalog.applicationRoleGrants.filter((g) => g.application !== name));
}

export function createSchema(env: Env, ctx: Context, name: Name, orReplace: boolean, ifNotExists: boolean, orAlterVersioned: boolean): QueryResult {
  const database = name.length === 2 ? name[0] : ctx.database;
  if (database === undefined) throw new SnowflakeError("090105", "22000", "Cannot perform CREATE SCHEMA. This session does not have a current database.");
  const schemaName = name[name.length - 1];
  const db = env.catalog.database(database);
  if (orAlterVersioned) {
    if (ctx.setup === undefined || ctx.application?.name !== db.name) {
      throw new SnowflakeError("003001", "42501", "SQL access control error:\nVersioned schemas can only be created by the setup script of an application.");
    }
    const existing = db.schemas.get(schemaName);
    if (existing === undefined) addSchema(env, db, schemaName, true);
    return status(`Schema ${schemaName} successfully created.`);
  }
  env.access.checkContents(ctx, db);
  const existing = db.schemas.get(schemaName);
  if (existing !== undefined) {
    if (ifNotExists) return status(`${schemaName} already exists, statement succeeded.`);
    if (!orReplace) throw alreadyExists("Schema", quoteName([database, schemaName]));
    env.tables.dropSchema(database, schemaName);
    db.schemas.delete(schemaName);
  }
  addSchema(env, db, schemaName, false);
  return status(`Schema ${schemaName} successfully created.`);
}

export function drop(env: Env, ctx: Context, s: Extract<CatalogStatement, { kind: "drop" }>): QueryResult {
  const shown = quoteName(s.name);
  const missing = (kind: string) => {
    if (s.ifExists) return status(`Drop statement executed successfully (${shown} already dropped).`);
    throw objectNotFound(kind, shown);
  };
  switch (s.object) {
    case "DATABASE":
    case "APPLICATION":
    case "APPLICATION PACKAGE": {
      const id = keyOf(s.name);
      const db = env.catalog.databases.get(id);
      if (db === undefined || db.kind !== (s.object === "DATABASE" ? "DATABASE" : s.object)) return missing(s.object.toLowerCase());
      env.access.checkOwner(ctx, db);
      if (db.kind === "APPLICATION PACKAGE") {
        for (const other of env.catalog.databases.values()) {
          if (other.application?.packageName === id) throw new SnowflakeError("093092", "P0000", `Application package ${shown} is in use by application ${quoteName([other.name])}.`);
        }
      }
      dropDatabase(env, id);
      return status(`${shown} successfully dropped.`);
    }
    case "SCHEMA": {
      const database = s.name.length === 2 ? s.name[0] : ctx.database;
      const db = database === undefined ? undefined : env.catalog.databases.get(database);
      const name = s.name[s.name.length - 1];
      if (db === undefined || !db.schemas.has(name)) return missing("Schema");
      env.access.checkContents(ctx, db);
      db.schemas.delete(name);
      env.tables.dropSchema(db.name, name);
      return status(`${name} successfully dropped.`);
    }
    case "ROLE":
      if (!env.catalog.roles.delete(keyOf(s.name))) return missing("Role");
      return status(`${shown} successfully dropped.`);
    case "PROCEDURE": {
      const { db, schema, object } = schemaOf(env, ctx, s.name, "DROP PROCEDURE");
      env.access.checkSchemaChange(ctx, db, schema.name);
      const overloads = schema.procedures.get(object) ?? [];
      const index = overloads.findIndex((p) => sameArgumentTypes(p.args, s.signature ?? []));
      if (index < 0) return missing("Procedure");
      overloads.splice(index, 1);
      return status(`${object} successfully dropped.`);
    }
    case "STAGE": {
      const { db, schema, object } = schemaOf(env, ctx, s.name, "DROP STAGE");
      env.access.checkSchemaChange(ctx, db, schema.name);
      const stage = schema.stages.get(object);
      if (stage === undefined) return missing("Stage");
      env.folder.remove(stage.directory);
      schema.stages.delete(object);
      return status(`${object} successfully dropped.`);
    }
    case "TASK": {
      const { db, schema, object } = schemaOf(env, ctx, s.name, "DROP TASK");
      env.access.checkSchemaChange(ctx, db, schema.name);
      if (!schema.tasks.delete(object)) return missing("Task");
      return status(`${object} successfully dropped.`);
    }
    default:
      throw new UnsupportedError(`DROP ${s.object}`);
  }
}

export function createRole(env: Env, s: Extract<CatalogStatement, { kind: "create_role" }>): QueryResult {
  const role = keyOf(s.name);
  if (env.catalog.roles.has(role) && !s.ifNotExists && !s.orReplace) throw alreadyExists("Role", quoteName(s.name));
  env.catalog.roles.add(role);
  return status(`Role ${quoteName(s.name)} successfully created.`);
}
