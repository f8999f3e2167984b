/**
 * Who may do what to an application's objects, as Snowflake decides it.
 *
 * - Inside an application (its setup script and its procedures, which run with the
 *   application's rights) everything of that application is allowed.
 * - From outside, a session holds its current role, the roles Snowflake puts under it
 *   (ACCOUNTADMIN holds SYSADMIN) and PUBLIC. Through them it holds application roles: every
 *   role of an application whose owner it is (Snowflake grants them to the owner
 *   implicitly), and those granted with `GRANT APPLICATION ROLE app.role TO ROLE r`. It sees
 *   and uses only what the application granted to those application roles: USAGE on a schema,
 *   SELECT on a view or table, USAGE on a procedure. Nothing else — creating, replacing or
 *   dropping objects inside the application, writing its tables, reading its STATE — is
 *   allowed to anyone outside it, the owner included.
 * - The owner (and only the owner) may drop or upgrade the application and grant its roles;
 *   an application package belongs to its owner alone.
 * - Account privileges are granted by ACCOUNTADMIN.
 *
 * What cannot be seen at all is answered as missing ("does not exist or not authorized",
 * 002003; "Unknown function", 002140, for a procedure); what can be seen but not done is
 * answered with Snowflake's access-control error (003001, SQL state 42501).
 *
 * Plain databases are not checked: the sandbox has no grants on them to check against.
 */
import { insufficientPrivileges, type Catalog, type DatabaseEntry, type ProcedureEntry } from "./catalog";
import { objectNotFound, SnowflakeError } from "./types";

export type { RelationAccess, RelationUse } from "./tables";

/** The part of a statement's context that decides its rights. */
export interface AccessContext {
  readonly session?: { readonly role: string };
  readonly application?: DatabaseEntry;
}

import type { RelationAccess, RelationUse } from "./tables";
import { quoteName } from "../lifecycle/sql-text";

/** The privilege each use needs on the relation (create: on its schema). */
const PRIVILEGE_FOR: Readonly<Record<RelationUse, string>> = {
  read: "SELECT",
  insert: "INSERT",
  update: "UPDATE",
  delete: "DELETE",
  truncate: "TRUNCATE",
  create: "CREATE",
  replace: "OWNERSHIP",
  drop: "OWNERSHIP",
};

/** What a context may do in a database. */
type Rights =
  /** Not checked (plain databases), or inside the application itself. */
  | { readonly kind: "all" }
  /** Outside an application: the application roles held (all of them for its owner). */
  | { readonly kind: "roles"; readonly roles: ReadonlySet<string>; readonly owner: boolean }
  /** An application package, from a role that does not own it. */
  | { readonly kind: "none" };

const INHERITED: Readonly<Record<string, readonly string[]>> = {
  ACCOUNTADMIN: ["SYSADMIN", "SECURITYADMIN", "USERADMIN"],
  SECURITYADMIN: ["USERADMIN"],
};

export class AccessControl {
  constructor(private readonly catalog: Catalog) {}

  /**
   * The account roles a context holds: a session's current role, the roles under it, and
   * PUBLIC. Code inside an application runs with the application's rights, which include no
   * account role, whoever called it.
   */
  heldRoles(ctx: AccessContext): Set<string> {
    if (ctx.application !== undefined) return new Set();
    return this.sessionRoles(ctx.session);
  }

  /** The account roles of a session, wherever the statement runs (IS_APPLICATION_ROLE_IN_SESSION asks this). */
  sessionRoles(session: { readonly role: string } | undefined): Set<string> {
    const held = new Set<string>(["PUBLIC"]);
    const add = (role: string) => {
      if (held.has(role)) return;
      held.add(role);
      for (const below of INHERITED[role] ?? []) add(below);
    };
    if (session !== undefined) add(session.role);
    return held;
  }

  /** The application roles of `app` that the session behind `ctx` holds. */
  applicationRolesOf(ctx: AccessContext, app: DatabaseEntry): Set<string> {
    const roles = app.application?.roles ?? new Set<string>();
    const held = this.heldRoles(ctx);
    if (held.has(app.owner)) return new Set(roles);
    const granted = new Set<string>();
    for (const grant of this.catalog.applicationRoleGrants) {
      if (grant.application === app.name && held.has(grant.to) && roles.has(grant.role)) granted.add(grant.role);
    }
    return granted;
  }

  private rights(ctx: AccessContext, db: DatabaseEntry): Rights {
    if (db.kind === "DATABASE" || ctx.application?.name === db.name) return { kind: "all" };
    const owner = this.heldRoles(ctx).has(db.owner);
    if (db.kind === "APPLICATION PACKAGE") return owner ? { kind: "all" } : { kind: "none" };
    return { kind: "roles", roles: this.applicationRolesOf(ctx, db), owner };
  }

  private schemaUsage(db: DatabaseEntry, roles: ReadonlySet<string>, schema: string): boolean {
    return (db.application?.objectGrants ?? []).some((g) => g.kind === "SCHEMA" && g.schema === schema && g.privilege === "USAGE" && roles.has(g.role));
  }

  /** USE DATABASE, SHOW ... IN: the database must be visible at all. */
  checkVisible(ctx: AccessContext, db: DatabaseEntry): void {
    const rights = this.rights(ctx, db);
    if (rights.kind === "none" || (rights.kind === "roles" && rights.roles.size === 0)) throw notFound(db);
  }

  /** USE SCHEMA, SHOW ... IN SCHEMA: the schema must be usable. */
  checkSchemaVisible(ctx: AccessContext, db: DatabaseEntry, schema: string): void {
    const rights = this.rights(ctx, db);
    if (rights.kind === "all") return;
    if (rights.kind === "none" || !this.schemaUsage(db, rights.roles, schema)) throw objectNotFound("Schema", quoteName([db.name, schema]));
  }

  /** Whether SHOW lists a schema, procedure or task of an application to this context. */
  lists(ctx: AccessContext, db: DatabaseEntry, schema: string, procedure?: ProcedureEntry): boolean {
    const rights = this.rights(ctx, db);
    if (rights.kind === "all") return true;
    if (rights.kind === "none") return false;
    // The owner sees every object of its application; it may use only what was granted.
    if (rights.owner) return true;
    if (!this.schemaUsage(db, rights.roles, schema)) return false;
    return procedure === undefined || [...procedure.grants].some((r) => rights.roles.has(r));
  }

  /** CALL of a procedure in `db`.`schema`. */
  checkCall(ctx: AccessContext, db: DatabaseEntry, schema: string, procedure: ProcedureEntry): void {
    const rights = this.rights(ctx, db);
    if (rights.kind === "all") return;
    const unknown = () =>
      new SnowflakeError("002140", "42601", `SQL compilation error:\nUnknown function ${quoteName([db.name, schema, procedure.name])}`);
    if (rights.kind === "none" || !this.schemaUsage(db, rights.roles, schema)) throw unknown();
    // Granted to no application role: internal to the application, and invisible from outside.
    if (procedure.grants.size === 0) throw unknown();
    if (![...procedure.grants].some((r) => rights.roles.has(r))) throw insufficientPrivileges(`procedure '${procedure.name}'`);
  }

  /** Reads and writes of tables and views by one statement. */
  checkRelations(ctx: AccessContext, accesses: readonly RelationAccess[]): void {
    for (const access of accesses) this.checkRelation(ctx, access);
  }

  private checkRelation(ctx: AccessContext, access: RelationAccess): void {
    const db = this.catalog.databases.get(access.database);
    if (db === undefined) return;
    const rights = this.rights(ctx, db);
    if (rights.kind === "all") return;
    const shown = quoteName(access.name === undefined ? [db.name, access.schema] : [db.name, access.schema, access.name]);
    if (rights.kind === "none") throw objectNotFound(access.name === undefined ? "Schema" : "Object", shown);
    const usage = this.schemaUsage(db, rights.roles, access.schema);
    if (access.name === undefined) {
      if (!usage) throw objectNotFound("Schema", shown);
      throw insufficientPrivileges(`schema '${access.schema}'`);
    }
    const held = (db.application?.objectGrants ?? []).filter(
      (g) => g.kind === access.kind && g.schema === access.schema && g.name === access.name && rights.roles.has(g.role),
    );
    if (!usage || held.length === 0) throw objectNotFound("Object", shown);
    if (!held.some((g) => g.privilege === PRIVILEGE_FOR[access.use])) throw insufficientPrivileges(`${access.kind.toLowerCase()} '${access.name}'`);
  }

  /**
   * Creating, replacing, altering or dropping a schema-level object other than a table or view
   * (procedure, stage, task), and PUT, LIST and REMOVE on a stage.
   */
  checkSchemaChange(ctx: AccessContext, db: DatabaseEntry, schema: string): void {
    const rights = this.rights(ctx, db);
    if (rights.kind === "all") return;
    if (rights.kind === "none" || !this.schemaUsage(db, rights.roles, schema)) throw objectNotFound("Schema", quoteName([db.name, schema]));
    throw insufficientPrivileges(`schema '${schema}'`);
  }

  /**
   * What only the owner of an application or package may do: create or drop its schemas,
   * replace, drop, alter or upgrade it, install from it, grant its roles or grant it privileges.
   */
  checkOwner(ctx: AccessContext, db: DatabaseEntry): void {
    const rights = this.rights(ctx, db);
    if (rights.kind === "all" || (rights.kind === "roles" && rights.owner)) return;
    if (rights.kind === "none" || rights.roles.size === 0) throw notFound(db);
    throw insufficientPrivileges(`application '${db.name}'`);
  }

  /**
   * Creating, replacing or dropping a schema of a database: inside an application only its own
   * setup and procedures may; a package's owner may.
   */
  checkContents(ctx: AccessContext, db: DatabaseEntry): void {
    const rights = this.rights(ctx, db);
    if (rights.kind === "all") return;
    if (rights.kind === "none" || rights.roles.size === 0) throw notFound(db);
    throw insufficientPrivileges(`application '${db.name}'`);
  }

  /** Granting or revoking account privileges. */
  checkAccountGrant(ctx: AccessContext): void {
    if (!this.heldRoles(ctx).has("ACCOUNTADMIN")) throw insufficientPrivileges("account 'SANDBOX': granting account privileges needs ACCOUNTADMIN");
  }
}

function notFound(db: DatabaseEntry): SnowflakeError {
  const label = db.kind === "APPLICATION" ? "Application" : db.kind === "APPLICATION PACKAGE" ? "Application package" : "Database";
  return objectNotFound(label, quoteName([db.name]));
}
