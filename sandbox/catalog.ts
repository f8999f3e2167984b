/**
 * The sandbox's catalog: the objects of an account that are not tables — databases and their
 * kinds (plain, application package, application), schemas, stages, procedures, tasks, roles,
 * versions and patches, and grants. Plain data with lookups; the executor changes it.
 */
import { objectNotFound, SnowflakeError } from "./types";
import { quoteName } from "../lifecycle/sql-text";

export interface ProcedureEntry {
  readonly name: string;
  readonly args: readonly { readonly name: string; readonly type: string }[];
  readonly returns: string;
  readonly language: string;
  readonly executeAs: string;
  readonly body: string;
  readonly comment?: string;
  /** Application roles granted USAGE. */
  readonly grants: Set<string>;
  readonly createdOn: Date;
}

export interface StageEntry {
  readonly name: string;
  /** Directory holding the stage's files. */
  readonly directory: string;
}

export interface TaskEntry {
  readonly name: string;
  state: "started" | "suspended";
  readonly definition: string;
  readonly options: Readonly<Record<string, string>>;
}

export interface SchemaEntry {
  readonly name: string;
  readonly versioned: boolean;
  /** Procedures by name; each name may have overloads with other argument types. */
  readonly procedures: Map<string, ProcedureEntry[]>;
  readonly stages: Map<string, StageEntry>;
  readonly tasks: Map<string, TaskEntry>;
  /** Streams by name (sandbox/streams.ts); created with the schema's first stream. */
  streams?: Map<string, StreamEntry>;
}

export interface StreamEntry {
  readonly name: string;
  /** The table or view whose changes it records, as `DB.SCHEMA.NAME`. */
  readonly source: { readonly kind: "TABLE" | "VIEW"; readonly name: string };
  readonly createdOn: Date;
  /** The stream it was cloned from, when created with CLONE. */
  readonly clonedFrom?: string;
}

export interface PatchEntry {
  readonly patch: number;
  /** The version's files, copied from the stage when the version or patch was added. */
  readonly files: ReadonlyMap<string, string>;
  readonly createdOn: Date;
}

export interface VersionEntry {
  readonly name: string;
  readonly label?: string;
  readonly patches: PatchEntry[];
}

/** A grant of a privilege on an object inside an application to one of its application roles. */
export interface ObjectGrant {
  readonly privilege: string;
  readonly kind: "SCHEMA" | "VIEW" | "TABLE";
  /** The schema, or the schema holding the view or table, as resolved. */
  readonly schema: string;
  /** Views and tables: their name, as resolved. */
  readonly name?: string;
  readonly role: string;
}

export type DatabaseKind = "DATABASE" | "APPLICATION PACKAGE" | "APPLICATION";

export interface DatabaseEntry {
  readonly name: string;
  readonly kind: DatabaseKind;
  readonly schemas: Map<string, SchemaEntry>;
  readonly createdOn: Date;
  /** The account role that created it, which owns it. */
  readonly owner: string;
  /** Application packages: their versions. */
  readonly versions: Map<string, VersionEntry>;
  /** Applications: where they come from and what they were granted. */
  application?: {
    readonly packageName: string;
    version: string;
    patch: number;
    readonly roles: Set<string>;
    readonly accountPrivileges: Set<string>;
    readonly objectGrants: ObjectGrant[];
  };
}

export class Catalog {
  readonly databases = new Map<string, DatabaseEntry>();
  readonly roles = new Set<string>(["ACCOUNTADMIN", "SYSADMIN", "PUBLIC"]);
  /** `APP.ROLE` application roles granted to account roles. */
  readonly applicationRoleGrants: { application: string; role: string; to: string }[] = [];

  database(name: string): DatabaseEntry {
    const db = this.databases.get(name);
    if (db === undefined) throw objectNotFound("Database", name);
    return db;
  }

  addDatabase(name: string, kind: DatabaseKind, owner: string): DatabaseEntry {
    const entry: DatabaseEntry = { name, kind, schemas: new Map(), createdOn: new Date(), owner, versions: new Map() };
    this.databases.set(name, entry);
    return entry;
  }

  schema(database: string, schema: string): SchemaEntry {
    const found = this.database(database).schemas.get(schema);
    if (found === undefined) throw objectNotFound("Schema", quoteName([database, schema]));
    return found;
  }

  /** The application a database is, or an error naming it. */
  application(name: string): DatabaseEntry & { application: NonNullable<DatabaseEntry["application"]> } {
    const db = this.databases.get(name);
    if (db === undefined || db.kind !== "APPLICATION" || db.application === undefined) throw objectNotFound("Application", name);
    return db as DatabaseEntry & { application: NonNullable<DatabaseEntry["application"]> };
  }

  applicationPackage(name: string): DatabaseEntry {
    const db = this.databases.get(name);
    if (db === undefined || db.kind !== "APPLICATION PACKAGE") throw objectNotFound("Application package", name);
    return db;
  }
}

export function alreadyExists(kind: string, name: string): SnowflakeError {
  return new SnowflakeError("002002", "42710", `SQL compilation error:\n${kind} '${name}' already exists.`);
}

export function insufficientPrivileges(what: string): SnowflakeError {
  return new SnowflakeError("003001", "42501", `SQL access control error:\nInsufficient privileges to operate on ${what}.`);
}

/** Same argument types, as Snowflake compares overloads (STRING, VARCHAR and TEXT are one type). */
export function sameArgumentTypes(a: readonly { type: string }[], b: readonly string[]): boolean {
  const norm = (t: string) => {
    const base = t.toUpperCase().replace(/\(.*\)$/, "");
    if (["STRING", "VARCHAR", "TEXT", "CHAR", "CHARACTER"].includes(base)) return "VARCHAR";
    if (["NUMBER", "INT", "INTEGER", "BIGINT", "DECIMAL", "NUMERIC", "SMALLINT"].includes(base)) return "NUMBER";
    if (["FLOAT", "DOUBLE", "REAL", "FLOAT8", "FLOAT4"].includes(base)) return "FLOAT";
    return base;
  };
  return a.length === b.length && a.every((arg, i) => norm(arg.type) === norm(b[i]));
}
