/** SHOW: what a context may see of applications, packages, versions, grants, roles and schema objects. */
import type { CatalogStatement, Name } from "../../sql/statements";
import { quoteName } from "../../lifecycle/sql-text";
import type { DatabaseEntry, SchemaEntry } from "../catalog";
import type { Context } from "../session";
import { showStreams } from "../streams";
import { objectNotFound, SnowflakeError, syntaxError, UnsupportedError, type QueryResult } from "../types";
import { columns, keyOf, type Env } from "./scope";

export function show(env: Env, ctx: Context, s: Extract<CatalogStatement, { kind: "show" }>): QueryResult {
  const like = s.like === undefined ? undefined : new RegExp("^" + s.like.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%/g, ".*").replace(/_/g, ".") + "$", "i");
  const matches = (name: string) => like === undefined || like.test(name);
  switch (s.what) {
    case "APPLICATIONS":
      return {
        columns: columns([["created_on", "TIMESTAMP_NTZ"], ["name", "TEXT"], ["source", "TEXT"], ["version", "TEXT"], ["patch", "FIXED"]]),
        rows: [...env.catalog.databases.values()]
          .filter((d) => d.kind === "APPLICATION" && matches(d.name) && visible(env, ctx, d))
          .map((d) => [d.createdOn, d.name, d.application!.packageName, d.application!.version, d.application!.patch]),
      };
    case "APPLICATION PACKAGES":
      return {
        columns: columns([["created_on", "TIMESTAMP_NTZ"], ["name", "TEXT"]]),
        rows: [...env.catalog.databases.values()].filter((d) => d.kind === "APPLICATION PACKAGE" && matches(d.name) && visible(env, ctx, d)).map((d) => [d.createdOn, d.name]),
      };
    case "VERSIONS": {
      if (s.in?.object !== "APPLICATION PACKAGE") throw new UnsupportedError("SHOW VERSIONS without IN APPLICATION PACKAGE");
      const pkg = env.catalog.applicationPackage(keyOf(s.in.name));
      env.access.checkVisible(ctx, pkg);
      const rows: unknown[][] = [];
      for (const v of pkg.versions.values()) {
        if (!matches(v.name)) continue;
        for (const p of v.patches) rows.push([v.name, p.patch, v.label ?? null, p.createdOn]);
      }
      return { columns: columns([["version", "TEXT"], ["patch", "FIXED"], ["label", "TEXT"], ["created_on", "TIMESTAMP_NTZ"]]), rows };
    }
    case "GRANTS": {
      if (s.in?.object === "APPLICATION ROLE" && s.in.preposition === "OF") {
        // Who holds the application role: one row per grantee.
        if (s.in.name.length !== 2) throw syntaxError("name the application role with its application: APP.ROLE");
        const app = env.catalog.application(s.in.name[0]);
        env.access.checkVisible(ctx, app);
        const role = s.in.name[1];
        if (!app.application.roles.has(role)) throw objectNotFound("Application role", quoteName(s.in.name));
        return {
          columns: columns([["created_on", "TIMESTAMP_NTZ"], ["role", "TEXT"], ["granted_to", "TEXT"], ["grantee_name", "TEXT"], ["granted_by", "TEXT"]]),
          rows: env.catalog.applicationRoleGrants.filter((g) => g.application === app.name && g.role === role).map((g) => [app.createdOn, `${app.name}.${role}`, "ROLE", g.to, app.name]),
        };
      }
      if (s.in?.object !== "APPLICATION" || s.in.preposition !== "TO") throw new UnsupportedError("SHOW GRANTS other than SHOW GRANTS TO APPLICATION and SHOW GRANTS OF APPLICATION ROLE");
      const app = env.catalog.application(keyOf(s.in.name));
      env.access.checkVisible(ctx, app);
      return {
        columns: columns([["privilege", "TEXT"], ["granted_on", "TEXT"], ["name", "TEXT"], ["granted_to", "TEXT"], ["grantee_name", "TEXT"]]),
        rows: [...app.application.accountPrivileges].sort().map((p) => [p, "ACCOUNT", "SANDBOX", "APPLICATION", app.name]),
      };
    }
    case "APPLICATION ROLES": {
      if (s.in?.object !== "APPLICATION") throw new UnsupportedError("SHOW APPLICATION ROLES without IN APPLICATION");
      const app = env.catalog.application(keyOf(s.in.name));
      env.access.checkVisible(ctx, app);
      return { columns: columns([["name", "TEXT"]]), rows: [...app.application.roles].filter(matches).map((r) => [r]) };
    }
    case "PROCEDURES":
    case "USER PROCEDURES": {
      const { db, schemas } = schemasShown(env, ctx, s.in);
      const rows: unknown[][] = [];
      for (const entry of schemas) {
        for (const overloads of entry.procedures.values()) {
          for (const p of overloads) {
            if (!matches(p.name) || !env.access.lists(ctx, db, entry.name, p)) continue;
            rows.push([p.createdOn, p.name, entry.name, `${p.name}(${p.args.map((a) => a.type).join(", ")}) RETURN ${p.returns}`, p.comment ?? "", p.language]);
          }
        }
      }
      return { columns: columns([["created_on", "TIMESTAMP_NTZ"], ["name", "TEXT"], ["schema_name", "TEXT"], ["arguments", "TEXT"], ["description", "TEXT"], ["language", "TEXT"]]), rows };
    }
    case "TASKS": {
      const { db, schemas } = schemasShown(env, ctx, s.in);
      const rows: unknown[][] = [];
      for (const entry of schemas) {
        if (!env.access.lists(ctx, db, entry.name)) continue;
        for (const t of entry.tasks.values()) if (matches(t.name)) rows.push([t.name, entry.name, t.state, t.definition]);
      }
      return { columns: columns([["name", "TEXT"], ["schema_name", "TEXT"], ["state", "TEXT"], ["definition", "TEXT"]]), rows };
    }
    case "STREAMS": {
      const { database, db, schemas } = schemasShown(env, ctx, s.in);
      const listed = schemas.filter((x) => env.access.lists(ctx, db, x.name));
      return showStreams(listed.map((x) => ({ database, schema: x })), matches);
    }
    case "SCHEMAS": {
      const { database } = showScope(env, ctx, s.in);
      const db = env.catalog.database(database);
      return {
        columns: columns([["name", "TEXT"], ["is_versioned", "TEXT"]]),
        rows: [...db.schemas.values()].filter((x) => matches(x.name) && env.access.lists(ctx, db, x.name)).map((x) => [x.name, x.versioned ? "Y" : "N"]),
      };
    }
    default:
      throw new UnsupportedError(`SHOW ${s.what}`);
  }
}

/** The schemas a SHOW of schema objects covers: the one its IN names, or every schema of the database. */
function schemasShown(env: Env, ctx: Context, inClause?: { readonly object: string; readonly name: Name }): { database: string; db: DatabaseEntry; schemas: SchemaEntry[] } {
  const { database, schema } = showScope(env, ctx, inClause);
  const db = env.catalog.database(database);
  return { database, db, schemas: [...db.schemas.values()].filter((x) => schema === undefined || x.name === schema) };
}

/** Whether SHOW APPLICATIONS / APPLICATION PACKAGES lists a database to this context. */
export function visible(env: Env, ctx: Context, db: DatabaseEntry): boolean {
  try {
    env.access.checkVisible(ctx, db);
    return true;
  } catch {
    return false;
  }
}

export function showScope(env: Env, ctx: Context, inClause?: { readonly object: string; readonly name: Name }): { database: string; schema?: string } {
  if (inClause === undefined) {
    if (ctx.database === undefined) throw new SnowflakeError("090105", "22000", "Cannot perform SHOW. This session does not have a current database.");
    return { database: ctx.database, ...(ctx.schema === undefined ? {} : { schema: ctx.schema }) };
  }
  if (inClause.object === "SCHEMA") {
    const r = inClause.name.length === 2 ? { database: inClause.name[0], schema: inClause.name[1] } : { database: ctx.database ?? "", schema: inClause.name[0] };
    env.catalog.schema(r.database, r.schema);
    env.access.checkSchemaVisible(ctx, env.catalog.database(r.database), r.schema);
    return r;
  }
  if (inClause.object === "DATABASE" || inClause.object === "APPLICATION") {
    env.access.checkVisible(ctx, env.catalog.database(keyOf(inClause.name)));
    return { database: keyOf(inClause.name) };
  }
  throw new UnsupportedError(`SHOW ... IN ${inClause.object}`);
}
