/**
 * Application packages and applications: versions and patches, CREATE APPLICATION running the
 * version's setup script (EXECUTE IMMEDIATE FROM included), and upgrades that put the previous
 * version's objects back when the new setup script fails.
 */
import * as path from "node:path";
import type { CatalogStatement, Name } from "../../sql/statements";
import { splitStatements } from "../../sql/lexer";
import { quoteName } from "../../lifecycle/sql-text";
import { alreadyExists, type DatabaseEntry, type SchemaEntry } from "../catalog";
import { statementText, type Context } from "../session";
import { objectNotFound, SnowflakeError, UnsupportedError, type QueryResult } from "../types";
import { dropDatabase } from "./databases";
import { columns, keyOf, onlyOptions, ownerOf, refuseNul, status, type Env } from "./scope";
import { snapshotFiles } from "./stages";

export function executeImmediateFrom(env: Env, ctx: Context, file: string): QueryResult {
  const setup = ctx.setup;
  if (setup === undefined) throw new UnsupportedError("EXECUTE IMMEDIATE FROM outside an application's setup script");
  const resolved = path.posix.normalize(path.posix.join(setup.directory, file.replace(/^\.\//, "")));
  const content = setup.files.get(resolved);
  if (content === undefined) throw new SnowflakeError("002003", "02000", `SQL compilation error:\nFile '${file}' does not exist in the application version.`);
  runScript(env, { ...ctx, setup: { files: setup.files, directory: path.posix.dirname(resolved) } }, resolved, content);
  return status("Statement executed successfully.");
}

/** Runs a script statement by statement; an error names the file and line. */
export function runScript(env: Env, ctx: Context, file: string, content: string): void {
  let statements: ReturnType<typeof splitStatements>;
  try {
    statements = splitStatements(content);
  } catch (e) {
    throw new SnowflakeError("001003", "42000", `SQL compilation error in ${file}: ${(e as Error).message}`);
  }
  for (const statement of statements) {
    try {
      env.run(ctx, statementText(statement.text), []);
    } catch (e) {
      if (e instanceof SnowflakeError && !/^\S+\.sql:\d+: /.test(e.message)) {
        const line = content.slice(0, statement.start).split("\n").length;
        throw new SnowflakeError(e.code, e.sqlState, `${file}:${line}: ${e.message}`);
      }
      throw e;
    }
  }
}

export function alterPackage(env: Env, ctx: Context, s: Extract<CatalogStatement, { kind: "alter_application_package" }>): QueryResult {
  const pkg = env.catalog.applicationPackage(keyOf(s.name));
  env.access.checkOwner(ctx, pkg);
  if (s.action === "set") {
    onlyOptions(s.options ?? {}, ["COMMENT", "DISTRIBUTION"], "ALTER APPLICATION PACKAGE ... SET");
    return status("Statement executed successfully.");
  }
  const version = pkg.versions.get(s.version);
  if (s.action === "drop_version") {
    if (version === undefined) throw objectNotFound("Version", s.version);
    for (const db of env.catalog.databases.values()) {
      if (db.application?.packageName === pkg.name && db.application.version === s.version) {
        throw new SnowflakeError("093091", "P0000", `Version ${s.version} is in use by application ${db.name}.`);
      }
    }
    pkg.versions.delete(s.version);
    return status(`Version ${s.version} dropped.`);
  }
  const files = snapshotFiles(env, ctx, s.using!, pkg.name);
  if (s.action === "add_version") {
    if (version !== undefined) throw new SnowflakeError("093080", "P0000", `Version ${s.version} already exists in application package ${pkg.name}; add a patch instead.`);
    pkg.versions.set(s.version, { name: s.version, ...(s.label === undefined ? {} : { label: s.label }), patches: [{ patch: 0, files, createdOn: new Date() }] });
    return { columns: columns([["version", "TEXT"], ["patch", "FIXED"]]), rows: [[s.version, 0]] };
  }
  if (version === undefined) throw objectNotFound("Version", s.version);
  const patch = version.patches[version.patches.length - 1].patch + 1;
  version.patches.push({ patch, files, createdOn: new Date() });
  return { columns: columns([["version", "TEXT"], ["patch", "FIXED"]]), rows: [[s.version, patch]] };
}

export function patchOf(env: Env, packageName: string, version?: string, patch?: number) {
  const pkg = env.catalog.applicationPackage(packageName);
  if (version === undefined) throw new UnsupportedError("applications without USING VERSION (development mode from a stage)");
  const v = pkg.versions.get(version);
  if (v === undefined) throw objectNotFound("Version", `${version} of ${packageName}`);
  const chosen = patch === undefined ? v.patches[v.patches.length - 1] : v.patches.find((p) => p.patch === patch);
  if (chosen === undefined) throw objectNotFound("Patch", `${patch} of version ${version}`);
  return { pkg, version: v, patch: chosen };
}

export function createApplication(env: Env, ctx: Context, s: Extract<CatalogStatement, { kind: "create_application" }>): QueryResult {
  const name = keyOf(s.name);
  if (env.catalog.databases.has(name)) {
    if (s.ifNotExists) return status(`${quoteName(s.name)} already exists, statement succeeded.`);
    throw alreadyExists("Application", quoteName(s.name));
  }
  env.access.checkOwner(ctx, env.catalog.applicationPackage(keyOf(s.fromPackage)));
  const { pkg, version, patch } = patchOf(env, keyOf(s.fromPackage), s.version, s.patch);
  refuseNul(name);
  const app = env.catalog.addDatabase(name, "APPLICATION", ownerOf(ctx));
  app.application = { packageName: pkg.name, version: version.name, patch: patch.patch, roles: new Set(), accountPrivileges: new Set(), objectGrants: [] };
  try {
    runSetup(env, app, patch.files);
  } catch (e) {
    dropDatabase(env, name);
    throw setupFailure(e, name);
  }
  return status(`Application ${name} successfully created.`);
}

export function setupFailure(e: unknown, app: string): unknown {
  if (e instanceof SnowflakeError) return new SnowflakeError(e.code, e.sqlState, `Setup script of application ${app} failed: ${e.message}`);
  return e;
}

export function runSetup(env: Env, app: DatabaseEntry, files: ReadonlyMap<string, string>): void {
  const setup = files.get("setup.sql");
  if (setup === undefined) throw new SnowflakeError("093082", "P0000", "setup.sql was not found in the application version.");
  runScript(env, { database: app.name, application: app, setup: { files, directory: "." }, depth: 0 }, "setup.sql", setup);
}

export function upgradeApplication(env: Env, ctx: Context, name: Name, version?: string, patch?: number): QueryResult {
  const app = env.catalog.application(keyOf(name));
  env.access.checkOwner(ctx, app);
  const target = patchOf(env, app.application.packageName, version ?? app.application.version, patch);
  // Objects of versioned schemas belong to a version: the new setup script recreates them.
  // If it fails, the previous version's objects come back.
  const saved = new Map<string, SchemaEntry>();
  for (const [schemaName, schema] of app.schemas) {
    if (!schema.versioned) continue;
    saved.set(schemaName, { ...schema, procedures: new Map(schema.procedures), stages: new Map(schema.stages), tasks: new Map(schema.tasks) });
    schema.procedures.clear();
  }
  const grants = [...app.application.objectGrants];
  try {
    runSetup(env, app, target.patch.files);
  } catch (e) {
    for (const [schemaName, schema] of saved) app.schemas.set(schemaName, schema);
    app.application.objectGrants.splice(0, app.application.objectGrants.length, ...grants);
    throw setupFailure(e, app.name);
  }
  app.application.version = target.version.name;
  app.application.patch = target.patch.patch;
  return status(`Application ${app.name} successfully upgraded to version ${target.version.name}, patch ${target.patch.patch}.`);
}
