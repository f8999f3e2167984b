/**
 * What every statement handler of the sandbox works with: the {@link Env} (catalog, access
 * rules, table store, stage folder, and the executor's own entry points for scripts and
 * calls), name resolution against a statement's context, and the small result builders.
 */
import type { CatalogStatement, Name } from "../../sql/statements";
import { quoteName } from "../../lifecycle/sql-text";
import type { AccessControl } from "../access";
import type { Catalog, DatabaseEntry, ProcedureEntry, SchemaEntry } from "../catalog";
import type { Invocation } from "../javascript";
import type { SandboxFolder } from "../paths";
import type { UploadRequest } from "../protocol/backend";
import type { CallRecord, Context } from "../session";
import type { TableStore } from "../tables";
import { SnowflakeError, syntaxError, UnsupportedError, type BindValue, type QueryResult, type ResultColumn, type SnowflakeType } from "../types";

/**
 * A CALL of a JavaScript procedure, ready to run: the executor answers it with this instead of
 * a result, and whoever ran the statement starts it (a session) or hands it to the worker that
 * issued the statement (a procedure calling another).
 */
export interface PendingCall {
  readonly kind: "call";
  readonly invocation: Invocation;
  /** Where the procedure's own statements run. */
  readonly context: Context;
  readonly record: CallRecord;
  readonly procedure: ProcedureEntry;
}

export type StatementOutcome = QueryResult | UploadRequest | PendingCall;

export function isPendingCall(outcome: StatementOutcome): outcome is PendingCall {
  return (outcome as { kind?: unknown }).kind === "call";
}

/** What the handlers share: the sandbox's state, and the executor for what runs statements in turn. */
export interface Env {
  readonly catalog: Catalog;
  readonly access: AccessControl;
  readonly tables: TableStore;
  readonly folder: SandboxFolder;
  /** Runs one statement in a context: a setup script's statements, one after another. */
  run(ctx: Context, text: string, binds: readonly BindValue[]): StatementOutcome;
  /** One statement of Snowflake Scripting, run synchronously on this thread. */
  runForScripting(ctx: Context, sqlText: string, binds: readonly BindValue[]): QueryResult;
  /** A CALL: a Snowflake Scripting procedure runs here; a JavaScript one comes back pending. */
  call(ctx: Context, name: Name, argTexts: readonly string[], binds: readonly BindValue[]): PendingCall | QueryResult;
}

/** A handler of one kind of catalog statement. */
export type Handler<K extends CatalogStatement["kind"]> = (env: Env, ctx: Context, statement: Extract<CatalogStatement, { kind: K }>, binds: readonly BindValue[]) => StatementOutcome;

export const status = (text: string): QueryResult => ({ columns: [{ name: "status", type: "TEXT", nullable: false }], rows: [[text]] });

export function columns(spec: readonly [string, SnowflakeType][]): ResultColumn[] {
  return spec.map(([name, type]) => ({ name, type, nullable: true }));
}

/** The result type of a procedure's RETURNS clause. */
export function returnType(returns: string): SnowflakeType {
  const base = returns.replace(/ NOT NULL$/, "").replace(/\(.*\)$/, "").toUpperCase();
  if (base === "VARIANT") return "VARIANT";
  if (base === "OBJECT") return "OBJECT";
  if (base === "ARRAY") return "ARRAY";
  if (base === "BOOLEAN") return "BOOLEAN";
  if (["NUMBER", "INT", "INTEGER", "BIGINT", "DECIMAL", "NUMERIC"].includes(base)) return "FIXED";
  if (["FLOAT", "DOUBLE", "REAL"].includes(base)) return "REAL";
  if (["STRING", "VARCHAR", "TEXT", "CHAR"].includes(base)) return "TEXT";
  throw new UnsupportedError(`procedures returning ${returns}`);
}

/** Refuses options the sandbox would otherwise ignore. */
export function onlyOptions(options: Readonly<Record<string, string>>, known: readonly string[], statement: string): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new UnsupportedError(`the ${statement} option ${key}`);
  }
}

/**
 * The catalog key of an account-level object (database, application, package, role): the
 * name's one part as resolved (quotes removed, case kept). Messages show `quoteName` instead.
 */
export function keyOf(name: Name): string {
  if (name.length !== 1) throw syntaxError(`'${quoteName(name)}' names an account-level object: it takes no database or schema`);
  return name[0];
}

/** The table engine keeps each schema as a DuckDB schema, whose names cannot hold NUL. */
export function refuseNul(part: string): void {
  if (part.includes("\0")) throw new UnsupportedError(`database and schema names containing the NUL character ('${part.replace(/\0/g, "\\0")}')`);
}

/** Resolves `[schema, name]` / `[db, schema, name]` / `[name]` against a context. */
export function resolve(ctx: Context, name: Name, what: string): { database: string; schema: string; object: string } {
  if (name.length === 3) return { database: name[0], schema: name[1], object: name[2] };
  const database = ctx.database;
  if (database === undefined || database === "") {
    throw new SnowflakeError("090105", "22000", `Cannot perform ${what}. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.`);
  }
  if (name.length === 2) return { database, schema: name[0], object: name[1] };
  if (ctx.schema === undefined) {
    throw new SnowflakeError("090106", "22000", `Cannot perform ${what}. This session does not have a current schema. Call 'USE SCHEMA', or use a qualified name.`);
  }
  return { database, schema: ctx.schema, object: name[0] };
}

export function schemaOf(env: Env, ctx: Context, name: Name, what: string): { db: DatabaseEntry; schema: SchemaEntry; object: string } {
  const resolved = resolve(ctx, name, what);
  const db = env.catalog.database(resolved.database);
  const schema = env.catalog.schema(resolved.database, resolved.schema);
  return { db, schema, object: resolved.object };
}

/** The role that owns what a context creates: the session's; an application's objects belong to it. */
export function ownerOf(ctx: Context): string {
  return ctx.application !== undefined ? `APPLICATION ${ctx.application.name}` : (ctx.session?.role ?? "ACCOUNTADMIN");
}

/** Finds a procedure by name and argument count (Snowflake also matches types; floe's calls never overload). */
export function findProcedure(env: Env, ctx: Context, name: Name, argCount: number): { db: DatabaseEntry; schema: SchemaEntry; procedure: ProcedureEntry } {
  const resolved = resolve(ctx, name, "CALL");
  const db = env.catalog.databases.get(resolved.database);
  const schema = db?.schemas.get(resolved.schema);
  const procedure = schema?.procedures.get(resolved.object)?.find((p) => p.args.length === argCount);
  if (db === undefined || schema === undefined || procedure === undefined) {
    throw new SnowflakeError("002140", "42601", `SQL compilation error:\nUnknown function ${quoteName([resolved.database, resolved.schema, resolved.object])}`);
  }
  return { db, schema, procedure };
}
